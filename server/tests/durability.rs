//! Consents survive what production throws at them, with real server processes: a SIGKILL
//! between step 1 and step 2 (the restarted server still sends step 2 at the right time);
//! a SIGKILL after Yotpo made the opt-in but before the server heard (the opt-in is sent
//! once); a server paused mid-opt-in until its lease ran out while another took over (sent
//! once); and two servers sharing one PostgreSQL (each step is sent once).

mod common;

use app::ssr::consent::settings::{save, HttpUrl, SmsSettingsUpdate};
use app::ssr::db::PoolConfig;
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::secrets::SecretBox;
use app::ssr::sms::{AccountId, ListId};
use app::ssr::Db;
use common::{fresh_database, Backend};
use sandbox::{Recorded, SandboxConfig, SandboxHandle, SandboxStore, SmsListSpec};
use serde_json::{json, Value};
use sqlx::Row;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STORE: &str = "durable-store";
const LIST: u64 = 4096107;

struct Env {
    database_url: String,
    secret_key: String,
    sandbox: SandboxHandle,
    data_dir: tempfile::TempDir,
    api_key: String,
}

/// A database with one merchant connected to a sandbox store, ready for servers to share.
async fn prepare(backend: Backend) -> Env {
    let (database_url, data_dir) = fresh_database(backend).await;
    let sandbox = sandbox::spawn(
        SandboxConfig {
            stores: vec![SandboxStore {
                store_id: STORE.into(),
                secret: "durable-secret".into(),
                lists: vec![SmsListSpec {
                    id: LIST,
                    name: "Tracking page".into(),
                }],
                forms: Vec::new(),
            }],
            // Customers show in reads a second after their upsert (Yotpo: about 60 s, as
            // long as the opt-in delay; here the delay is 3 s).
            faults: sandbox::Faults {
                visibility_delay_ms: 1_000,
                ..sandbox::Faults::default()
            },
            ..SandboxConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let secret_key = SecretBox::generate_key();
    let db = Db::connect(&database_url, &PoolConfig::default())
        .await
        .unwrap();
    let merchant = merchants::create(
        &db,
        &NewMerchant {
            name: app::domain::inputs::BrandName::parse("Durable Goods").unwrap(),
            accent_color: None,
            is_demo: false,
        },
        0,
    )
    .await
    .unwrap();
    let api_key = merchants::create_api_key(&db, &merchant, "test", 0)
        .await
        .unwrap()
        .expose()
        .to_owned();
    let secrets = SecretBox::from_base64(&secret_key).unwrap();
    save(
        &db,
        &secrets,
        &merchant,
        &SmsSettingsUpdate {
            account_id: AccountId::parse(STORE).unwrap(),
            secret: "durable-secret".to_owned().into(),
            list_id: ListId::from(LIST),
            terms_url: Some(HttpUrl::parse("https://durable.example/terms").unwrap()),
            privacy_url: Some(HttpUrl::parse("https://durable.example/privacy").unwrap()),
            heading: None,
            extra: None,
        },
    )
    .await
    .unwrap();
    db.close().await;
    Env {
        database_url,
        secret_key,
        sandbox,
        data_dir,
        api_key,
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tracklight` on the shared database and sandbox; waits for its banner.
async fn start(env: &Env) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracklight"))
        .env("TRACKLIGHT_BIND", "127.0.0.1:0")
        .env("TRACKLIGHT_DATA_DIR", env.data_dir.path())
        .env("TRACKLIGHT_DATABASE_URL", &env.database_url)
        .env("TRACKLIGHT_SECRET_KEY", &env.secret_key)
        .env("TRACKLIGHT_YOTPO_API_URL", env.sandbox.url())
        .env("TRACKLIGHT_YOTPO_LOYALTY_URL", env.sandbox.url())
        .env("TRACKLIGHT_OPTIN_DELAY_SECS", "3")
        // The sandbox shows writes to reads a second after making them (above).
        .env("TRACKLIGHT_YOTPO_READ_DELAY_SECS", "2")
        .env("TRACKLIGHT_DEMO", "false")
        // Each simulated shopper has its own address (X-Forwarded-For from a trusted proxy):
        // the per-address limit holds across both servers.
        .env("TRACKLIGHT_TRUSTED_PROXIES", "1")
        .env("TRACKLIGHT_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let base = tokio::task::spawn_blocking(move || {
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(url) = line.strip_prefix("Tracklight is running at ") {
                return url.trim().to_owned();
            }
        }
        panic!("the server stopped before listening");
    });
    let base = tokio::time::timeout(Duration::from_secs(30), base)
        .await
        .expect("the server starts")
        .unwrap();
    Server { child, base }
}

/// Puts an order and signs its shopper up on `server`; returns the E.164 phone.
async fn consent_through(server: &Server, env: &Env, n: usize) -> String {
    consent_through_as(
        server,
        env,
        n,
        json!({"id": format!("c{n}"), "first_name": "Kim", "shipping_country": "US"}),
    )
    .await
}

/// The same, for a shopper whose order has `email`.
async fn consent_through_with_email(server: &Server, env: &Env, n: usize, email: &str) -> String {
    let customer = json!({"id": format!("c{n}"), "first_name": "Kim", "email": email, "shipping_country": "US"});
    consent_through_as(server, env, n, customer).await
}

async fn consent_through_as(server: &Server, env: &Env, n: usize, customer: Value) -> String {
    let http = reqwest::Client::new();
    let order: Value = http
        .put(format!("{}/api/v1/orders/o{n}", server.base))
        .bearer_auth(&env.api_key)
        .json(&json!({
            "customer": customer,
            "shipments": [{"id": format!("o{n}-1"), "carrier": "UPS", "tracking_number": "1Z1"}]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = order["shipments"][0]["tracking_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let view: Value = http
        .post(format!("{}/api/fn/tracking_view", server.base))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let offer = &view["consent"];
    let phone = format!("+1415555{:04}", 3000 + n);
    let resp = http
        .post(format!("{}/api/fn/sms_subscribe", server.base))
        .header("x-forwarded-for", format!("198.51.100.{n}"))
        .form(&[
            ("token", token.as_str()),
            ("phone", phone.as_str()),
            ("country", "US"),
            ("consent", "yes"),
            ("key", offer["idempotency_key"].as_str().unwrap()),
            ("disclosure", offer["disclosure_sha256"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    phone
}

/// A short-lived connection to the servers' database, as an operator's query would use.
async fn connect(env: &Env) -> Db {
    Db::connect(
        &env.database_url,
        &PoolConfig {
            max_connections: 1,
            ..PoolConfig::default()
        },
    )
    .await
    .unwrap()
}

async fn states(env: &Env) -> Vec<String> {
    let db = connect(env).await;
    let rows = sqlx::query("SELECT state FROM consents ORDER BY phone_e164")
        .fetch_all(db.pool())
        .await
        .unwrap();
    db.close().await;
    rows.iter().map(|r| r.try_get(0).unwrap()).collect()
}

async fn wait_until(secs: u64, what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sent(requests: &[Recorded], method: &str, suffix: &str) -> Vec<Recorded> {
    requests
        .iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix) && r.status < 300)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_server_killed_between_the_steps_sends_step_two_on_time_after_restart() {
    let env = prepare(Backend::Sqlite).await;
    let mut first = start(&env).await;
    let phone = consent_through(&first, &env, 1).await;
    wait_until(10, "step 1", async || {
        states(&env).await == ["customer_sent"]
    })
    .await;
    // Step 2 is due in three seconds: kill the server now, with no chance to clean up.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert!(sent(&env.sandbox.sandbox.requests(), "POST", "/subscribers").is_empty());

    let _second = start(&env).await;
    wait_until(15, "step 2", async || states(&env).await == ["subscribed"]).await;
    let requests = env.sandbox.sandbox.requests();
    let patches = sent(&requests, "PATCH", "/customers");
    let posts = sent(&requests, "POST", "/subscribers");
    assert_eq!(patches.len(), 1, "step 1 is not repeated");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].body.as_ref().unwrap()["subscriber"]["phone"],
        sandbox::mask::phone(&phone)
    );
    assert_eq!(env.sandbox.sandbox.subscribers(STORE)[0]["phone"], phone);
    // On time, judged by what the server recorded, not by a wall-clock window (a loaded
    // machine may run the restarted server late; that is not a durability failure): step 2
    // was scheduled the setting's 3 s after step 1 succeeded, and the sandbox did not see it
    // before that due time. Both processes read the same system clock.
    let recorded = recorded_schedule(&env).await;
    assert_eq!(
        recorded.step2_due_ms - recorded.customer_sent_ms,
        3_000,
        "step 2 is due the opt-in delay after step 1 succeeded"
    );
    assert!(
        posts[0].at_ms >= recorded.step2_due_ms,
        "step 2 reached the sandbox {} ms before its due time",
        recorded.step2_due_ms - posts[0].at_ms
    );
    assert!(patches[0].at_ms <= recorded.customer_sent_ms);
    assert_eq!(recorded.step2_attempts, 1, "step 2 was sent by one attempt");
}

struct Schedule {
    customer_sent_ms: i64,
    step2_due_ms: i64,
    step2_attempts: i64,
}

/// When the server recorded step 1 as sent and step 2 as due, for the only consent.
async fn recorded_schedule(env: &Env) -> Schedule {
    let db = Db::connect(
        &env.database_url,
        &PoolConfig {
            max_connections: 1,
            ..PoolConfig::default()
        },
    )
    .await
    .unwrap();
    let row = sqlx::query(
        "SELECT c.customer_sent_at_ms, j.run_at_ms, j.attempts
         FROM consents c JOIN jobs j ON j.consent_id = c.id AND j.step = 'subscribe'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    db.close().await;
    Schedule {
        customer_sent_ms: row.try_get("customer_sent_at_ms").unwrap(),
        step2_due_ms: row.try_get("run_at_ms").unwrap(),
        step2_attempts: row.try_get("attempts").unwrap(),
    }
}

/// Waits until the sandbox has made (and logged) the opt-in whose answer it now holds back.
async fn opt_in_made(env: &Env) {
    wait_until(15, "the opt-in at Yotpo", async || {
        !sent(&env.sandbox.sandbox.requests(), "POST", "/subscribers").is_empty()
    })
    .await;
}

fn hold_answers(env: &Env, ms: u64) {
    env.sandbox.sandbox.set_faults(sandbox::FaultsPatch {
        answer_delay_ms: Some(ms),
        ..Default::default()
    });
}

/// The opt-in reached Yotpo once, and Yotpo holds the subscriber.
fn opted_in_once(env: &Env, phone: &str) {
    let requests = env.sandbox.sandbox.requests();
    let posts = sent(&requests, "POST", "/subscribers");
    assert_eq!(posts.len(), 1, "one opt-in at Yotpo: {posts:?}");
    assert_eq!(
        posts[0].body.as_ref().unwrap()["subscriber"]["phone"],
        sandbox::mask::phone(phone)
    );
    let checks = requests
        .iter()
        .filter(|r| {
            r.method == "GET"
                && r.query
                    .as_deref()
                    .is_some_and(|q| q.contains("phone_number="))
        })
        .count();
    assert!(checks >= 1, "the second attempt asked Yotpo first");
    assert_eq!(env.sandbox.sandbox.subscribers(STORE).len(), 1);
}

#[tokio::test]
async fn a_server_killed_after_yotpo_made_the_opt_in_does_not_send_it_twice() {
    let env = prepare(Backend::Sqlite).await;
    let mut first = start(&env).await;
    let phone = consent_through(&first, &env, 1).await;
    wait_until(10, "step 1", async || {
        states(&env).await == ["customer_sent"]
    })
    .await;
    // Yotpo makes the opt-in; the server dies before it hears, so nothing is committed.
    hold_answers(&env, 60_000);
    opt_in_made(&env).await;
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    hold_answers(&env, 0);
    assert_eq!(
        states(&env).await,
        ["customer_sent"],
        "nothing was recorded"
    );

    // The restarted server takes the job over once the dead one's lease runs out, asks
    // Yotpo, finds the opt-in there, and records it without sending it again.
    let _second = start(&env).await;
    wait_until(30, "subscribed", async || {
        states(&env).await == ["subscribed"]
    })
    .await;
    opted_in_once(&env, &phone);
}

#[tokio::test]
async fn a_server_paused_past_its_lease_mid_opt_in_does_not_send_it_twice() {
    let env = prepare(Backend::Postgres).await;
    let paused = start(&env).await;
    let phone = consent_through(&paused, &env, 1).await;
    wait_until(10, "step 1", async || {
        states(&env).await == ["customer_sent"]
    })
    .await;
    hold_answers(&env, 10_000);
    opt_in_made(&env).await;
    // Frozen mid-call (a stop-the-world pause, a starved VM): its heartbeat stops too.
    let pid = paused.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-STOP", &pid])
        .status()
        .unwrap()
        .success());
    hold_answers(&env, 0);
    let _other = start(&env).await;
    wait_until(30, "subscribed", async || {
        states(&env).await == ["subscribed"]
    })
    .await;
    // The paused server wakes up to a claim that is no longer its own.
    assert!(Command::new("kill")
        .args(["-CONT", &pid])
        .status()
        .unwrap()
        .success());
    tokio::time::sleep(Duration::from_secs(2)).await;
    opted_in_once(&env, &phone);
    assert_eq!(states(&env).await, ["subscribed"]);
}

#[tokio::test]
async fn two_servers_on_one_postgres_send_each_step_once() {
    let env = prepare(Backend::Postgres).await;
    let a = start(&env).await;
    let b = start(&env).await;
    let mut phones = Vec::new();
    for n in 0..12 {
        let server = if n % 2 == 0 { &a } else { &b };
        phones.push(consent_through(server, &env, n).await);
    }
    wait_until(60, "every consent subscribed", async || {
        states(&env).await.iter().all(|s| s == "subscribed")
    })
    .await;
    // Give a duplicate every chance to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = env.sandbox.sandbox.requests();
    let mut customers: Vec<String> = sent(&requests, "PATCH", "/customers")
        .iter()
        .map(|r| {
            r.body.as_ref().unwrap()["customer"]["external_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut subscribed: Vec<String> = sent(&requests, "POST", "/subscribers")
        .iter()
        .map(|r| {
            r.body.as_ref().unwrap()["subscriber"]["phone"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    customers.sort();
    subscribed.sort();
    // The log masks phones to their last three digits, unique here.
    let mut phones: Vec<String> = phones.iter().map(|p| sandbox::mask::phone(p)).collect();
    phones.sort();
    let mut expected: Vec<String> = (0..12).map(|n| format!("c{n}")).collect();
    expected.sort();
    assert_eq!(customers, expected, "each step 1 sent once");
    assert_eq!(subscribed, phones, "each step 2 sent once");
}

/// Connects the store's Yotpo Loyalty account (the sandbox store, its secret as the API
/// key), rewarding sign-ups through the sandbox's sign-up campaign.
async fn connect_loyalty(env: &Env) {
    let db = connect(env).await;
    let merchant: String = sqlx::query_scalar("SELECT id FROM merchants")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let secrets = SecretBox::from_base64(&env.secret_key).unwrap();
    let sealed = secrets
        .seal(
            &app::ssr::jobs::loyalty::seal_context(&merchant),
            &"durable-secret".to_owned().into(),
        )
        .unwrap();
    let (action, points) = app::ssr::merchant_settings::loyalty::SANDBOX_SIGNUP_CAMPAIGN;
    sqlx::query(
        "UPDATE merchants SET loyalty_guid = $1, loyalty_key_enc = $2,
                              loyalty_signup_action = $3, loyalty_signup_points = $4",
    )
    .bind(STORE)
    .bind(sealed)
    .bind(action)
    .bind(points)
    .execute(db.pool())
    .await
    .unwrap();
    db.close().await;
}

/// The loyalty jobs' (state, outcome).
async fn loyalty_jobs(env: &Env) -> Vec<(String, Option<String>)> {
    let db = connect(env).await;
    let rows = sqlx::query_as("SELECT state, outcome FROM loyalty_jobs")
        .fetch_all(db.pool())
        .await
        .unwrap();
    db.close().await;
    rows
}

/// Yotpo Loyalty recorded the sign-up's action, then the server died before it heard so:
/// the next server reads the customer's history, finds the action and does not send it
/// again. Points once, across the restart.
#[tokio::test]
async fn sqlite_a_server_killed_after_the_loyalty_action_landed_does_not_award_it_twice() {
    killed_after_the_loyalty_action_landed(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_a_server_killed_after_the_loyalty_action_landed_does_not_award_it_twice() {
    killed_after_the_loyalty_action_landed(Backend::Postgres).await;
}

async fn killed_after_the_loyalty_action_landed(backend: Backend) {
    let env = prepare(backend).await;
    connect_loyalty(&env).await;
    let mut first = start(&env).await;
    env.sandbox.sandbox.set_faults(sandbox::FaultsPatch {
        loyalty_answer_delay_ms: Some(60_000),
        ..Default::default()
    });
    consent_through_with_email(&first, &env, 7, "kim7@example.com").await;
    wait_until(30, "the loyalty action at Yotpo", async || {
        !sent(&env.sandbox.sandbox.requests(), "POST", "/api/v2/actions").is_empty()
    })
    .await;
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert_eq!(loyalty_jobs(&env).await, [("queued".to_owned(), None)]);
    env.sandbox.sandbox.set_faults(sandbox::FaultsPatch {
        loyalty_answer_delay_ms: Some(0),
        ..Default::default()
    });

    let _second = start(&env).await;
    wait_until(30, "the loyalty job", async || {
        loyalty_jobs(&env)
            .await
            .iter()
            .all(|(state, _)| state == "done")
    })
    .await;
    assert_eq!(
        loyalty_jobs(&env).await,
        [("done".to_owned(), Some("already".to_owned()))]
    );
    let requests = env.sandbox.sandbox.requests();
    assert_eq!(sent(&requests, "POST", "/api/v2/actions").len(), 1);
    let (points, history) = env
        .sandbox
        .sandbox
        .loyalty_customer(STORE, "kim7@example.com")
        .unwrap();
    assert_eq!((points, history.len()), (100, 1), "{history:?}");
}
