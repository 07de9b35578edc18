//! Headless Chromium through Debian's chromedriver, one fresh profile per
//! test, so storage and cookies never leak between tests.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long a test waits for something to appear before failing.
pub const WAIT: Duration = Duration::from_secs(15);
/// How often a wait looks again. fantoccini's default of 250 ms made every
/// wait end up to a quarter second late; at 10 ms the sign-in and inspector
/// suites run about a third faster, and the bench's waits end on time.
const POLL: Duration = Duration::from_millis(10);

pub struct Browser {
    pub client: Client,
    driver: Child,
    driver_port: u16,
    /// Console entries read so far (chromedriver hands each out once).
    console: std::sync::Mutex<Vec<String>>,
    _profile: tempfile::TempDir,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start() -> Browser {
        let driver_path = env_or("CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = env_or("CHROMIUM", "/usr/bin/chromium");
        let port = free_port();
        let mut driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            // A process group of its own, which the Chromium it starts
            // joins, so that Drop can end them all (see there).
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}; run `cargo xtask setup`"));
        wait_for_port(port, &mut driver);

        let profile = tempfile::tempdir().expect("a temporary Chromium profile");
        let capabilities: Capabilities = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    // This network reaches only the package registries; without
                    // these Chromium keeps dialing hosts that refuse it.
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                    "--no-first-run",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }))
        .expect("capabilities are a JSON object");
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Browser {
            client,
            driver,
            driver_port: port,
            console: std::sync::Mutex::new(Vec::new()),
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    /// Waits for the element with `data-testid=id`.
    pub async fn testid(&self, id: &str) -> Element {
        self.css(&format!("[data-testid=\"{id}\"]")).await
    }

    /// Waits for the element with `data-testid` = `id` and reads its text
    /// (empty when it cannot be read).
    pub async fn testid_text(&self, id: &str) -> String {
        self.testid(id).await.text().await.unwrap_or_default()
    }

    /// Waits for an element matching `selector`.
    pub async fn css(&self, selector: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(selector))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                let body = self.body_text().await;
                panic!(
                    "no element {selector} at {url} within {WAIT:?} ({e}); the page says:\n{body}"
                )
            }
        }
    }

    /// Fills and submits the hosted UI's login form (devstack's, which
    /// uses Cognito's field names).
    pub async fn submit_login_form(&self, user: &str, password: &str) {
        self.css("input#username")
            .await
            .send_keys(user)
            .await
            .expect("type the username");
        self.css("input#password")
            .await
            .send_keys(password)
            .await
            .expect("type the password");
        self.css("button[type=submit]")
            .await
            .click()
            .await
            .expect("submit the form");
    }

    /// Whether an element matching `selector` is in the page right now.
    pub async fn has(&self, selector: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(selector))
            .await
            .unwrap_or_default()
            .is_empty()
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .to_string()
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Every browser console entry of this session so far (level, source
    /// and message, one string each), including Chromium's own reports such
    /// as Content-Security-Policy violations. Read through chromedriver's
    /// log endpoint (`goog:loggingPrefs` is set to `browser: ALL`).
    pub async fn console_log(&self) -> Vec<String> {
        let session = self.client.session_id().await.ok().flatten();
        if let Some(session) = session {
            let url = format!(
                "http://127.0.0.1:{}/session/{session}/se/log",
                self.driver_port
            );
            let answer = reqwest::Client::new()
                .post(url)
                .json(&json!({"type": "browser"}))
                .send()
                .await;
            if let Ok(answer) = answer {
                let body: serde_json::Value = answer.json().await.unwrap_or_default();
                let mut console = self.console.lock().expect("console lock");
                for entry in body["value"].as_array().into_iter().flatten() {
                    console.push(format!(
                        "{} {} {}",
                        entry["level"].as_str().unwrap_or("?"),
                        entry["source"].as_str().unwrap_or("?"),
                        entry["message"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        self.console.lock().expect("console lock").clone()
    }

    /// Console entries that report a Content-Security-Policy violation.
    pub async fn csp_violations(&self) -> Vec<String> {
        self.console_log()
            .await
            .into_iter()
            .filter(|line| {
                line.contains("Content Security Policy") || line.contains("Content-Security-Policy")
            })
            .collect()
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Ends the session (which quits Chromium), then the driver.
    pub async fn close(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    /// Ends chromedriver and every Chromium process it started. Killing
    /// chromedriver alone left the browser of a test that panicked running,
    /// and those browsers slowed every test (and bench) after it.
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.driver.id()) {
            // SAFETY: kill(2) with a negative pid signals that process
            // group; it reads no memory of ours.
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn wait_for_port(port: u16, driver: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = driver.try_wait() {
            panic!("chromedriver exited at start ({status})");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}
