//! `cargo xtask deploy`: the built app to the hosting stack's bucket, with
//! per-file headers, a generated config.json and CSP, and an invalidation of
//! what changed. Planning is pure (`plan`); this module only gathers inputs
//! and runs the `aws` CLI (which must be installed and configured with
//! credentials); `--dry-run` prints every step and header and calls nothing.

pub mod csp;
pub mod files;
pub mod headers;
pub mod plan;
pub mod settings;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cmd::{command, root, run_step};
use plan::{shell_line, Plan, Target};
use settings::{parse_outputs, ApiVariant, AppSettings};

pub const USAGE: &str = "\
usage: cargo xtask deploy [--dry-run] [--env-file FILE] [--apis | --api cognito|cognito-scopes|lambda]
                          [--backend-stack NAME] [--hosting-stack NAME] [--region REGION]

  --dry-run          print every step and header; touch nothing on AWS
  --env-file FILE    config.json values from FILE (CLIENT_ID, COGNITO_DOMAIN, AWS_REGION,
                     USER_POOL_ID, API_URL) instead of the backend stack's outputs
  --apis             config.json lists all three APIs of the backend stack (`apis`, each
                     with its authorizer, so the app explains each answer exactly); the
                     default, unless --api or --env-file is given
  --api VARIANT      one `apiUrl` instead: cognito (ID token), cognito-scopes (access
                     token with books/read) or lambda (access token); with --env-file,
                     API_URL is that one
  --backend-stack    default cognito-spa-backend
  --hosting-stack    default cognito-spa-hosting
  --region           passed to every aws call (default: the CLI's configuration)
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub dry_run: bool,
    pub env_file: Option<PathBuf>,
    pub api: ApiVariant,
    /// `apis` (all three, from the backend stack) instead of `apiUrl`: the
    /// default, unless `--api` or `--env-file` asks for one API.
    pub apis: bool,
    pub backend_stack: String,
    pub hosting_stack: String,
    pub region: Option<String>,
}

pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        dry_run: false,
        env_file: None,
        api: ApiVariant::Cognito,
        apis: false,
        backend_stack: "cognito-spa-backend".into(),
        hosting_stack: "cognito-spa-hosting".into(),
        region: None,
    };
    let mut api_given = false;
    let mut apis_given = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .with_context(|| format!("{arg} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--dry-run" => options.dry_run = true,
            "--env-file" => options.env_file = Some(PathBuf::from(value()?)),
            "--api" => {
                options.api = ApiVariant::parse(&value()?)?;
                api_given = true;
            }
            "--apis" => apis_given = true,
            "--backend-stack" => options.backend_stack = value()?,
            "--hosting-stack" => options.hosting_stack = value()?,
            "--region" => options.region = Some(value()?),
            other => bail!("unknown option {other:?}\n\n{USAGE}"),
        }
    }
    if apis_given && api_given {
        bail!("--apis lists every API; it does not take --api too\n\n{USAGE}");
    }
    if apis_given && options.env_file.is_some() {
        bail!("--apis reads the three API URLs from the backend stack's outputs, not from --env-file\n\n{USAGE}");
    }
    options.apis = !api_given && options.env_file.is_none();
    Ok(options)
}

pub fn run(args: &[String]) -> Result<()> {
    let options = parse_args(args)?;
    let dist = root().join("dist");
    let files = read_dir_files(&dist)
        .with_context(|| format!("cannot read {}: run cargo xtask dist first", dist.display()))?;
    let staging = root().join("target").join("deploy");

    let settings = app_settings(&options)?;
    let (target, remote) = if options.dry_run {
        let target = Target {
            hosting_stack: options.hosting_stack.clone(),
            bucket: format!("<BucketName of {}>", options.hosting_stack),
            distribution_id: format!("<DistributionId of {}>", options.hosting_stack),
        };
        (target, None)
    } else {
        let outputs = stack_outputs(&options, &options.hosting_stack)?;
        let get = |key: &str| {
            outputs
                .get(key)
                .cloned()
                .with_context(|| format!("stack {} has no output {key}", options.hosting_stack))
        };
        let target = Target {
            hosting_stack: options.hosting_stack.clone(),
            bucket: get("BucketName")?,
            distribution_id: get("DistributionId")?,
        };
        let remote = remote_etags(&options, &target.bucket)?;
        (target, Some(remote))
    };
    let plan = plan::plan(
        files,
        &settings,
        &target,
        remote.as_ref(),
        &staging.display().to_string(),
    )?;
    print_plan(&plan, options.apis);
    if options.dry_run {
        println!("\n==> dry run: nothing was changed");
        return Ok(());
    }
    std::fs::create_dir_all(&staging)?;
    for upload in &plan.uploads {
        std::fs::write(staging.join(&upload.key), &upload.body)?;
    }
    for step in &plan.steps {
        run_step(&step.what, aws(&options).args(&step.args))?;
    }
    println!(
        "\n==> deployed: {} uploaded, {} unchanged",
        plan.uploads.len(),
        plan.unchanged.len()
    );
    Ok(())
}

fn app_settings(options: &Options) -> Result<AppSettings> {
    if let Some(path) = &options.env_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return AppSettings::from_env_file(&text);
    }
    if options.dry_run {
        println!("==> dry run without --env-file: config.json shows placeholders where the backend stack's outputs go");
        let mut outputs = BTreeMap::new();
        for (key, value) in [
            ("UserPoolClientId", "CLIENTID"),
            (
                "HostedUiDomainUrl",
                "https://PREFIX.auth.REGION.amazoncognito.com",
            ),
            ("Region", "REGION"),
            ("UserPoolId", "REGION_POOLID"),
            (
                "CognitoApiUrl",
                "https://APIID.execute-api.REGION.amazonaws.com/prod/cognito",
            ),
            (
                "CognitoScopesApiUrl",
                "https://APIID.execute-api.REGION.amazonaws.com/prod/cognito-scopes",
            ),
            (
                "LambdaApiUrl",
                "https://APIID.execute-api.REGION.amazonaws.com/prod/lambda",
            ),
        ] {
            outputs.insert(key.to_string(), value.to_string());
        }
        return settings_from(&outputs, options);
    }
    settings_from(&stack_outputs(options, &options.backend_stack)?, options)
}

fn settings_from(outputs: &BTreeMap<String, String>, options: &Options) -> Result<AppSettings> {
    if options.apis {
        AppSettings::from_outputs_with_apis(outputs)
    } else {
        AppSettings::from_outputs(outputs, options.api)
    }
}

fn print_plan(plan: &Plan, apis: bool) {
    println!("\n==> config.json (key <- backend stack output <- environment file variable)");
    for (key, output, var) in settings::MAPPING {
        if apis && key == "apiUrl" {
            println!("    {:<11} <- {output}", "apis");
        } else {
            println!("    {key:<11} <- {output:<28} <- {var}");
        }
    }
    println!("{}", plan.config_json);
    println!("==> Content-Security-Policy\n{}\n", plan.csp);
    println!("==> objects");
    for u in &plan.uploads {
        println!(
            "    {:<44} Content-Type: {}; Cache-Control: {}{}",
            u.key,
            u.content_type,
            u.cache_control,
            u.content_encoding
                .map(|e| format!("; Content-Encoding: {e}"))
                .unwrap_or_default()
        );
    }
    for key in &plan.unchanged {
        println!("    {key:<44} unchanged");
    }
    if plan.invalidate.is_empty() {
        println!("\n==> nothing cached to invalidate");
    } else {
        println!("\n==> invalidate {}", plan.invalidate.join(" "));
    }
    println!("\n==> steps");
    for (n, step) in plan.steps.iter().enumerate() {
        println!("{:>3}. {}\n     {}", n + 1, step.what, shell_line(step));
    }
}

fn aws(options: &Options) -> std::process::Command {
    let mut cmd = command("aws");
    if let Some(region) = &options.region {
        cmd.args(["--region", region]);
    }
    cmd
}

fn aws_json(options: &Options, args: &[&str]) -> Result<String> {
    let output = aws(options)
        .args(args)
        .args(["--output", "json"])
        .output()
        .context("the aws CLI is not installed (see docs/deploy.md)")?;
    if !output.status.success() {
        bail!(
            "aws {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn stack_outputs(options: &Options, stack: &str) -> Result<BTreeMap<String, String>> {
    let json = aws_json(
        options,
        &[
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            stack,
            "--query",
            "Stacks[0].Outputs",
        ],
    )?;
    parse_outputs(&json)
}

/// key → ETag of every object in the bucket.
fn remote_etags(options: &Options, bucket: &str) -> Result<BTreeMap<String, String>> {
    let json = aws_json(
        options,
        &[
            "s3api",
            "list-objects-v2",
            "--bucket",
            bucket,
            "--query",
            "Contents[].[Key,ETag]",
        ],
    )?;
    let rows: Option<Vec<(String, String)>> =
        serde_json::from_str(&json).context("unexpected list-objects-v2 output")?;
    Ok(rows.unwrap_or_default().into_iter().collect())
}

/// Every file under `dir`, as (key with `/` separators, bytes), sorted.
/// Hidden entries are skipped: Trunk stages a build in `dist/.stage`.
pub fn read_dir_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let key = path
                    .strip_prefix(dir)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((key, std::fs::read(&path)?));
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        let o = parse_args(&args(&[
            "--dry-run",
            "--api",
            "lambda",
            "--region",
            "eu-west-1",
        ]))
        .unwrap();
        assert!(o.dry_run);
        assert_eq!(o.api, ApiVariant::Lambda);
        assert_eq!(o.region.as_deref(), Some("eu-west-1"));
        assert_eq!(o.hosting_stack, "cognito-spa-hosting");
        assert!(parse_args(&args(&["--api", "http"])).is_err());
        assert_eq!(
            parse_args(&args(&["--api", "cognito-scopes"])).unwrap().api,
            ApiVariant::CognitoScopes
        );
        assert!(parse_args(&args(&["--env-file"])).is_err());
        assert!(parse_args(&args(&["--force"])).is_err());
        let o = parse_args(&args(&["--apis"])).unwrap();
        assert!(o.apis);
        assert!(parse_args(&args(&[])).unwrap().apis, "apis by default");
        assert!(!parse_args(&args(&["--api", "lambda"])).unwrap().apis);
        assert!(!parse_args(&args(&["--env-file", "x.env"])).unwrap().apis);
        let both = parse_args(&args(&["--apis", "--api", "lambda"])).unwrap_err();
        assert!(both.to_string().contains("--api"), "{both}");
        assert!(parse_args(&args(&["--apis", "--env-file", "x.env"])).is_err());
    }
}
