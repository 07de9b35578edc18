//! The project's commands behind `cargo xtask <command>`, in Rust so they
//! run the same on every machine. See `cargo xtask help`.
//!
//! A library as well as the binary, so tests elsewhere use the very code a
//! command runs: the browser tests serve the app with the CSP and security
//! headers `cargo xtask deploy` sets ([`deploy::csp`], [`deploy::headers`]).

mod bench;
mod cmd;
mod dead_classes;
mod demo;
pub mod deploy;
mod dist;
mod fuzz;
mod lambda;
mod setup;
mod short_imports;
mod sizes;
mod split;
mod test;
mod toolchain;
mod wasm_module;

use anyhow::{bail, Result};

const HELP: &str = "\
usage: cargo xtask <command>

  setup   install what the project needs (wasm32 target, the pinned nightly for the
          release wasm, Trunk, wasm-bindgen CLI, wasm-opt, Node tools, Chromium +
          chromedriver), skipping what is there
  demo    setup, then start the local dev stack and the app (trunk serve)
  test    setup, then fmt, clippy (native + wasm32), the release build, native
          unit and HTTP tests, wasm-bindgen tests and browser end-to-end tests
  dist    setup, then a release build into dist/ and a size table per file
  bench   setup, then measure bytes, cold load, sign-in, in-browser verification and
          devstack /book throughput against a plain-JavaScript baseline (about 6 minutes);
          writes bench/results.md and bench/results.json
  fuzz    run each cargo-fuzz target (JWT, JWKS, callback URL, config.json, devstack
          forms and queries) for 30 s on nightly (--seconds N, or name targets),
          installing cargo-fuzz if missing; reports run time and inputs per target
  lambda  build the authorizer and /book Lambdas (x86_64 musl) as bootstrap zips
          in target/lambda/, installing the musl target and musl-tools if missing
  deploy  upload dist/ to the hosting stack with per-file headers, write config.json,
          set the CSP, invalidate what changed (needs the aws CLI; --dry-run prints
          every step; see docs/deploy.md and `cargo xtask deploy --help`)
";

/// Runs the command named by `args` (the arguments after `cargo xtask`).
pub fn run(args: &[String]) -> Result<()> {
    let Some(command) = args.first() else {
        print!("{HELP}");
        return Ok(());
    };
    let rest = &args[1..];
    match command.as_str() {
        "setup" => setup::run(),
        "demo" => demo::run(rest),
        "test" => test::run(),
        "dist" => dist::run(),
        "bench" => bench::run(),
        "fuzz" => fuzz::run(rest),
        "lambda" => lambda::run(),
        "deploy" if rest.iter().any(|a| a == "--help" || a == "-h") => {
            print!("{}", deploy::USAGE);
            Ok(())
        }
        "deploy" => deploy::run(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{HELP}"),
    }
}
