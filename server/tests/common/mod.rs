//! Test harness: a whole Tracklight on port 0 with a fresh database, SQLite or PostgreSQL.
//! PostgreSQL tests never skip: without a server they fail and say how to get one.
#![allow(dead_code)]

use app::domain::inputs::BrandName;
use app::ssr::clock::ManualClock;
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::AppState;
use server::config::Settings;
use server::startup::Application;
use std::sync::Arc;
use tempfile::TempDir;

pub use app::ssr::testing::{fresh_database, Backend};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: ManualClock,
    /// An API key of the merchant "Acme" created for the test.
    pub api_key: String,
    /// The in-process Yotpo sandbox the app talks to.
    pub sandbox: sandbox::Sandbox,
    pub sandbox_url: String,
    /// The in-process Klaviyo sandbox the app talks to.
    pub klaviyo: sandbox::klaviyo::KlaviyoSandbox,
    pub klaviyo_url: String,
    pub database_url: String,
    pub secret_key: String,
    _dir: TempDir,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_until(backend, std::future::pending()).await.0
}

/// Like [`spawn_app`], stopping gracefully when `shutdown` completes; the handle finishes
/// when the app has stopped.
pub async fn spawn_app_until(
    backend: Backend,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<anyhow::Result<()>>) {
    spawn_app_tuned(backend, |_| {}, shutdown).await
}

/// Like [`spawn_app_until`], with `tune` adjusting the settings first.
pub async fn spawn_app_tuned(
    backend: Backend,
    tune: impl FnOnce(&mut Settings),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let (url, dir) = fresh_database(backend).await;
    let mut settings = Settings::for_tests(dir.path().to_path_buf(), url.clone());
    tune(&mut settings);
    let start = time::macros::datetime!(2026-11-24 12:00 UTC);
    start_app(settings, ManualClock::new(start), dir, shutdown).await
}

async fn start_app(
    settings: Settings,
    clock: ManualClock,
    dir: TempDir,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<anyhow::Result<()>>) {
    start_app_with(settings, clock, dir, shutdown, None).await
}

/// The sandboxes an instance talks to when it does not run its own.
type Given = (
    (sandbox::Sandbox, String),
    (sandbox::klaviyo::KlaviyoSandbox, String),
);

/// Starts an app; `sandboxes` are the ones it talks to when it does not run its own.
async fn start_app_with(
    settings: Settings,
    clock: ManualClock,
    dir: TempDir,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    sandboxes: Option<Given>,
) -> (TestApp, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let app = Application::build(&settings, Arc::new(clock.clone()))
        .await
        .expect("building the app");
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    let (given_yotpo, given_klaviyo) = sandboxes.unzip();
    let (sandbox, sandbox_url) = match (app.sandbox(), given_yotpo) {
        (Some(handle), _) => (handle.sandbox.clone(), handle.url()),
        (None, Some(given)) => given,
        (None, None) => panic!("tests run against a sandbox"),
    };
    let (klaviyo, klaviyo_url) = match (app.klaviyo_sandbox(), given_klaviyo) {
        (Some(handle), _) => (handle.sandbox.clone(), handle.url()),
        (None, Some(given)) => given,
        (None, None) => panic!("tests run against a Klaviyo sandbox"),
    };
    let running = tokio::spawn(app.run_until(shutdown));
    let api_key = new_merchant(&state, "Acme").await;
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
        state,
        clock,
        api_key,
        sandbox,
        sandbox_url,
        klaviyo,
        klaviyo_url,
        database_url: settings.database_url.clone(),
        secret_key: settings
            .secret_key
            .clone()
            .expect("test settings carry a key"),
        _dir: dir,
    };
    (app, running)
}

impl TestApp {
    /// A second instance beside this one: the same database, secret key, clock and Yotpo
    /// (this one's sandbox), its own port. `tune` adjusts its settings.
    pub async fn second_instance(&self) -> TestApp {
        self.second_instance_with(|_| {}).await
    }

    pub async fn second_instance_with(&self, tune: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::for_tests(dir.path().to_path_buf(), self.database_url.clone());
        settings.secret_key = Some(self.secret_key.clone());
        settings.yotpo.target = server::config::YotpoTarget::Live {
            api_url: reqwest::Url::parse(&self.sandbox_url).expect("the sandbox's URL"),
        };
        settings.klaviyo.target = server::config::ProviderTarget::Live {
            api_url: reqwest::Url::parse(&self.klaviyo_url).expect("the sandbox's URL"),
        };
        tune(&mut settings);
        let (app, _running) = start_app_with(
            settings,
            self.clock.clone(),
            dir,
            std::future::pending(),
            Some((
                (self.sandbox.clone(), self.sandbox_url.clone()),
                (self.klaviyo.clone(), self.klaviyo_url.clone()),
            )),
        )
        .await;
        app
    }
}

/// Creates a merchant and returns an API key for it.
pub async fn new_merchant(state: &AppState, name: &str) -> String {
    let now = state.clock.now_ms();
    let merchant = merchants::create(
        &state.db,
        &NewMerchant {
            name: BrandName::parse(name).unwrap(),
            accent_color: None,
            is_demo: false,
        },
        now,
    )
    .await
    .expect("creating a merchant");
    merchants::create_api_key(&state.db, &merchant, "test", now)
        .await
        .expect("creating an API key")
        .expose()
        .to_owned()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .request(method, self.url(path))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_json(
        &self,
        path: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.send_json(reqwest::Method::PUT, path, key, body).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.send_json(reqwest::Method::POST, path, key, body).await
    }

    /// PUTs an order with the test merchant's key; the answer must be a success.
    pub async fn put_order(&self, order_id: &str, body: &serde_json::Value) -> serde_json::Value {
        let resp = self
            .put_json(&format!("/api/v1/orders/{order_id}"), &self.api_key, body)
            .await;
        assert!(
            resp.status().is_success(),
            "PUT order {order_id}: {}",
            resp.status()
        );
        resp.json().await.expect("a JSON order")
    }

    /// The shopper's tracking page of an order's first shipment.
    pub async fn tracking_page(&self, order: &serde_json::Value) -> reqwest::Response {
        let url = order["shipments"][0]["tracking_url"]
            .as_str()
            .expect("a tracking URL");
        self.client.get(url).send().await.expect("request")
    }

    pub async fn get_auth(&self, path: &str, key: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(key)
            .send()
            .await
            .expect("request")
    }
}

/// The SMS list the test merchant's consents go to.
pub const LIST_ID: u64 = 4096107;

impl TestApp {
    /// Connects the merchant behind `api_key` to a new store in the sandbox (list
    /// [`LIST_ID`], Terms and Privacy links); returns the store ID.
    pub async fn connect_sms(&self, api_key: &str) -> String {
        use app::ssr::consent::settings::{save, HttpUrl, SmsSettingsUpdate};
        use app::ssr::sms::{AccountId, ListId};
        use sandbox::{SandboxStore, SmsListSpec};
        let merchant = merchants::authenticate(&self.state.db, api_key)
            .await
            .unwrap()
            .expect("a merchant's key");
        let store_id = format!("store-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let secret = format!("secret-{store_id}");
        self.sandbox.add_store(SandboxStore {
            store_id: store_id.clone(),
            secret: secret.clone(),
            lists: vec![SmsListSpec {
                id: LIST_ID,
                name: "Tracking page".into(),
            }],
            forms: Vec::new(),
        });
        let update = SmsSettingsUpdate {
            account_id: AccountId::parse(&store_id).unwrap(),
            secret: secret.into(),
            list_id: ListId::from(LIST_ID),
            terms_url: Some(HttpUrl::parse("https://shop.example/terms").unwrap()),
            privacy_url: Some(HttpUrl::parse("https://shop.example/privacy").unwrap()),
            heading: None,
            extra: None,
        };
        save(&self.state.db, &self.state.secrets, &merchant, &update)
            .await
            .expect("saving SMS settings");
        // As the settings page does after a save (page renders cache settings briefly).
        self.state.consent_settings.forget(&merchant).await;
        store_id
    }

    /// Connects the merchant behind `api_key` to a new account in the Klaviyo sandbox, as
    /// the settings page does (the key and list checked with Klaviyo), with its list
    /// `list_id` (`TrkSub`: single opt-in; `NwsLtr`: double) and Terms and Privacy links;
    /// returns the account ID.
    pub async fn connect_klaviyo(&self, api_key: &str, list_id: &str) -> String {
        use app::ssr::merchant_settings::klaviyo::{save_klaviyo, KlaviyoForm};
        let merchant = merchants::authenticate(&self.state.db, api_key)
            .await
            .unwrap()
            .expect("a merchant's key");
        let account = format!("kl-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        let key = format!("pk_{account}");
        self.klaviyo
            .add_account(sandbox::klaviyo::standard_klaviyo_account(&account, &key));
        let form = KlaviyoForm {
            key,
            list_id: list_id.into(),
            terms_url: "https://shop.example/terms".into(),
            privacy_url: "https://shop.example/privacy".into(),
            heading: String::new(),
            extra: String::new(),
        };
        save_klaviyo(&self.state, &merchant, &form)
            .await
            .expect("connecting Klaviyo");
        account
    }

    /// The Klaviyo sandbox's successful requests for `account` whose path ends with `suffix`.
    pub fn klaviyo_received(
        &self,
        account: &str,
        method: &str,
        suffix: &str,
    ) -> Vec<sandbox::Recorded> {
        self.klaviyo
            .requests()
            .into_iter()
            .filter(|r| {
                r.store_id.as_deref() == Some(account)
                    && r.method == method
                    && r.path.ends_with(suffix)
                    && r.status < 300
            })
            .collect()
    }

    /// Marks a customer as subscribed to SMS in a sandbox store, as if they had signed up
    /// elsewhere (the store's own pop-up), through Yotpo's API: token exchange, then the
    /// customer upsert. Customers show to reads only after the sandbox's visibility delay.
    pub async fn subscribe_in_yotpo(&self, store: &str, secret: &str, customer_id: &str) {
        self.set_sms_marketing_in_yotpo(store, secret, customer_id, true)
            .await;
    }

    /// The customer's SMS marketing consent as Yotpo records it (`false`: they texted STOP).
    pub async fn set_sms_marketing_in_yotpo(
        &self,
        store: &str,
        secret: &str,
        customer_id: &str,
        accepts: bool,
    ) {
        let http = reqwest::Client::new();
        let token: serde_json::Value = http
            .post(format!(
                "{}/core/v3/stores/{store}/access_tokens",
                self.sandbox_url
            ))
            .json(&serde_json::json!({ "secret": secret }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().expect("an access token");
        http.patch(format!(
            "{}/core/v3/stores/{store}/customers",
            self.sandbox_url
        ))
        .header("X-Yotpo-Token", token)
        .json(&serde_json::json!({
            "customer": {"external_id": customer_id, "accepts_sms_marketing": accepts}
        }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    }

    /// Calls a server function with form fields, as a hydrated page does.
    pub async fn server_fn(&self, name: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/fn/{name}")))
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    /// The tracking view (with its consent block) for a shopper token.
    pub async fn tracking_view(&self, token: &str) -> serde_json::Value {
        let resp = self.server_fn("tracking_view", &[("token", token)]).await;
        assert_eq!(resp.status(), 200, "tracking_view");
        resp.json().await.expect("JSON")
    }

    /// The consent form's fields as the page renders them, ticked, with this phone.
    pub async fn consent_form(&self, token: &str, phone: &str) -> Vec<(String, String)> {
        let view = self.tracking_view(token).await;
        let offer = &view["consent"];
        assert!(offer.is_object(), "no consent block: {view}");
        vec![
            ("token".into(), token.into()),
            ("phone".into(), phone.into()),
            ("country".into(), offer["country"].as_str().unwrap().into()),
            ("consent".into(), "yes".into()),
            (
                "key".into(),
                offer["idempotency_key"].as_str().unwrap().into(),
            ),
            (
                "disclosure".into(),
                offer["disclosure_sha256"].as_str().unwrap().into(),
            ),
            // The language the block was shown in (its disclosure is checked in it).
            ("lang".into(), offer["lang"].as_str().unwrap().into()),
        ]
    }

    pub async fn subscribe(&self, form: &[(String, String)]) -> reqwest::Response {
        let fields: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.server_fn("sms_subscribe", &fields).await
    }

    /// Counts rows of a table (consents, jobs).
    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.state.db.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    }

    /// A consent's state, by phone.
    pub async fn consent_state(&self, phone: &str) -> Option<(String, Option<String>)> {
        use sqlx::Row;
        sqlx::query("SELECT state, failure_reason FROM consents WHERE phone_e164 = $1")
            .bind(phone)
            .fetch_optional(self.state.db.pool())
            .await
            .unwrap()
            .map(|r| (r.try_get(0).unwrap(), r.try_get(1).unwrap()))
    }

    /// The sandbox requests to a store whose path ends with `suffix` and succeeded.
    /// Moves the clock to the next queued job's due time, and only while no job is claimed:
    /// a jump under a running attempt would outlast its lease and let another worker run the
    /// job at the same time, which real clocks never do.
    pub async fn advance_to_next_due(&self) {
        #[derive(sqlx::FromRow)]
        struct Queue {
            due: Option<i64>,
            claimed: i64,
        }
        let queue: Queue = sqlx::query_as(
            "SELECT MIN(run_at_ms) AS due, COUNT(locked_by) AS claimed
             FROM (SELECT run_at_ms, locked_by FROM jobs WHERE state = 'queued'
                   UNION ALL
                   SELECT run_at_ms, locked_by FROM loyalty_jobs WHERE state = 'queued'
                   UNION ALL
                   SELECT run_at_ms, locked_by FROM review_import_jobs
                   WHERE state = 'queued') q",
        )
        .fetch_one(self.state.db.pool())
        .await
        .unwrap();
        let now = self.state.clock.now_ms();
        if let (0, Some(due)) = (queue.claimed, queue.due) {
            if due > now {
                self.clock.advance(time::Duration::milliseconds(due - now));
            }
        }
    }

    pub fn received(&self, store: &str, method: &str, suffix: &str) -> Vec<sandbox::Recorded> {
        self.sandbox
            .requests()
            .into_iter()
            .filter(|r| {
                r.store_id.as_deref() == Some(store)
                    && r.method == method
                    && r.path.ends_with(suffix)
                    && r.status < 300
            })
            .collect()
    }
}

/// The shopper token in an order's first tracking URL.
pub fn token_of(order: &serde_json::Value) -> String {
    let url = order["shipments"][0]["tracking_url"].as_str().unwrap();
    url.rsplit('/').next().unwrap().to_owned()
}

/// Polls `check` every 20 ms until it holds, for at most `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A valid order body with one shipment.
pub fn order_body(shipment_id: &str) -> serde_json::Value {
    serde_json::json!({
        "customer": {
            "id": "cust-42",
            "first_name": "Ana",
            "last_name": "López",
            "email": "ana@example.com",
            "phone": "(415) 555-2671",
            "shipping_country": "US",
            "shipping_city": "Portland"
        },
        "shipments": [{
            "id": shipment_id,
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
            "estimated_delivery": "2026-11-27"
        }]
    })
}

/// Generates one `#[tokio::test]` per backend for each listed `async fn(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// The inline scripts of `html`: each one's attributes and its text.
pub fn inline_scripts(html: &str) -> Vec<(String, String)> {
    html.match_indices("<script")
        .map(|(i, _)| {
            let rest = &html[i + "<script".len()..];
            let tag_end = rest.find('>').expect("a script tag ends");
            let text_end = rest.find("</script>").expect("a script element ends");
            (
                rest[..tag_end].to_owned(),
                rest[tag_end + 1..text_end].to_owned(),
            )
        })
        .collect()
}

/// The Content-Security-Policy source that allows an inline script with this exact text.
pub fn csp_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}
