//! The user pool on disk: `<state dir>/user-pool.json` keeps users
//! (verifiers, never passwords), the refresh tokens and revocations of the
//! JSON API and of the hosted UI's `/oauth2/token` across restarts
//! (refresh tokens by their SHA-256 only). Authorization codes, hosted-UI
//! sessions and pending SRP challenges are not kept: they live minutes.
//!
//! How seed and state combine: the state file, once written, is the truth
//! for every user it holds (a seed user changed at runtime keeps its
//! change); seed users it does not hold are added from the seed, unless
//! they were deleted at runtime (kept as tombstones). Delete the file to
//! start again from the seed.
//!
//! Writes are atomic (a temporary file in the same folder, synced, then
//! renamed over the old one), so a crash mid-write leaves the previous
//! file. A file that does not parse stops devstack with a message naming
//! it: never a silent reset.

use super::users::UserRecord;
use super::{ApiRefresh, Inner};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "user-pool.json";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshot {
    version: u32,
    pool_id: String,
    users: BTreeMap<String, UserRecord>,
    #[serde(default)]
    deleted: BTreeSet<String>,
    #[serde(default)]
    refresh: HashMap<String, ApiRefresh>,
    #[serde(default)]
    revoked_origins: BTreeSet<String>,
    /// The hosted UI's refresh tokens and revocations.
    #[serde(default)]
    hosted_ui: crate::store::Saved,
}

pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Merges the state file (if any) into `inner`, which holds the seed users;
/// returns the hosted UI's part.
pub fn load(path: &Path, pool_id: &str, inner: &mut Inner) -> anyhow::Result<crate::store::Saved> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => anyhow::bail!(
            "cannot read the user-pool state file {}: {e}",
            path.display()
        ),
    };
    let snap: Snapshot = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the user-pool state file {} is corrupt ({e}); fix it, or delete it to start again from the seed",
            path.display()
        )
    })?;
    if snap.version != VERSION {
        anyhow::bail!(
            "the user-pool state file {} has version {}, this devstack reads version {VERSION}",
            path.display(),
            snap.version
        );
    }
    if snap.pool_id != pool_id {
        anyhow::bail!(
            "the user-pool state file {} belongs to pool {}, but the seed's pool is {pool_id}: delete it or use another --state-dir",
            path.display(),
            snap.pool_id
        );
    }
    for name in &snap.deleted {
        inner.users.by_name.remove(name);
    }
    for (name, user) in snap.users {
        inner.users.by_name.insert(name, user);
    }
    inner.deleted = snap.deleted;
    inner.refresh = snap.refresh;
    inner.revoked_origins = snap.revoked_origins.into_iter().collect();
    Ok(snap.hosted_ui)
}

/// The bytes to write for the current state.
pub fn snapshot(pool_id: &str, inner: &Inner, hosted_ui: crate::store::Saved) -> Vec<u8> {
    let snap = Snapshot {
        hosted_ui,
        version: VERSION,
        pool_id: pool_id.to_string(),
        users: inner.users.by_name.clone(),
        deleted: inner.deleted.clone(),
        refresh: inner.refresh.clone(),
        revoked_origins: inner.revoked_origins.iter().cloned().collect(),
    };
    serde_json::to_vec_pretty(&snap).unwrap_or_default()
}

/// Temporary file, fsync, rename: readers see the old or the new file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{FILE_NAME}.tmp-{}-{}",
        std::process::id(),
        crate::ids::secret(6)
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
