//! `cargo xtask demo`: the app and the local dev stack, ready to sign in.

use anyhow::Result;

use crate::cmd::{command, run_step};
use crate::setup;

pub fn run(_args: &[String]) -> Result<()> {
    setup::run()?;
    println!("\nThe app will be at http://127.0.0.1:8080/ once Trunk has built it.");
    run_step("trunk serve", command("trunk").args(["serve", "--offline"]))
}
