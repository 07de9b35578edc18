//! All three authorizer kinds at once, on the paths infra/backend.yaml
//! deploys, and the `apis` list of config.json that names them.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn kind_of(res: reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["message"], "Hello from the /book backend");
    body["authorizer"]["kind"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_route_has_its_own_authorizer_kind() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let id = t["id_token"].as_str().unwrap();
    let access = t["access_token"].as_str().unwrap();
    let (id, access) = (format!("Bearer {id}"), format!("Bearer {access}"));

    assert_eq!(
        kind_of(s.book_at("/cognito", Some(&id)).await).await,
        "cognito"
    );
    let res = s.book_at("/cognito", Some(&access)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let scoped = s.book_at("/cognito-scopes", Some(&access)).await;
    assert_eq!(kind_of(scoped).await, "cognito-scopes");
    let res = s.book_at("/cognito-scopes", Some(&id)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let res = s.book_at("/lambda", Some(&access)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["authorizer"]["kind"], "lambda");
    assert_eq!(body["authorizer"]["username"], "demo");
    let res = s.book_at("/lambda", Some(&id)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The selected authorizer (cognito by default) still guards /{stage}/book.
    assert_eq!(kind_of(s.book_at("", Some(&id)).await).await, "cognito");
    s.handle.set_authorizer(devstack::AuthorizerMode::Lambda);
    assert_eq!(kind_of(s.book_at("", Some(&access)).await).await, "lambda");
    // …and switching it leaves the fixed routes alone.
    assert_eq!(
        kind_of(s.book_at("/cognito", Some(&id)).await).await,
        "cognito"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lambda_route_denies_a_token_without_the_scope() {
    let s = stack().await;
    let t = s.tokens(&[("scope", "openid email")], "demo").await;
    let access = format!("Bearer {}", t["access_token"].as_str().unwrap());
    let res = s.book_at("/lambda", Some(&access)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["Message"],
        "User is not authorized to access this resource with an explicit deny"
    );
    let res = s.book_at("/cognito-scopes", Some(&access)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // The scoped token passes the Lambda on its route, whose table the
    // seed's `GET /book` becomes `GET /lambda/book` for.
    let t = s.tokens(&[], "demo").await;
    let access = format!("Bearer {}", t["access_token"].as_str().unwrap());
    assert_eq!(
        kind_of(s.book_at("/lambda", Some(&access)).await).await,
        "lambda"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_of_the_config_answers_its_token() {
    let s = stack().await;
    let plain = s.handle.app_config_json(None);
    assert!(plain.get("apis").is_none());
    assert_eq!(plain["apiUrl"], s.handle.api_url());

    let cfg = s.handle.app_config_json_with_apis(None);
    assert!(
        cfg.get("apiUrl").is_none(),
        "apiUrl and apis never together"
    );
    let apis = cfg["apis"].as_array().unwrap();
    let kinds: Vec<&str> = apis
        .iter()
        .map(|a| a["authorizer"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["cognito", "cognito-scopes", "lambda"]);
    let mut names: Vec<&str> = apis.iter().map(|a| a["name"].as_str().unwrap()).collect();
    names.dedup();
    assert_eq!(names.len(), 3);
    for api in apis {
        let has_scopes = api.get("scopes").is_some();
        assert_eq!(has_scopes, api["authorizer"] == "cognito-scopes", "{api}");
    }
    assert_eq!(apis[1]["scopes"], json!(["books/read"]));

    let t = s.tokens(&[], "demo").await;
    for api in apis {
        let token = if api["authorizer"] == "cognito" {
            &t["id_token"]
        } else {
            &t["access_token"]
        };
        let res = reqwest::Client::new()
            .get(format!("{}/book", api["url"].as_str().unwrap()))
            .header(
                "Authorization",
                format!("Bearer {}", token.as_str().unwrap()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(kind_of(res).await, api["authorizer"].as_str().unwrap());
    }
}

#[test]
fn print_app_config_writes_apis_unless_asked_for_one_api_url() {
    let print = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_devstack"))
            .args(["--print-app-config", "--api-port", "4999"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = print(&["--single-api"]);
    assert!(out.status.success());
    let cfg: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cfg["apiUrl"], "http://127.0.0.1:4999/prod");
    assert!(cfg.get("apis").is_none());

    let out = print(&[]);
    assert!(out.status.success());
    let cfg: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cfg.get("apiUrl").is_none());
    assert_eq!(
        print(&["--apis"]).stdout,
        out.stdout,
        "--apis names the default"
    );
    assert!(!print(&["--apis", "--single-api"]).status.success());
    let urls: Vec<&str> = cfg["apis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:4999/prod/cognito",
            "http://127.0.0.1:4999/prod/cognito-scopes",
            "http://127.0.0.1:4999/prod/lambda",
        ]
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_devstack"))
        .arg("--apis")
        .output()
        .unwrap();
    assert!(!out.status.success(), "--apis alone is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--print-app-config"));
}

/// The routes are the ones the backend stack deploys: a renamed path in
/// infra/backend.yaml fails here, not in a demo against AWS.
#[test]
fn the_routes_are_the_backend_stacks_paths() {
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/backend.yaml"),
    )
    .unwrap();
    for (mode, url) in devstack::gateway::api_bases("https://api/prod") {
        let kind = url.strip_prefix("https://api/prod/").unwrap();
        assert_eq!(kind, mode.as_str());
        assert!(
            template.contains(&format!("PathPart: {kind}\n")),
            "backend.yaml has no /{kind} resource"
        );
        assert!(
            template.contains(&format!("/${{ApiStage}}/{kind}\"")),
            "backend.yaml outputs no URL ending in /{kind}"
        );
    }
}
