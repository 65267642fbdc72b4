//! Start and stop: a stop signal lets an in-flight request finish, then the server exits and
//! the port closes.

mod common;

use app::ssr::clock::ManualClock;
use common::{fresh_database, Backend};
use server::config::Settings;
use server::startup::Application;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn shutdown_finishes_in_flight_requests_then_stops() {
    let (url, dir) = fresh_database(Backend::Sqlite).await;
    let settings = Settings::for_tests(dir.path().to_path_buf(), url);
    let clock = ManualClock::new(time::OffsetDateTime::UNIX_EPOCH);
    let app = Application::build(&settings, Arc::new(clock))
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    let key = common::new_merchant(app.state(), "Shop").await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    assert!(client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap()
        .status()
        .is_success());

    // A request that is still uploading its body when the stop arrives.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    let body = reqwest::Body::wrap_stream(tokio_stream_from(rx));
    let in_flight = tokio::spawn(
        client
            .put(format!("{base}/api/v1/orders/1"))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(body)
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let order = common::order_body("1-1").to_string().into_bytes();
    tx.send(Ok(order)).await.unwrap();
    drop(tx);
    let resp = in_flight
        .await
        .unwrap()
        .expect("the in-flight request is answered");
    assert_eq!(resp.status(), 201, "the in-flight request completes");

    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "port closed"
    );
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// The binary as the run command starts it: bad settings are named and stop it.
#[test]
fn the_binary_names_bad_settings() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tracklight"))
        .env("TRACKLIGHT_BIND", "not-an-address")
        .env("TRACKLIGHT_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TRACKLIGHT_BIND: must be an IP address and port"),
        "{stderr}"
    );
    assert!(
        stderr.contains("TRACKLIGHT_LOG_FORMAT: must be text or json"),
        "{stderr}"
    );
}

/// On an empty database the binary creates demo data, prints the URLs to open, serves them,
/// and exits cleanly on SIGTERM. The test stops reading stdout after the banner, as a log
/// shipper that goes away would: the server must carry on.
#[tokio::test]
async fn the_binary_prints_demo_urls_serves_them_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tracklight"))
        .env("TRACKLIGHT_BIND", "127.0.0.1:0")
        .env("TRACKLIGHT_DATA_DIR", dir.path())
        .env("TRACKLIGHT_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.contains("Stop with Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    });
    let lines = tokio::time::timeout(Duration::from_secs(30), lines)
        .await
        .expect("banner printed")
        .unwrap();
    let banner = lines.join("\n");
    let pages: Vec<&str> = banner
        .split_whitespace()
        .filter(|w| w.starts_with("http://") && w.contains("/t/"))
        .collect();
    // Orders 1001 to 1003, and 1004 in two parcels.
    assert_eq!(pages.len(), 5, "{banner}");
    let lookup = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://") && w.contains("/track/"))
        .expect("the look-up page in the banner");
    assert!(banner.contains("/api/docs"), "{banner}");
    assert!(banner.contains("Demo API key:      tl_"), "{banner}");

    let client = reqwest::Client::new();
    let page = client.get(pages[0]).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Northwind Coffee Co."));
    let page = client.get(lookup).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Track your order"));
    // No Yotpo API URL configured: the sandbox, and the page says so.
    assert!(banner.contains("Yotpo SMS & Email: SANDBOX"), "{banner}");
    assert!(banner.contains("Klaviyo: SANDBOX"), "{banner}");
    assert!(html.contains("Sandbox mode"), "{html}");
    let sandbox = banner
        .split_whitespace()
        .find(|w| w.ends_with("/sandbox"))
        .expect("sandbox URL in the banner");
    let overview: serde_json::Value = client
        .get(sandbox)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(overview["stores"], serde_json::json!(["northwind-demo"]));
    // The demo merchant's sign-in works.
    let login = banner
        .lines()
        .find(|l| l.contains("Merchant settings:"))
        .expect("a demo sign-in in the banner");
    let inside = login.split('(').nth(1).unwrap().trim_end_matches(')');
    let (email, password) = inside.split_once(" / ").unwrap();
    let base = pages[0].split("/t/").next().unwrap();
    let signed_in = client
        .post(format!("{base}/api/fn/sign_in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert!(signed_in.headers().contains_key("set-cookie"), "{login}");

    stops_cleanly_on_sigterm(child).await;
}

/// `tracklight yotpo-sandbox` on its own: prints where it listens, answers the Yotpo client
/// with the stores given on the command line, stops on SIGTERM.
#[tokio::test]
async fn the_sandbox_runs_as_its_own_command() {
    use app::ssr::sms::{Account, AccountId};
    use app::ssr::yotpo::{YotpoClient, YotpoConfig, YotpoError};
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tracklight"))
        .args([
            "yotpo-sandbox",
            "--bind",
            "127.0.0.1:0",
            "--store",
            "shop1:s3cret:11,12",
            "--rate-limit",
            "3",
        ])
        .env("TRACKLIGHT_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    });
    let first = tokio::time::timeout(Duration::from_secs(30), first)
        .await
        .expect("the sandbox prints its URL")
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("Yotpo sandbox at ")
        .expect(&first)
        .to_owned();

    let yotpo = YotpoClient::new(YotpoConfig::new(url.parse().unwrap())).unwrap();
    let account = |secret: &str| Account {
        id: AccountId::parse("shop1").unwrap(),
        secret: secret.to_owned().into(),
    };
    yotpo.check_credentials(&account("s3cret")).await.unwrap();
    assert_eq!(
        yotpo.check_credentials(&account("wrong")).await,
        Err(YotpoError::BadCredentials)
    );
    let lists = yotpo.lists(&account("s3cret")).await.unwrap().unwrap();
    assert_eq!(lists.iter().map(|l| l.id).collect::<Vec<_>>(), [11, 12]);
    let faults: serde_json::Value = reqwest::get(format!("{url}/sandbox/faults"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["rate_limit_per_second"], 3);

    stops_cleanly_on_sigterm(child).await;
}

/// Sends SIGTERM and expects a clean exit within ten seconds.
async fn stops_cleanly_on_sigterm(mut child: std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap());
    let exit = tokio::time::timeout(Duration::from_secs(10), exit)
        .await
        .expect("stops on SIGTERM")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}
