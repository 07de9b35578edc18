//! The app's config.json for a deployment, from the backend stack's outputs
//! or from an environment file, and the hosts the CSP must allow.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use super::csp::Hosts;

/// Which `/book` the app calls: behind the Cognito authorizer without
/// method scopes (ID token), the Cognito authorizer with method scope
/// `books/read` (access token), or the Lambda TOKEN authorizer (access
/// token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVariant {
    Cognito,
    CognitoScopes,
    Lambda,
}

impl ApiVariant {
    pub fn parse(text: &str) -> Result<ApiVariant> {
        match text {
            "cognito" => Ok(ApiVariant::Cognito),
            "cognito-scopes" => Ok(ApiVariant::CognitoScopes),
            "lambda" => Ok(ApiVariant::Lambda),
            other => bail!("--api takes cognito, cognito-scopes or lambda, got {other:?}"),
        }
    }

    pub const ALL: [ApiVariant; 3] = [
        ApiVariant::Cognito,
        ApiVariant::CognitoScopes,
        ApiVariant::Lambda,
    ];

    /// config.json's `authorizer` of an `apis` entry.
    pub fn authorizer(self) -> &'static str {
        match self {
            ApiVariant::Cognito => "cognito",
            ApiVariant::CognitoScopes => "cognito-scopes",
            ApiVariant::Lambda => "lambda",
        }
    }

    /// The entry's `name` (devstack's `--print-app-config --apis` names
    /// its APIs the same, so both configs read alike).
    fn display_name(self) -> &'static str {
        match self {
            ApiVariant::Cognito => "Cognito authorizer (ID token)",
            ApiVariant::CognitoScopes => "Cognito authorizer with scopes (access token)",
            ApiVariant::Lambda => "Lambda TOKEN authorizer (access token)",
        }
    }

    /// The backend stack output holding this variant's base URL.
    pub fn output_key(self) -> &'static str {
        match self {
            ApiVariant::Cognito => "CognitoApiUrl",
            ApiVariant::CognitoScopes => "CognitoScopesApiUrl",
            ApiVariant::Lambda => "LambdaApiUrl",
        }
    }
}

/// What config.json needs, however it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSettings {
    pub client_id: String,
    pub domain: String,
    pub region: String,
    pub user_pool_id: String,
    pub api_url: Option<String>,
    /// config.json's `apis` (every API of the stack, each with its
    /// authorizer) in place of `apiUrl`; empty for `apiUrl` alone.
    pub apis: Vec<(ApiVariant, String)>,
}

/// Scopes the app asks for: the app client allows exactly these, and
/// `books/read` is what the access token needs for the scoped API.
const SCOPES: [&str; 4] = ["openid", "email", "profile", "books/read"];

/// The method scopes of the scoped API (`AuthorizationScopes` of
/// infra/backend.yaml's `/cognito-scopes/book`).
const METHOD_SCOPES: [&str; 1] = ["books/read"];

/// config.json key ← backend stack output ← environment file variable.
/// `clientId` is always the production client: the backend stack's
/// `DevUserPoolClientId` (localhost callbacks, implicit flow) is for a
/// local `public/config.json` only, and its callbacks would not match the
/// site anyway.
pub const MAPPING: [(&str, &str, &str); 5] = [
    ("clientId", "UserPoolClientId", "CLIENT_ID"),
    ("domain", "HostedUiDomainUrl", "COGNITO_DOMAIN"),
    ("region", "Region", "AWS_REGION"),
    ("userPoolId", "UserPoolId", "USER_POOL_ID"),
    (
        "apiUrl",
        "CognitoApiUrl / CognitoScopesApiUrl / LambdaApiUrl",
        "API_URL",
    ),
];

impl AppSettings {
    /// From `aws cloudformation describe-stacks` outputs (key → value).
    pub fn from_outputs(outputs: &BTreeMap<String, String>, api: ApiVariant) -> Result<Self> {
        let get = |key: &str| {
            outputs
                .get(key)
                .cloned()
                .with_context(|| format!("the backend stack has no output {key}"))
        };
        Ok(AppSettings {
            client_id: get("UserPoolClientId")?,
            domain: get("HostedUiDomainUrl")?,
            region: get("Region")?,
            user_pool_id: get("UserPoolId")?,
            api_url: Some(get(api.output_key())?),
            apis: Vec::new(),
        })
    }

    /// [`AppSettings::from_outputs`] with all three APIs as `apis`.
    pub fn from_outputs_with_apis(outputs: &BTreeMap<String, String>) -> Result<Self> {
        let mut settings = Self::from_outputs(outputs, ApiVariant::Cognito)?;
        settings.api_url = None;
        for api in ApiVariant::ALL {
            let url = outputs
                .get(api.output_key())
                .with_context(|| format!("the backend stack has no output {}", api.output_key()))?;
            settings
                .apis
                .push((api, url.trim_end_matches('/').to_string()));
        }
        Ok(settings)
    }

    /// From a `KEY=VALUE` file (`#` comments, optional quotes), for pools
    /// made outside this project's stacks.
    pub fn from_env_file(text: &str) -> Result<Self> {
        let vars = parse_env_file(text)?;
        let get = |key: &str| {
            vars.get(key)
                .cloned()
                .with_context(|| format!("the environment file does not set {key}"))
        };
        Ok(AppSettings {
            client_id: get("CLIENT_ID")?,
            domain: get("COGNITO_DOMAIN")?,
            region: get("AWS_REGION")?,
            user_pool_id: get("USER_POOL_ID")?,
            api_url: vars.get("API_URL").cloned(),
            apis: Vec::new(),
        })
    }

    pub fn issuer(&self) -> String {
        cognito_jwt::pool::issuer(&self.region, &self.user_pool_id)
    }

    /// The file the app loads at start-up (docs/contract.md §1). `redirectUri` and
    /// `logoutUri` are left to their defaults, the page's own origin, which
    /// is what the backend stack registers.
    pub fn config_json(&self) -> String {
        let mut config = json!({
            "clientId": self.client_id,
            "domain": self.domain.trim_end_matches('/'),
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "scopes": SCOPES,
        });
        if let (Some(api), Value::Object(map)) = (&self.api_url, &mut config) {
            map.insert("apiUrl".into(), json!(api.trim_end_matches('/')));
        }
        if let (false, Value::Object(map)) = (self.apis.is_empty(), &mut config) {
            let apis: Vec<Value> = self
                .apis
                .iter()
                .map(|(api, url)| {
                    let mut entry = json!({
                        "name": api.display_name(),
                        "url": url,
                        "authorizer": api.authorizer(),
                    });
                    if *api == ApiVariant::CognitoScopes {
                        entry["scopes"] = json!(METHOD_SCOPES);
                    }
                    entry
                })
                .collect();
            map.insert("apis".into(), Value::Array(apis));
        }
        let mut text = serde_json::to_string_pretty(&config).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn hosts(&self) -> Hosts {
        Hosts {
            cognito_domain: self.domain.clone(),
            key_set: self.issuer(),
            // The three APIs are paths of one REST API: one host.
            api: self
                .api_url
                .clone()
                .or_else(|| self.apis.first().map(|(_, url)| url.clone())),
        }
    }
}

pub fn parse_env_file(text: &str) -> Result<BTreeMap<String, String>> {
    let mut vars = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            bail!("line {}: expected KEY=VALUE", n + 1);
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        vars.insert(key.trim().to_string(), value.to_string());
    }
    Ok(vars)
}

/// `[{"OutputKey": …, "OutputValue": …}]` → key → value.
pub fn parse_outputs(json: &str) -> Result<BTreeMap<String, String>> {
    let value: Value = serde_json::from_str(json).context("stack outputs are not JSON")?;
    let mut outputs = BTreeMap::new();
    for item in value.as_array().map(Vec::as_slice).unwrap_or_default() {
        if let (Some(k), Some(v)) = (
            item.get("OutputKey").and_then(Value::as_str),
            item.get("OutputValue").and_then(Value::as_str),
        ) {
            outputs.insert(k.to_string(), v.to_string());
        }
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUTS: &str = r#"[
      {"OutputKey":"UserPoolClientId","OutputValue":"7abc"},
      {"OutputKey":"HostedUiDomainUrl","OutputValue":"https://p.auth.eu-west-1.amazoncognito.com"},
      {"OutputKey":"Region","OutputValue":"eu-west-1"},
      {"OutputKey":"UserPoolId","OutputValue":"eu-west-1_Abc"},
      {"OutputKey":"DevUserPoolClientId","OutputValue":"9dev"},
      {"OutputKey":"CognitoApiUrl","OutputValue":"https://a.execute-api.eu-west-1.amazonaws.com/prod/cognito"},
      {"OutputKey":"CognitoScopesApiUrl","OutputValue":"https://a.execute-api.eu-west-1.amazonaws.com/prod/cognito-scopes"},
      {"OutputKey":"LambdaApiUrl","OutputValue":"https://a.execute-api.eu-west-1.amazonaws.com/prod/lambda/"}
    ]"#;

    #[test]
    fn config_from_stack_outputs() {
        let outputs = parse_outputs(OUTPUTS).unwrap();
        let settings = AppSettings::from_outputs(&outputs, ApiVariant::Lambda).unwrap();
        let config: Value = serde_json::from_str(&settings.config_json()).unwrap();
        assert_eq!(
            config,
            json!({
                "clientId": "7abc",
                "domain": "https://p.auth.eu-west-1.amazoncognito.com",
                "region": "eu-west-1",
                "userPoolId": "eu-west-1_Abc",
                "scopes": ["openid", "email", "profile", "books/read"],
                "apiUrl": "https://a.execute-api.eu-west-1.amazonaws.com/prod/lambda",
            })
        );
        assert_eq!(
            settings.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc"
        );
        let mut missing = outputs.clone();
        missing.remove("UserPoolId");
        assert!(AppSettings::from_outputs(&missing, ApiVariant::Cognito).is_err());
    }

    #[test]
    fn each_api_variant_reads_its_output() {
        let outputs = parse_outputs(OUTPUTS).unwrap();
        for (name, path) in [
            ("cognito", "/prod/cognito"),
            ("cognito-scopes", "/prod/cognito-scopes"),
            ("lambda", "/prod/lambda"),
        ] {
            let api = ApiVariant::parse(name).unwrap();
            let settings = AppSettings::from_outputs(&outputs, api).unwrap();
            let config: Value = serde_json::from_str(&settings.config_json()).unwrap();
            assert_eq!(
                config["apiUrl"],
                format!("https://a.execute-api.eu-west-1.amazonaws.com{path}"),
                "{name}"
            );
        }
        assert!(ApiVariant::parse("cognito_scopes").is_err());
        let mut missing = outputs.clone();
        missing.remove("CognitoScopesApiUrl");
        assert!(AppSettings::from_outputs(&missing, ApiVariant::CognitoScopes).is_err());
    }

    #[test]
    fn apis_lists_every_api_in_place_of_api_url() {
        let outputs = parse_outputs(OUTPUTS).unwrap();
        let settings = AppSettings::from_outputs_with_apis(&outputs).unwrap();
        let config: Value = serde_json::from_str(&settings.config_json()).unwrap();
        assert!(config.get("apiUrl").is_none(), "never both: {config}");
        assert_eq!(
            config["apis"],
            json!([
                {
                    "name": "Cognito authorizer (ID token)",
                    "url": "https://a.execute-api.eu-west-1.amazonaws.com/prod/cognito",
                    "authorizer": "cognito",
                },
                {
                    "name": "Cognito authorizer with scopes (access token)",
                    "url": "https://a.execute-api.eu-west-1.amazonaws.com/prod/cognito-scopes",
                    "authorizer": "cognito-scopes",
                    "scopes": ["books/read"],
                },
                {
                    "name": "Lambda TOKEN authorizer (access token)",
                    "url": "https://a.execute-api.eu-west-1.amazonaws.com/prod/lambda",
                    "authorizer": "lambda",
                },
            ])
        );
        assert_eq!(config["clientId"], "7abc");
        assert_eq!(
            settings.hosts().api.as_deref(),
            Some("https://a.execute-api.eu-west-1.amazonaws.com/prod/cognito")
        );
        let mut missing = outputs.clone();
        missing.remove("LambdaApiUrl");
        let err = AppSettings::from_outputs_with_apis(&missing).unwrap_err();
        assert!(err.to_string().contains("LambdaApiUrl"), "{err}");
    }

    /// The site gets the production client even though the stack also
    /// outputs the development client's id.
    #[test]
    fn config_names_the_production_client_never_the_dev_one() {
        let outputs = parse_outputs(OUTPUTS).unwrap();
        for api in [
            ApiVariant::Cognito,
            ApiVariant::CognitoScopes,
            ApiVariant::Lambda,
        ] {
            let settings = AppSettings::from_outputs(&outputs, api).unwrap();
            assert_eq!(settings.client_id, "7abc");
            assert!(!settings.config_json().contains("9dev"));
        }
    }

    /// Every output the deploy reads is declared in the templates, so a
    /// renamed output fails here and not halfway through a real deploy.
    #[test]
    fn the_templates_declare_every_output_the_deploy_reads() {
        let infra = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../infra");
        let outputs_of = |file: &str| {
            let text = std::fs::read_to_string(infra.join(file)).unwrap();
            let section = text
                .split_once("\nOutputs:\n")
                .unwrap_or_else(|| panic!("{file} has no Outputs section"))
                .1
                .to_string();
            section
                .lines()
                .filter_map(|line| line.strip_prefix("  "))
                .filter(|rest| !rest.starts_with(' ') && !rest.starts_with('#'))
                .filter_map(|rest| rest.strip_suffix(':'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let backend = outputs_of("backend.yaml");
        let mut read: Vec<&str> = MAPPING[..4].iter().map(|(_, output, _)| *output).collect();
        for api in [
            ApiVariant::Cognito,
            ApiVariant::CognitoScopes,
            ApiVariant::Lambda,
        ] {
            read.push(api.output_key());
        }
        for key in read {
            assert!(
                backend.iter().any(|o| o == key),
                "backend.yaml has no output {key}"
            );
        }
        assert!(backend.iter().any(|o| o == "DevUserPoolClientId"));
        let hosting = outputs_of("hosting.yaml");
        for key in ["BucketName", "DistributionId"] {
            assert!(
                hosting.iter().any(|o| o == key),
                "hosting.yaml has no output {key}"
            );
        }
    }

    #[test]
    fn config_from_env_file() {
        let text = "# pool made by hand\nCLIENT_ID=7abc\nexport COGNITO_DOMAIN=\"https://p.auth.eu-west-1.amazoncognito.com\"\nAWS_REGION='eu-west-1'\nUSER_POOL_ID=eu-west-1_Abc\n";
        let settings = AppSettings::from_env_file(text).unwrap();
        assert_eq!(settings.client_id, "7abc");
        assert_eq!(
            settings.domain,
            "https://p.auth.eu-west-1.amazoncognito.com"
        );
        assert_eq!(settings.region, "eu-west-1");
        assert_eq!(settings.api_url, None);
        assert!(!settings.config_json().contains("apiUrl"));
        assert!(AppSettings::from_env_file("CLIENT_ID=1").is_err());
        assert!(parse_env_file("no equals sign").is_err());
    }
}
