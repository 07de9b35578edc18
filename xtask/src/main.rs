//! `cargo xtask <command>`: see the library, and `cargo xtask help`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(error) = xtask::run(&args) {
        eprintln!("\nxtask: error: {error:#}");
        std::process::exit(1);
    }
}
