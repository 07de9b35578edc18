//! `devstack`: run the local Cognito + API Gateway stand-in.

use clap::Parser;
use devstack::{AuthorizerMode, DevStackConfig, Seed};
use std::path::PathBuf;
use std::process::ExitCode;

/// The banner goes to stdout, which may be a pipe the reader closed (a
/// test that read the URL line, `devstack | head`): a failed write is
/// dropped, since `println!` would panic and take the running servers down.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// [`say!`] without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "devstack",
    version,
    about = "Local stand-in for the Cognito hosted UI, OAuth endpoints and an API Gateway REST /book"
)]
struct Cli {
    /// Seed file (TOML); the built-in seed when absent.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Port of the hosted UI / Cognito domain origin (0 = any free port).
    #[arg(long, default_value_t = devstack::DEFAULT_HOSTED_UI_PORT, value_name = "N")]
    hosted_ui_port: u16,
    /// Port of the API Gateway origin (0 = any free port).
    #[arg(long, default_value_t = devstack::DEFAULT_API_PORT, value_name = "N")]
    api_port: u16,
    /// App origin to register (adds {origin}/callback and {origin}/); repeatable.
    #[arg(long = "app-origin", value_name = "URL")]
    app_origins: Vec<String>,
    /// Authorizer on GET /book: cognito, cognito-scopes or lambda.
    #[arg(long, default_value = "cognito", value_parser = parse_mode)]
    authorizer: AuthorizerMode,
    /// No CORS headers on gateway-generated errors (API Gateway's default).
    #[arg(long)]
    no_gateway_cors: bool,
    /// Authorizer result cache off (every TTL 0): each call is verified.
    #[arg(long)]
    no_authorizer_cache: bool,
    /// Add a new signing key pair at start (the previous pair stays in the JWKS).
    #[arg(long)]
    rotate_keys: bool,
    /// Where keys are kept [default: .devstack].
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Print the app's config.json for these ports (and the first --app-origin) and exit.
    #[arg(long)]
    print_app_config: bool,
    /// With --print-app-config: `apis`, one API per authorizer kind (the default).
    #[arg(long, requires = "print_app_config", conflicts_with = "single_api")]
    apis: bool,
    /// With --print-app-config: one `apiUrl` (the --authorizer's GET /book) instead of `apis`.
    #[arg(long, requires = "print_app_config")]
    single_api: bool,
}

fn parse_mode(s: &str) -> Result<AuthorizerMode, String> {
    s.parse()
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("devstack: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut seed = match &cli.config {
        Some(path) => Seed::load(path)?,
        None => Seed::builtin(),
    };
    if cli.no_authorizer_cache {
        seed.api.cache_ttl_seconds = devstack::config::seed::CacheTtl::off();
    }
    if cli.print_app_config {
        let ui = format!("http://127.0.0.1:{}", cli.hosted_ui_port);
        let api = format!("http://127.0.0.1:{}/{}", cli.api_port, seed.api.stage);
        let origin = cli.app_origins.first().map(String::as_str);
        let cfg = if cli.single_api {
            devstack::app_config_json(&seed, &ui, &api, origin)
        } else {
            devstack::app_config_json_with_apis(&seed, &ui, &api, origin)
        };
        println!("{}", serde_json::to_string_pretty(&cfg)?);
        return Ok(());
    }
    let mut config = DevStackConfig::from_seed(seed);
    config.hosted_ui_port = cli.hosted_ui_port;
    config.api_port = cli.api_port;
    config.extra_app_origins = cli.app_origins;
    config.authorizer = cli.authorizer;
    config.gateway_responses_cors = !cli.no_gateway_cors;
    config.state_dir = cli.state_dir;
    let handle = devstack::start(config).await?;
    if cli.rotate_keys {
        let h = &handle;
        tokio::task::block_in_place(|| h.rotate_keys());
    }
    say!("devstack is running");
    say!("  hosted UI (Cognito domain): {}", handle.hosted_ui_url());
    say!(
        "  API (GET /book):            {}/book  [authorizer: {}]",
        handle.api_url(),
        handle.authorizer()
    );
    for (mode, url) in devstack::gateway::api_bases(&handle.api_url()) {
        say!("    and {url}/book  [authorizer: {mode}]");
    }
    say!("  issuer:                     {}", handle.issuer());
    say!("  JWKS:                       {}", handle.jwks_url());
    say!("  client id:                  {}", handle.client_id());
    say!("  demo sign-in (seed users; passwords as in the seed file):");
    for user in &handle.seed().users {
        let groups = if user.groups.is_empty() {
            "no groups".to_string()
        } else {
            format!("groups: {}", user.groups.join(", "))
        };
        // Passwords are never printed: they are in the seed file.
        say!("    {}  ({groups})", user.username);
    }
    if let Some(user) = handle.seed().users.first() {
        say_raw!(
            "{}",
            devstack::idp::recipe::recipe(
                &handle.seed().pool.id,
                &handle.client_id(),
                &handle.hosted_ui_url(),
                &handle.api_url(),
                if handle.seed().user_pool.email_is_username() {
                    &user.email
                } else {
                    &user.username
                },
            )
        );
    }
    say!(
        "  user-pool API (boto3, AWS CLI, SDKs): POST {}/  outbox: {}/_devstack/outbox.html",
        handle.hosted_ui_url(),
        handle.hosted_ui_url()
    );
    say!(
        "  live controls (expire tokens, rotate keys, CORS, groups, sign-out, faults): {}/_devstack",
        handle.hosted_ui_url()
    );
    say!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    eprintln!("devstack: shutting down");
    handle.shutdown().await;
    Ok(())
}
