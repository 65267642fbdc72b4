//! Test support for services, the queue and the worker without Leptos or HTTP: a fresh
//! database (SQLite in a temp dir, or a new PostgreSQL database), an [`AppState`] on a
//! [`ManualClock`], and a [`ScriptedProvider`] that answers as each test says. The server's
//! black-box tests use [`fresh_database`] too (feature `testing`).

use super::clock::ManualClock;
use super::consent::lookup::SubscriptionLookup;
use super::consent::ConsentConfig;
use super::db::PoolConfig;
use super::limits::Limits;
use super::merchants::{self, MerchantId, NewMerchant};
use super::secrets::SecretBox;
use super::sms::{
    Account, Contact, FormScript, ListProvider, MilestoneEvent, OptIn, PhoneConsent, ProviderError,
    ProviderFuture, SignupForm, SmsConsent, SmsList, SmsListProvider,
};
use super::state::{PublicUrl, SmsMode};
use super::{AppState, Db};
use crate::domain::inputs::BrandName;
use sqlx::Connection;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where PostgreSQL tests create their databases unless `TRACKLIGHT_TEST_POSTGRES_URL` says.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh, empty database URL for `backend`, and the temp dir that holds SQLite's file.
/// PostgreSQL tests never skip: without a server they fail and say how to get one.
pub async fn fresh_database(backend: Backend) -> (String, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
        Backend::Postgres => {
            let admin = std::env::var("TRACKLIGHT_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server at {admin} ({e}). Run scripts/test.sh, \
                         which installs and starts one, or set TRACKLIGHT_TEST_POSTGRES_URL."
                    )
                });
            let name = format!("tracklight_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("creating a test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    };
    (url, dir)
}

/// What the [`ScriptedProvider`] was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Upsert { customer_id: String },
    Subscribe { phone: String },
    Event { unique_id: String },
}

/// An SMS list provider whose answers the test scripts: each step call takes the next
/// scripted answer (success when none is left) and is recorded.
#[derive(Default)]
pub struct ScriptedProvider {
    answers: Mutex<VecDeque<Result<(), ProviderError>>>,
    calls: Mutex<Vec<Call>>,
    /// Customer IDs the provider says are subscribed.
    subscribed: Mutex<Vec<String>>,
    /// How long a look-up takes, and whether it fails.
    lookup_delay: Mutex<std::time::Duration>,
    lookup_fails: std::sync::atomic::AtomicBool,
    lookups: std::sync::atomic::AtomicUsize,
    /// What "check account" answers (accepted when `None`).
    account_check: Mutex<Option<ProviderError>>,
    /// How often `phone_consent` was asked.
    checks: std::sync::atomic::AtomicUsize,
    /// When the shopper withdrew (texted STOP), as `phone_consent` reports it.
    withdrawn_at: Mutex<Option<i64>>,
    /// `phone_consent` fails (the provider cannot be asked).
    checks_fail: std::sync::atomic::AtomicBool,
    /// How long each step call takes, and how many were dropped before they answered.
    step_delay: Mutex<std::time::Duration>,
    cancelled: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts a step call dropped before it answered (its worker stopped it).
struct Unfinished(Option<Arc<std::sync::atomic::AtomicUsize>>);

impl Unfinished {
    fn finish(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(cancelled) = self.0.take() {
            cancelled.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

impl ScriptedProvider {
    pub fn answer(&self, result: Result<(), ProviderError>) {
        self.answers.lock().unwrap().push_back(result);
    }

    /// `phone_consent` fails from now on (or answers again).
    pub fn failing_checks(&self, fail: bool) {
        self.checks_fail
            .store(fail, std::sync::atomic::Ordering::SeqCst);
    }

    /// The shopper texts STOP at `at_ms`: `phone_consent` says unsubscribed since then.
    pub fn withdraw(&self, at_ms: i64) {
        *self.withdrawn_at.lock().unwrap() = Some(at_ms);
    }

    pub fn subscribe_customer(&self, customer_id: &str) {
        self.subscribed.lock().unwrap().push(customer_id.to_owned());
    }

    pub fn slow_lookups(&self, delay: std::time::Duration) {
        *self.lookup_delay.lock().unwrap() = delay;
    }

    pub fn failing_lookups(&self, fail: bool) {
        self.lookup_fails
            .store(fail, std::sync::atomic::Ordering::SeqCst);
    }

    /// Look-ups the provider answered or failed so far.
    pub fn lookups(&self) -> usize {
        self.lookups.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How often the worker asked whether an opt-in had landed.
    pub fn opt_in_checks(&self) -> usize {
        self.checks.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn refuse_accounts(&self, error: Option<ProviderError>) {
        *self.account_check.lock().unwrap() = error;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Each step call takes this long from now on.
    pub fn slow_steps(&self, delay: std::time::Duration) {
        *self.step_delay.lock().unwrap() = delay;
    }

    /// Step calls dropped before they answered.
    pub fn cancelled_steps(&self) -> usize {
        self.cancelled.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Records the call at once (it reached the provider), then answers after the step
    /// delay with the next scripted answer.
    /// Like the real clients: a write is marked as leaving (`write_mark`) before it is
    /// sent, and one whose mark fails is not sent (nor recorded).
    fn step(&self, call: Call) -> ProviderFuture<'_, ()> {
        Box::pin(async move {
            if let Err(e) = super::write_mark::before_write().await {
                return Err(ProviderError {
                    kind: super::sms::ProviderErrorKind::Retryable {
                        after: None,
                        unapplied: true,
                    },
                    reason: e.to_string(),
                });
            }
            self.calls.lock().unwrap().push(call);
            let result = self.answers.lock().unwrap().pop_front().unwrap_or(Ok(()));
            let delay = *self.step_delay.lock().unwrap();
            let guard = Unfinished(Some(self.cancelled.clone()));
            tokio::time::sleep(delay).await;
            guard.finish();
            result
        })
    }
}

impl SmsListProvider for ScriptedProvider {
    fn kind(&self) -> ListProvider {
        ListProvider::Yotpo
    }

    fn check_account<'a>(&'a self, _: &'a Account) -> ProviderFuture<'a, ()> {
        let answer = self.account_check.lock().unwrap().clone();
        Box::pin(async move { answer.map_or(Ok(()), Err) })
    }

    fn sms_consent<'a>(
        &'a self,
        _: &'a Account,
        customer_id: &'a str,
    ) -> ProviderFuture<'a, SmsConsent> {
        use std::sync::atomic::Ordering;
        let delay = *self.lookup_delay.lock().unwrap();
        let subscribed = self
            .subscribed
            .lock()
            .unwrap()
            .iter()
            .any(|c| c == customer_id);
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            self.lookups.fetch_add(1, Ordering::SeqCst);
            if self.lookup_fails.load(Ordering::SeqCst) {
                return Err(ProviderError {
                    kind: super::sms::ProviderErrorKind::Retryable {
                        after: None,
                        unapplied: false,
                    },
                    reason: "HTTP 503".into(),
                });
            }
            Ok(if subscribed {
                SmsConsent::Subscribed
            } else {
                SmsConsent::NotSubscribed
            })
        })
    }

    fn upsert_contact<'a>(&'a self, _: &'a Account, c: &'a Contact) -> ProviderFuture<'a, ()> {
        self.step(Call::Upsert {
            customer_id: c.customer_id.clone(),
        })
    }

    fn subscribe<'a>(&'a self, _: &'a Account, o: &'a OptIn) -> ProviderFuture<'a, ()> {
        self.step(Call::Subscribe {
            phone: o.phone.as_str().to_owned(),
        })
    }

    fn send_event<'a>(&'a self, _: &'a Account, e: &'a MilestoneEvent) -> ProviderFuture<'a, ()> {
        self.step(Call::Event {
            unique_id: e.unique_id.clone(),
        })
    }

    fn phone_consent<'a>(
        &'a self,
        _: &'a Account,
        o: &'a OptIn,
    ) -> ProviderFuture<'a, Option<PhoneConsent>> {
        let landed = self.calls.lock().unwrap().iter().any(|c| {
            *c == Call::Subscribe {
                phone: o.phone.as_str().to_owned(),
            }
        });
        let withdrawn_at = *self.withdrawn_at.lock().unwrap();
        self.checks
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let fails = self.checks_fail.load(std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            if fails {
                return Err(ProviderError {
                    kind: super::sms::ProviderErrorKind::Retryable {
                        after: None,
                        unapplied: false,
                    },
                    reason: "HTTP 503".into(),
                });
            }
            Ok(Some(PhoneConsent {
                subscribed: landed && withdrawn_at.is_none(),
                unsubscribed: withdrawn_at.is_some(),
                changed_at_ms: withdrawn_at,
            }))
        })
    }

    fn lists<'a>(&'a self, _: &'a Account) -> ProviderFuture<'a, Option<Vec<SmsList>>> {
        Box::pin(async { Ok(None) })
    }

    fn signup_forms<'a>(&'a self, _: &'a Account) -> ProviderFuture<'a, Option<Vec<SignupForm>>> {
        Box::pin(async { Ok(None) })
    }

    fn form_script(&self, _: &str) -> Result<FormScript, String> {
        Err("is not supported here".into())
    }
}

/// A state for services, the queue and the worker: a fresh database, a manual clock at
/// 2026-11-24 12:00 UTC, and a scripted provider.
pub struct TestEnv {
    pub state: AppState,
    pub clock: ManualClock,
    pub provider: Arc<ScriptedProvider>,
    _dir: TempDir,
}

impl TestEnv {
    pub async fn new(backend: Backend) -> Self {
        let (url, dir) = fresh_database(backend).await;
        let db = Db::connect(&url, &PoolConfig::default())
            .await
            .expect("connecting to the test database");
        let clock = ManualClock::new(time::macros::datetime!(2026-11-24 12:00 UTC));
        let provider = Arc::new(ScriptedProvider::default());
        let loyalty = crate::ssr::yotpo::LoyaltyConfig::new(
            reqwest::Url::parse("http://127.0.0.1:9").expect("a URL"),
        );
        let reviews = crate::ssr::yotpo::ReviewsConfig::new(
            reqwest::Url::parse("http://127.0.0.1:9").expect("a URL"),
        );
        let media = crate::ssr::media::Media::new(
            Arc::new(
                crate::ssr::media::FsMediaStore::new(dir.path().join("media"))
                    .expect("a media directory"),
            ),
            crate::ssr::media::MediaLimits::default(),
        );
        let state = AppState {
            loyalty: Arc::new(crate::ssr::yotpo::LoyaltyClient::new(loyalty).expect("a client")),
            reviews: Arc::new(crate::ssr::yotpo::ReviewsClient::new(reviews).expect("a client")),
            media,
            leptos_options: leptos::prelude::LeptosOptions::builder()
                .output_name("tracklight")
                .build(),
            db,
            clock: Arc::new(clock.clone()),
            public_url: PublicUrl::parse("http://127.0.0.1:3000").expect("valid URL"),
            providers: super::state::Providers::all(provider.clone()),
            sms_mode: SmsMode::Live,
            secrets: SecretBox::from_base64(&SecretBox::generate_key()).expect("a fresh key"),
            lookup: SubscriptionLookup::default(),
            consent_settings: Default::default(),
            limits: Limits::default(),
            public_signup: true,
            consent: ConsentConfig::default(),
            stats: Arc::default(),
            jobs_wake: Arc::default(),
            ingest_wake: Arc::default(),
        };
        Self {
            state,
            clock,
            provider,
            _dir: dir,
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.state.clock.now_ms()
    }

    pub fn advance_ms(&self, ms: i64) {
        self.clock.advance(time::Duration::milliseconds(ms));
    }

    pub async fn merchant(&self, name: &str) -> MerchantId {
        merchants::create(
            &self.state.db,
            &NewMerchant {
                name: BrandName::parse(name).expect("a valid name"),
                accent_color: None,
                is_demo: false,
            },
            self.now_ms(),
        )
        .await
        .expect("creating a merchant")
    }

    /// A consent of `merchant`'s for `phone` (customer `c-{phone}`), with its two jobs, as
    /// a submission records it; returns the consent's ID.
    pub async fn consent(&self, merchant: &MerchantId, phone: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now_ms();
        let mut tx = self.state.db.pool().begin().await.expect("a transaction");
        sqlx::query(
            "INSERT INTO consents (id, merchant_id, customer_external_id, phone_e164, provider,
                 account_id, list_id, source, disclosure, disclosure_sha256, idempotency_key,
                 state, consented_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, 'yotpo', $7, '1001', 'tracking_page', 'text', 'sha', $5,
                 'waiting', $6, $6)",
        )
        .bind(&id)
        .bind(merchant.as_str())
        .bind(format!("c-{phone}"))
        .bind(phone)
        .bind(uuid::Uuid::new_v4().simple().to_string())
        .bind(now)
        .bind(Self::store_of(merchant))
        .execute(&mut *tx)
        .await
        .expect("inserting a consent");
        super::jobs::queue::enqueue_consent_jobs(&mut tx, &id, now, false)
            .await
            .expect("enqueuing its jobs");
        tx.commit().await.expect("committing");
        id
    }

    /// A shipment of `merchant`'s for customer `customer_id` (with `phone` on the order, when
    /// given), shipping to the US; returns its tracking token.
    pub async fn shipment(
        &self,
        merchant: &MerchantId,
        customer_id: &str,
        phone: Option<&str>,
    ) -> crate::domain::TrackingToken {
        let token = crate::domain::TrackingToken::generate();
        let order = uuid::Uuid::new_v4().to_string();
        let now = self.now_ms();
        sqlx::query(
            "INSERT INTO orders (id, merchant_id, external_id, customer_external_id, first_name,
                 email, phone_e164, shipping_country, shipping_city, created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, 'Ana', 'ana@example.com', $5, 'US', 'Austin', $6, $6)",
        )
        .bind(&order)
        .bind(merchant.as_str())
        .bind(format!("o-{order}"))
        .bind(customer_id)
        .bind(phone)
        .bind(now)
        .execute(self.state.db.pool())
        .await
        .expect("inserting an order");
        sqlx::query(
            "INSERT INTO shipments (id, merchant_id, order_id, external_id, token, carrier,
                 tracking_number, declared_status, created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, 'UPS', '1Z999', 'in_transit', $6, $6)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(merchant.as_str())
        .bind(&order)
        .bind(format!("s-{order}"))
        .bind(token.as_str())
        .bind(now)
        .execute(self.state.db.pool())
        .await
        .expect("inserting a shipment");
        token
    }

    /// Consents stored, all merchants.
    pub async fn consent_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM consents")
            .fetch_one(self.state.db.pool())
            .await
            .expect("counting consents")
    }

    /// A job's state, run time, attempts, last error, current claim holder and write mark.
    pub async fn job(&self, consent_id: &str, step: &str) -> JobRow {
        sqlx::query_as(
            "SELECT state, run_at_ms, attempts, last_error, locked_by, sent_at_ms FROM jobs
             WHERE consent_id = $1 AND step = $2",
        )
        .bind(consent_id)
        .bind(step)
        .fetch_one(self.state.db.pool())
        .await
        .expect("reading a job")
    }

    /// A consent's state and failure reason.
    pub async fn consent_state(&self, consent_id: &str) -> ConsentRow {
        sqlx::query_as("SELECT state, failure_reason FROM consents WHERE id = $1")
            .bind(consent_id)
            .fetch_one(self.state.db.pool())
            .await
            .expect("reading a consent")
    }

    /// The Yotpo store ID [`TestEnv::connected_merchant`] connects `merchant` to.
    pub fn store_of(merchant: &MerchantId) -> String {
        format!("store-{}", &merchant.as_str()[..8])
    }

    /// A merchant connected to the (scripted) provider, with a list and links: consents can
    /// be collected and delivered.
    pub async fn connected_merchant(&self, name: &str) -> MerchantId {
        use super::consent::settings::{save, HttpUrl, SmsSettingsUpdate};
        use super::sms::{AccountId, ListId};
        let merchant = self.merchant(name).await;
        let update = SmsSettingsUpdate {
            account_id: AccountId::parse(&Self::store_of(&merchant)).expect("a valid account ID"),
            secret: "secret".to_owned().into(),
            list_id: ListId::from(1001),
            terms_url: Some(HttpUrl::parse("https://shop.example/terms").expect("a URL")),
            privacy_url: Some(HttpUrl::parse("https://shop.example/privacy").expect("a URL")),
            heading: None,
            extra: None,
        };
        save(&self.state.db, &self.state.secrets, &merchant, &update)
            .await
            .expect("saving SMS settings");
        merchant
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentRow {
    pub state: String,
    pub failure_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub state: String,
    pub run_at_ms: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub locked_by: Option<String>,
    pub sent_at_ms: Option<i64>,
}

/// Photos made byte by byte for the tests of uploads: ordinary ones, and one with the EXIF
/// block a phone writes (orientation and GPS).
pub mod photos {
    use image::codecs::jpeg::JpegEncoder;

    /// A small photo: a gradient, so an encoder has something to keep.
    pub fn picture(width: u32, height: u32) -> image::RgbImage {
        image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        })
    }

    pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&picture(width, height))
            .unwrap();
        out
    }

    /// An EXIF block as a camera writes it (little-endian TIFF): orientation 6 (the picture is
    /// stored on its side) and a GPS position, 52° 31′ N.
    fn exif_with_gps() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"II\x2a\x00");
        tiff.extend_from_slice(&8u32.to_le_bytes());
        // IFD0 at 8: two entries; the GPS IFD follows at 8 + 2 + 24 + 4 = 38.
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&[6, 0, 0, 0]);
        tiff.extend_from_slice(&0x8825u16.to_le_bytes()); // GPSInfo
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&38u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        // The GPS IFD at 38: its rationals follow at 38 + 2 + 24 + 4 = 68.
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&0x0001u16.to_le_bytes()); // GPSLatitudeRef
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&2u32.to_le_bytes());
        tiff.extend_from_slice(b"N\0\0\0");
        tiff.extend_from_slice(&0x0002u16.to_le_bytes()); // GPSLatitude
        tiff.extend_from_slice(&5u16.to_le_bytes());
        tiff.extend_from_slice(&3u32.to_le_bytes());
        tiff.extend_from_slice(&68u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        for (num, den) in [(52u32, 1u32), (31, 1), (0, 1)] {
            tiff.extend_from_slice(&num.to_le_bytes());
            tiff.extend_from_slice(&den.to_le_bytes());
        }
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        segment.extend_from_slice(b"Exif\0\0");
        segment.extend_from_slice(&tiff);
        segment
    }

    /// A JPEG with that EXIF block right after its start marker.
    pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
        let plain = jpeg(width, height);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&exif_with_gps());
        out.extend_from_slice(&plain[2..]);
        out
    }
}
