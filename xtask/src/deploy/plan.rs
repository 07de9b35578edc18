//! The whole deployment as data: which objects to upload with which
//! headers, the CSP, what to invalidate, and the exact `aws` calls. Pure, so
//! `--dry-run` and the tests see exactly what a real run would do.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use md5::{Digest, Md5};

use super::csp;
use super::files::{uploads_for, Upload};
use super::settings::AppSettings;

/// Where the site goes (the hosting stack's outputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub hosting_stack: String,
    pub bucket: String,
    pub distribution_id: String,
}

/// One `aws` CLI call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub what: String,
    pub args: Vec<String>,
}

#[derive(Debug)]
pub struct Plan {
    pub csp: String,
    pub config_json: String,
    /// Changed or new objects, in upload order (index.html last).
    pub uploads: Vec<Upload>,
    /// Keys already in the bucket with the same bytes.
    pub unchanged: Vec<String>,
    pub invalidate: Vec<String>,
    pub steps: Vec<Step>,
}

/// `files`: the build, as (key, bytes), `config.json` included or not (it
/// is replaced). `remote`: key → S3 ETag of what is deployed, `None` when
/// unknown (dry run): then everything counts as changed.
pub fn plan(
    files: Vec<(String, Vec<u8>)>,
    settings: &AppSettings,
    target: &Target,
    remote: Option<&BTreeMap<String, String>>,
    staging: &str,
) -> Result<Plan> {
    let index = files
        .iter()
        .find(|(key, _)| key == "index.html")
        .context("the build has no index.html: run cargo xtask dist first")?;
    let index_html = String::from_utf8_lossy(&index.1).into_owned();
    let csp = csp::build(&index_html, &settings.hosts())?;
    let config_json = settings.config_json();

    let mut all = Vec::new();
    for (key, body) in files.into_iter().filter(|(key, _)| key != "config.json") {
        all.extend(uploads_for(&key, body)?);
    }
    all.extend(uploads_for(
        "config.json",
        config_json.clone().into_bytes(),
    )?);
    all.sort_by_key(|u| (upload_rank(&u.key), u.key.clone()));

    let mut uploads = Vec::new();
    let mut unchanged = Vec::new();
    let mut invalidate = Vec::new();
    for upload in all {
        let etag = remote.and_then(|r| r.get(&upload.key));
        if etag.is_some_and(|e| e.trim_matches('"') == md5_hex(&upload.body)) {
            unchanged.push(upload.key);
            continue;
        }
        // New hashed names need no invalidation (nothing cached them yet);
        // a key whose bytes changed does, and so do the two fixed names
        // whenever we cannot tell (dry run).
        let replaced = match remote {
            Some(r) => r.contains_key(&upload.key),
            None => !super::files::is_hashed(&upload.key),
        };
        if replaced {
            invalidate.push(format!("/{}", upload.key));
        }
        uploads.push(upload);
    }

    let mut steps = vec![Step {
        what: "set the Content-Security-Policy on the hosting stack's response headers policy"
            .into(),
        args: vec![
            "cloudformation".into(),
            "deploy".into(),
            "--stack-name".into(),
            target.hosting_stack.clone(),
            "--template-file".into(),
            "infra/hosting.yaml".into(),
            "--no-fail-on-empty-changeset".into(),
            "--parameter-overrides".into(),
            format!("ContentSecurityPolicy={csp}"),
        ],
    }];
    for upload in &uploads {
        let mut args = vec![
            "s3api".into(),
            "put-object".into(),
            "--bucket".into(),
            target.bucket.clone(),
            "--key".into(),
            upload.key.clone(),
            "--body".into(),
            format!("{staging}/{}", upload.key),
            "--content-type".into(),
            upload.content_type.into(),
            "--cache-control".into(),
            upload.cache_control.into(),
        ];
        if let Some(encoding) = upload.content_encoding {
            args.extend(["--content-encoding".into(), encoding.into()]);
        }
        steps.push(Step {
            what: format!("upload {} ({} bytes)", upload.key, upload.body.len()),
            args,
        });
    }
    if !invalidate.is_empty() {
        let mut args = vec![
            "cloudfront".into(),
            "create-invalidation".into(),
            "--distribution-id".into(),
            target.distribution_id.clone(),
            "--paths".into(),
        ];
        args.extend(invalidate.iter().cloned());
        steps.push(Step {
            what: "invalidate the replaced objects".into(),
            args,
        });
    }
    Ok(Plan {
        csp,
        config_json,
        uploads,
        unchanged,
        invalidate,
        steps,
    })
}

/// Assets first, then config.json, index.html last: a visitor never gets a
/// page that names files not uploaded yet.
fn upload_rank(key: &str) -> u8 {
    match key {
        "index.html" => 2,
        "config.json" => 1,
        _ => 0,
    }
}

/// S3's ETag for a single-part upload is the MD5 of the body.
pub fn md5_hex(body: &[u8]) -> String {
    Md5::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// For printing: the command line as a shell would need it.
pub fn shell_line(step: &Step) -> String {
    let quoted: Vec<String> = step
        .args
        .iter()
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect();
    format!("aws {}", quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::files::{IMMUTABLE, REVALIDATE};
    use std::path::Path;

    fn fixture() -> Vec<(String, Vec<u8>)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/site");
        super::super::read_dir_files(&dir).unwrap()
    }

    fn settings() -> AppSettings {
        AppSettings {
            client_id: "7abc".into(),
            domain: "https://p.auth.eu-west-1.amazoncognito.com".into(),
            region: "eu-west-1".into(),
            user_pool_id: "eu-west-1_Abc".into(),
            api_url: Some("https://a1.execute-api.eu-west-1.amazonaws.com/prod/cognito".into()),
            apis: Vec::new(),
        }
    }

    fn target() -> Target {
        Target {
            hosting_stack: "site".into(),
            bucket: "bucket-1".into(),
            distribution_id: "E123".into(),
        }
    }

    fn headers(plan: &Plan) -> Vec<(&str, &str, &str, Option<&str>)> {
        plan.uploads
            .iter()
            .map(|u| {
                (
                    u.key.as_str(),
                    u.content_type,
                    u.cache_control,
                    u.content_encoding,
                )
            })
            .collect()
    }

    #[test]
    fn first_deploy_uploads_everything_with_the_right_headers() {
        let plan = plan(
            fixture(),
            &settings(),
            &target(),
            Some(&BTreeMap::new()),
            "stage",
        )
        .unwrap();
        let js = "text/javascript; charset=utf-8";
        let wasm = "application/wasm";
        assert_eq!(
            headers(&plan),
            [
                ("app-0123456789abcdef.js", js, IMMUTABLE, None),
                ("app-0123456789abcdef_bg.wasm", wasm, IMMUTABLE, None),
                (
                    "app-0123456789abcdef_bg.wasm.br",
                    wasm,
                    IMMUTABLE,
                    Some("br")
                ),
                (
                    "app-0123456789abcdef_bg.wasm.gz",
                    wasm,
                    IMMUTABLE,
                    Some("gzip")
                ),
                (
                    "main-fedcba9876543210.css",
                    "text/css; charset=utf-8",
                    IMMUTABLE,
                    None
                ),
                ("config.json", "application/json", REVALIDATE, None),
                ("index.html", "text/html; charset=utf-8", REVALIDATE, None),
            ]
        );
        // Nothing was there before, so nothing is cached to invalidate.
        assert!(plan.invalidate.is_empty());
        assert_eq!(plan.steps.len(), 1 + 7);
        assert_eq!(plan.steps[0].args[..2], ["cloudformation", "deploy"]);
        assert_eq!(
            shell_line(&plan.steps[3]),
            "aws s3api put-object --bucket bucket-1 --key app-0123456789abcdef_bg.wasm.br --body stage/app-0123456789abcdef_bg.wasm.br --content-type application/wasm --cache-control 'public, max-age=31536000, immutable' --content-encoding br"
        );
        // The deployed config.json is the generated one, not the build's.
        let config = &plan.uploads[5];
        assert_eq!(String::from_utf8_lossy(&config.body), plan.config_json);
        assert!(plan.config_json.contains("\"clientId\": \"7abc\""));
    }

    #[test]
    fn csp_hashes_the_inline_loader_and_allows_the_configured_hosts() {
        let plan = plan(fixture(), &settings(), &target(), None, "stage").unwrap();
        let index = fixture()
            .into_iter()
            .find(|(k, _)| k == "index.html")
            .unwrap()
            .1;
        let hashes = csp::inline_script_hashes(&String::from_utf8_lossy(&index));
        assert_eq!(hashes.len(), 1);
        assert!(plan.csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {}",
            hashes[0]
        )));
        assert!(plan.csp.contains("connect-src 'self' https://p.auth.eu-west-1.amazoncognito.com https://cognito-idp.eu-west-1.amazonaws.com https://a1.execute-api.eu-west-1.amazonaws.com;"));
        assert_eq!(
            plan.steps[0].args.last().unwrap(),
            &format!("ContentSecurityPolicy={}", plan.csp)
        );
    }

    #[test]
    fn redeploy_uploads_and_invalidates_only_what_changed() {
        let first = plan(
            fixture(),
            &settings(),
            &target(),
            Some(&BTreeMap::new()),
            "s",
        )
        .unwrap();
        let mut remote: BTreeMap<String, String> = first
            .uploads
            .iter()
            .map(|u| (u.key.clone(), format!("\"{}\"", md5_hex(&u.body))))
            .collect();
        let same = plan(fixture(), &settings(), &target(), Some(&remote), "s").unwrap();
        assert!(same.uploads.is_empty() && same.invalidate.is_empty());
        assert_eq!(same.steps.len(), 1, "only the (idempotent) CSP step");

        remote.insert("config.json".into(), "\"old\"".into());
        let mut other = settings();
        other.client_id = "7new".into();
        let changed = plan(fixture(), &other, &target(), Some(&remote), "s").unwrap();
        assert_eq!(
            headers(&changed),
            [("config.json", "application/json", REVALIDATE, None)]
        );
        assert_eq!(changed.invalidate, ["/config.json"]);
        let last = changed.steps.last().unwrap();
        assert_eq!(
            shell_line(last),
            "aws cloudfront create-invalidation --distribution-id E123 --paths /config.json"
        );
    }

    #[test]
    fn dry_run_assumes_the_fixed_names_are_cached() {
        let plan = plan(fixture(), &settings(), &target(), None, "s").unwrap();
        assert_eq!(plan.uploads.len(), 7);
        assert_eq!(plan.invalidate, ["/config.json", "/index.html"]);
    }

    #[test]
    fn a_build_without_index_html_is_refused() {
        let files = vec![("app.js".to_string(), b"x".to_vec())];
        assert!(plan(files, &settings(), &target(), None, "s").is_err());
    }
}
