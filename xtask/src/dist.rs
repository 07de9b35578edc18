//! `cargo xtask dist`: the release build into dist/, and what it weighs.

use anyhow::Result;

use crate::cmd::{command, root, run_step};
use crate::{setup, sizes};

pub fn run() -> Result<()> {
    setup::run()?;
    build()?;
    let table = sizes::measure(&root().join("dist"))?;
    println!("\n{}", sizes::markdown(&table));
    Ok(())
}

/// `trunk build --release --offline`: opt-level z, LTO, wasm-opt -Oz.
pub fn build() -> Result<()> {
    run_step(
        "release build (trunk build --release --offline)",
        command("trunk").args(["build", "--release", "--offline"]),
    )
}
