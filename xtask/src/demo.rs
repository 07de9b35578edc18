//! `cargo xtask demo`: the local dev stack (hosted UI + API) and the app
//! under `trunk serve`, ready to sign in. Ctrl-C stops both.

use std::process::Child;

use anyhow::{Context, Result};

use crate::cmd::{command, run_step, target_dir};
use crate::setup;

/// Where `trunk serve` listens (Trunk.toml) and the seed registers callbacks.
const APP_URL: &str = "http://127.0.0.1:8080/";

pub fn run(_args: &[String]) -> Result<()> {
    setup::run()?;
    run_step(
        "building devstack",
        command("cargo").args(["build", "--quiet", "-p", "devstack"]),
    )?;
    let devstack = start_devstack()?;
    let _stop_devstack = KillOnDrop(devstack);
    println!(
        "\n==> The app will be at {APP_URL} once Trunk has built it.\n    \
         Sign in with user `demo`, password `Passw0rd!` (or `outsider` / `Passw0rd!`, who is in no group).\n    \
         Ctrl-C stops the app and devstack.\n"
    );
    run_step("trunk serve", command("trunk").args(["serve", "--offline"]))
}

/// devstack with its defaults, which public/config.json matches (a test
/// keeps the two in step).
fn start_devstack() -> Result<Child> {
    let binary = target_dir().join("debug").join("devstack");
    println!(
        "\n==> starting devstack (hosted UI http://127.0.0.1:4010, API http://127.0.0.1:4011/prod)"
    );
    command(&binary)
        .spawn()
        .with_context(|| format!("could not start {}", binary.display()))
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
