//! Running the tools: every child process gets the project's tool folders on
//! PATH, and a failing step stops the command with its name.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, or target/ in the root.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Where npm-installed tools live (git-ignored).
pub fn node_tools_dir() -> PathBuf {
    root().join("tools").join("node")
}

/// The project's Python virtual environment (git-ignored), for Python tools.
pub fn venv_dir() -> PathBuf {
    root().join("tools").join("venv")
}

/// A program installed in the project's virtual environment.
pub fn venv_bin(program: &str) -> PathBuf {
    venv_dir().join("bin").join(program)
}

/// PATH with the npm tools and cargo's bin folders first, so Trunk finds
/// wasm-opt and wasm-bindgen without downloading them. `cargo install` puts
/// binaries under `CARGO_INSTALL_ROOT` when it is set (CI keeps its tools
/// there while its crate cache starts empty), else under `CARGO_HOME`.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![node_tools_dir().join("node_modules").join(".bin")];
    if let Some(root) = std::env::var_os("CARGO_INSTALL_ROOT") {
        dirs.push(PathBuf::from(root).join("bin"));
    }
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command in the workspace root with the tool PATH.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// Runs a step with inherited output; a non-zero exit is an error naming it.
pub fn run_step(name: &str, command: &mut Command) -> Result<()> {
    println!("\n==> {name}");
    let status = command
        .status()
        .with_context(|| format!("{name}: could not start {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

/// Runs a command quietly and returns its output, or `None` if it could not
/// start (the program is not installed).
pub fn probe(program: &str, args: &[&str]) -> Option<Output> {
    command(program).args(args).output().ok()
}

/// The first line of a tool's `--version` output, if it runs.
pub fn version_line(program: &str) -> Option<String> {
    let output = probe(program, &["--version"])?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|l| l.trim().to_owned())
}
