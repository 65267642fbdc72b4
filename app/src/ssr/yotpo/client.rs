//! The Yotpo HTTP client: one per process, shared by every merchant.
//!
//! Per connection (a store ID with its secret: a merchant who types another's store ID gets
//! a connection of their own, and cannot evict or spend another's) it keeps the access token
//! (exchanged once, reused, refreshed after a 401/403 with the call retried once), and it
//! keeps to the connection's call budget (`ssr::budget`: shared by every instance when the
//! server gives it the database's). A 429 pauses the connection for `RateLimit-Reset`.
//! Secrets and tokens are `SecretString`s and never logged.

use super::config::YotpoConfig;
use super::error::YotpoError;
use super::tokens::SharedTokens;
use super::wire;
use crate::domain::inputs::PhoneE164;
use crate::ssr::budget::{turn_then, unix_ms, CallBudget, LocalBudget};
use crate::ssr::sms::{Account, Contact, MilestoneEvent, OptIn};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Longest reason kept from an error body.
const REASON_CHARS: usize = 300;

pub struct YotpoClient {
    http: reqwest::Client,
    config: YotpoConfig,
    /// By connection.
    tokens: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<SecretString>>>>>,
    /// Behind those: the tokens every instance shares, when set.
    shared_tokens: Option<Arc<SharedTokens>>,
    budget: Arc<dyn CallBudget>,
}

/// A store with one secret: what tokens, budgets and pauses are kept by. The secret enters
/// only as a fingerprint.
fn connection(account: &Account) -> String {
    format!(
        "yotpo:{}:{}",
        account.id,
        &hex::encode(fingerprint(&account.secret))[..16]
    )
}

/// The gate page views' look-ups pass before the connection's budget (see [`Lane`]).
fn lookup_gate(account: &Account) -> String {
    format!("{}:lookup", connection(account))
}

/// One request, minus the store and the token.
struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    /// What the call does, for logs.
    what: &'static str,
    /// Whose share of the connection's budget it spends.
    lane: Lane,
}

/// Whose calls these are. Every call takes a slot of the connection's one budget (so
/// together they never pass the store's limit); page views' "already subscribed?"
/// look-ups first pass a gate of their own, one a second, so a burst of page views holds at
/// most one slot ahead of the queue's work (customer steps, opt-ins, their checks) and takes
/// at most one call a second of the budget: an opt-in that is due never waits behind the
/// burst. Opt-ins keep their timing; a page view in a burst may answer "checking" (the page
/// asks again once hydrated, from the cache the look-up fills).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Lookup,
    Work,
}

/// A failed attempt: 401/403 is told apart so the caller can refresh the token.
pub(super) enum Failure {
    Unauthorized,
    Other(YotpoError),
}

impl YotpoClient {
    pub fn new(config: YotpoConfig) -> anyhow::Result<Self> {
        config.paths.validate().map_err(anyhow::Error::msg)?;
        let mut headers = HeaderMap::new();
        headers.insert(
            "X-Yotpo-User-Agent",
            HeaderValue::from_static(concat!("tracklight/", env!("CARGO_PKG_VERSION"))),
        );
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .default_headers(headers)
            .user_agent(concat!("tracklight/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let budget = Arc::new(LocalBudget::default());
        Ok(Self {
            http,
            config,
            tokens: Mutex::default(),
            shared_tokens: None,
            budget,
        })
    }

    /// Keeps to `budget` (e.g. the database's, shared by every instance) instead of this
    /// process's own.
    pub fn with_budget(mut self, budget: Arc<dyn CallBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// Shares tokens with every instance through `tokens` (one exchange per connection,
    /// not one per instance and restart).
    pub fn with_shared_tokens(mut self, tokens: Arc<SharedTokens>) -> Self {
        self.shared_tokens = Some(tokens);
        self
    }

    pub fn config(&self) -> &YotpoConfig {
        &self.config
    }

    /// Runs the token exchange now, with no cached token: "test connection". Only this
    /// connection's token is replaced; another merchant's stays.
    pub async fn check_credentials(&self, account: &Account) -> Result<(), YotpoError> {
        let slot = self.token_slot(account);
        let mut cached = slot.lock().await;
        *cached = None;
        *cached = Some(self.exchange(account).await?);
        Ok(())
    }

    /// Retrieve customers filtered by external ID (the ecommerce platform's customer ID).
    pub async fn customer_by_external_id(
        &self,
        account: &Account,
        external_id: &str,
    ) -> Result<Option<wire::Customer>, YotpoError> {
        let filter = self.config.paths.external_id_filter.clone();
        let found = self
            .find_customer(account, filter, external_id, Lane::Lookup)
            .await?;
        Ok(found.filter(|c| c.external_id.as_deref() == Some(external_id)))
    }

    /// Retrieve customers filtered by phone number (E.164).
    pub async fn customer_by_phone(
        &self,
        account: &Account,
        phone: &PhoneE164,
    ) -> Result<Option<wire::Customer>, YotpoError> {
        let found = self
            .find_customer(account, "phone_number".into(), phone.as_str(), Lane::Work)
            .await?;
        Ok(found.filter(|c| c.phone_number.as_deref() == Some(phone.as_str())))
    }

    /// The first customer Retrieve customers gives for one filter.
    async fn find_customer(
        &self,
        account: &Account,
        filter: String,
        value: &str,
        lane: Lane,
    ) -> Result<Option<wire::Customer>, YotpoError> {
        let call = Call {
            method: Method::GET,
            path: self.path(&self.config.paths.customers, account),
            query: vec![(filter, value.to_owned()), ("limit".into(), "1".into())],
            body: None,
            what: "retrieve_customers",
            lane,
        };
        match self.execute::<wire::CustomersPage>(account, &call).await {
            Ok(page) => Ok(page.customers.into_iter().next()),
            // Some Yotpo callers see "no results found" as a 400 on an empty filter result.
            Err(YotpoError::Rejected {
                status: 400,
                reason,
            }) if reason.to_ascii_lowercase().contains("no results") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Create or update customer, keyed by the external ID.
    pub async fn upsert_customer(
        &self,
        account: &Account,
        contact: &Contact,
    ) -> Result<(), YotpoError> {
        let body = wire::CustomerEnvelope {
            customer: wire::CustomerUpsert {
                external_id: &contact.customer_id,
                email: contact.email.as_ref().map(|e| e.as_str()),
                phone_number: contact.phone.as_ref().map(|p| p.as_str()),
                first_name: contact.first_name.as_ref().map(|n| n.as_str()),
                last_name: contact.last_name.as_ref().map(|n| n.as_str()),
                accepts_sms_marketing: None,
            },
        };
        let call = Call {
            method: Method::PATCH,
            path: self.path(&self.config.paths.customers, account),
            query: Vec::new(),
            body: Some(serde_json::to_value(body).expect("serialisable")),
            what: "upsert_customer",
            lane: Lane::Work,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// Create or update subscriber: the phone joins the list with SMS consent `subscribed`.
    pub async fn upsert_subscriber(
        &self,
        account: &Account,
        opt_in: &OptIn,
    ) -> Result<(), YotpoError> {
        let list_id = opt_in
            .list_id
            .number()
            .ok_or_else(|| YotpoError::Rejected {
                status: 400,
                reason: format!("Yotpo list IDs are numbers (got {})", opt_in.list_id),
            })?;
        let body = wire::SubscriberEnvelope {
            subscriber: wire::SubscriberUpsert {
                phone: opt_in.phone.as_str(),
                list_id,
                source: opt_in.source.as_str(),
                email: opt_in.email.as_ref().map(|e| e.as_str()),
                first_name: opt_in.first_name.as_ref().map(|n| n.as_str()),
                last_name: opt_in.last_name.as_ref().map(|n| n.as_str()),
                channels: wire::Channels {
                    sms: wire::ChannelConsent {
                        consent: "subscribed",
                    },
                },
            },
        };
        let call = Call {
            method: Method::POST,
            path: self.path(&self.config.paths.subscribers, account),
            query: Vec::new(),
            body: Some(serde_json::to_value(body).expect("serialisable")),
            what: "upsert_subscriber",
            lane: Lane::Work,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// Create or update custom customer event: the milestone on the customer's profile,
    /// keyed by the event's ID (a replay replaces the stored event, never adds one).
    pub async fn upsert_custom_event(
        &self,
        account: &Account,
        event: &MilestoneEvent,
    ) -> Result<(), YotpoError> {
        let c = &event.customer;
        let body = wire::CustomEventEnvelope {
            custom_event: wire::CustomEvent {
                id: &event.unique_id,
                event_name: event.milestone.yotpo_event(),
                source: "tracklight",
                occurred_at: crate::ssr::times::rfc3339(event.occurred_at_ms),
                customer: wire::EventCustomer {
                    external_id: &c.customer_id,
                    email: c.email.as_ref().map(|e| e.as_str()),
                    phone_number: c.phone.as_ref().map(|p| p.as_str()),
                },
                properties: event
                    .properties
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect(),
            },
        };
        let call = Call {
            method: Method::POST,
            path: self.path(&self.config.paths.custom_events, account),
            query: Vec::new(),
            body: Some(serde_json::to_value(body).expect("serialisable")),
            what: "custom_event",
            lane: Lane::Work,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// The account's SMS lists; `None` when the endpoint does not exist (404).
    pub async fn lists(
        &self,
        account: &Account,
    ) -> Result<Option<Vec<wire::ListEntry>>, YotpoError> {
        let call = Call {
            method: Method::GET,
            path: self.path(&self.config.paths.lists, account),
            query: Vec::new(),
            body: None,
            what: "get_lists",
            lane: Lane::Work,
        };
        match self.execute::<wire::ListsPage>(account, &call).await {
            Ok(page) => Ok(Some(page.lists)),
            Err(YotpoError::Rejected { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The account's published SMS sign-up forms.
    pub async fn published_forms(
        &self,
        account: &Account,
    ) -> Result<Vec<wire::SignupForm>, YotpoError> {
        let call = Call {
            method: Method::GET,
            path: self.path(&self.config.paths.subscription_forms, account),
            query: vec![("status".into(), "published".into())],
            body: None,
            what: "subscription_forms",
            lane: Lane::Work,
        };
        self.execute::<wire::FormsPage>(account, &call)
            .await
            .map(|page| page.forms)
    }

    fn path(&self, template: &str, account: &Account) -> String {
        // AccountId only holds URL-safe characters, so this cannot change the path's shape.
        template.replace("{store_id}", account.id.as_str())
    }

    /// A call with a token: refreshes the token once after a 401/403, retries what is
    /// retryable.
    async fn execute<T: DeserializeOwned>(
        &self,
        account: &Account,
        call: &Call,
    ) -> Result<T, YotpoError> {
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            let token = self.token(account).await?;
            match self.attempt(account, call, Some(&token)).await {
                Ok(body) => return parse(&body),
                Err(Failure::Unauthorized) if !refreshed => {
                    tracing::info!(store = %account.id, "Yotpo token refused; exchanging a new one");
                    self.forget_token(account, &token).await;
                    refreshed = true;
                }
                Err(Failure::Unauthorized) => return Err(YotpoError::BadCredentials),
                Err(Failure::Other(e)) => match self.retry_wait(account, call, &e, attempt).await {
                    Some(wait) => {
                        tracing::info!(store = %account.id, call = call.what, attempt, wait_ms = wait.as_millis() as u64, error = %e, "retrying Yotpo call");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    /// The connection's cached token, or a new one.
    async fn token(&self, account: &Account) -> Result<SecretString, YotpoError> {
        let slot = self.token_slot(account);
        // Holding the connection's lock across the exchange: concurrent callers wait for
        // one exchange instead of each making their own.
        let mut cached = slot.lock().await;
        if let Some(token) = cached.as_ref() {
            return Ok(token.clone());
        }
        let key = connection(account);
        if let Some(shared) = &self.shared_tokens {
            if let Some(token) = shared.get(&key).await {
                *cached = Some(token.clone());
                return Ok(token);
            }
        }
        let token = self.exchange(account).await?;
        if let Some(shared) = &self.shared_tokens {
            shared.put(&key, &token, unix_ms()).await;
        }
        *cached = Some(token.clone());
        Ok(token)
    }

    async fn forget_token(&self, account: &Account, stale: &SecretString) {
        let slot = self.token_slot(account);
        let mut cached = slot.lock().await;
        // Another caller may already have replaced it.
        if cached
            .as_ref()
            .is_some_and(|t| t.expose_secret() == stale.expose_secret())
        {
            *cached = None;
        }
        if let Some(shared) = &self.shared_tokens {
            shared.forget(&connection(account), stale).await;
        }
    }

    fn token_slot(&self, account: &Account) -> Arc<tokio::sync::Mutex<Option<SecretString>>> {
        self.tokens
            .lock()
            .expect("token map lock")
            .entry(connection(account))
            .or_default()
            .clone()
    }

    /// `POST .../access_tokens` with the API secret.
    async fn exchange(&self, account: &Account) -> Result<SecretString, YotpoError> {
        let call = Call {
            method: Method::POST,
            path: self.path(&self.config.paths.access_tokens, account),
            query: Vec::new(),
            body: Some(
                serde_json::to_value(wire::TokenRequest {
                    secret: account.secret.expose_secret(),
                })
                .expect("serialisable"),
            ),
            what: "access_token",
            lane: Lane::Work,
        };
        let mut attempt = 1;
        loop {
            match self.attempt(account, &call, None).await {
                Ok(body) => {
                    let answer: wire::TokenResponse = parse(&body)?;
                    if answer.access_token.is_empty() {
                        return Err(YotpoError::Protocol("empty access_token".into()));
                    }
                    return Ok(SecretString::from(answer.access_token));
                }
                Err(Failure::Unauthorized) => return Err(YotpoError::BadCredentials),
                Err(Failure::Other(e)) => {
                    match self.retry_wait(account, &call, &e, attempt).await {
                        Some(wait) => {
                            tokio::time::sleep(wait).await;
                            attempt += 1;
                        }
                        None => return Err(e),
                    }
                }
            }
        }
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up now.
    async fn retry_wait(
        &self,
        account: &Account,
        call: &Call,
        error: &YotpoError,
        attempt: u32,
    ) -> Option<Duration> {
        if let Some(after) = error.retry_after() {
            // Everyone calling with this connection waits, not just this caller.
            self.budget.pause(&connection(account), after).await;
        }
        if !error.is_retryable() || attempt >= self.config.max_attempts {
            return None;
        }
        // A POST (an opt-in, an event) that may have landed goes back to the job queue (which
        // reads an opt-in back before sending it again); reads and upserts by ID are repeated
        // here. One stopped before it left (its claim was lost) is not tried again at all.
        if matches!(error, YotpoError::NotSent(_))
            || (call.method == Method::POST && !error.not_processed())
        {
            return None;
        }
        let wait = error.retry_after().unwrap_or_else(|| {
            self.config
                .backoff
                .saturating_mul(2u32.saturating_pow(attempt - 1))
        });
        (wait <= self.config.max_wait).then_some(wait)
    }

    /// One HTTP request; the body of a 2xx answer.
    async fn attempt(
        &self,
        account: &Account,
        call: &Call,
        token: Option<&SecretString>,
    ) -> Result<Vec<u8>, Failure> {
        let store = &account.id;
        if call.lane == Lane::Lookup {
            let gate = NonZeroU32::MIN;
            self.budget.turn(&lookup_gate(account), gate).await;
        }
        // A write (not the token exchange, which sends no token) is marked as leaving, in
        // its turn (a mark that made it late takes a new one).
        let write = call.method != Method::GET && token.is_some();
        let per_second = self.config.requests_per_second;
        let mark = || crate::ssr::write_mark::before_write_if(write);
        turn_then(&*self.budget, &connection(account), per_second, mark)
            .await
            .map_err(|e| Failure::Other(YotpoError::NotSent(e)))?;
        let url = self
            .config
            .api_url
            .join(call.path.trim_start_matches('/'))
            .map_err(|e| Failure::Other(YotpoError::Protocol(format!("bad URL: {e}"))))?;
        let mut request = self
            .http
            .request(call.method.clone(), url)
            .header(reqwest::header::ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(token) = token {
            request = request.header("X-Yotpo-Token", token.expose_secret());
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let started = Instant::now();
        let answer = async {
            let response = request.send().await?;
            let status = response.status();
            let retry_after = rate_limit_reset(response.headers());
            Ok::<_, reqwest::Error>((status, retry_after, response.bytes().await?))
        }
        .await;
        let outcome = match &answer {
            Ok((status, _, _)) if status.is_success() => "ok",
            Ok((status, _, _)) if *status == StatusCode::TOO_MANY_REQUESTS => "429",
            Ok((status, _, _)) if status.is_client_error() => "4xx",
            Ok(_) => "5xx",
            Err(e) if e.is_timeout() => "timeout",
            Err(_) => "error",
        };
        metrics::counter!("provider_calls_total", "provider" => "yotpo", "call" => call.what, "outcome" => outcome)
            .increment(1);
        let (status, retry_after, body) = answer.map_err(|e| Failure::Other(self.transport(e)))?;
        tracing::debug!(store = %store, call = call.what, status = status.as_u16(), ms = started.elapsed().as_millis() as u64, "Yotpo call");
        classify(status, retry_after, &body)
    }

    fn transport(&self, error: reqwest::Error) -> YotpoError {
        if error.is_timeout() {
            YotpoError::Timeout(self.config.timeout)
        } else {
            // Without the URL: it is configuration, and the message goes to merchants.
            YotpoError::Connection(error.without_url().to_string())
        }
    }
}

/// An answer's status as a result (the loyalty client classifies its answers the same way).
pub(super) fn classify_status(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Vec<u8>, Failure> {
    classify(status, retry_after, body)
}

fn classify(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Vec<u8>, Failure> {
    let code = status.as_u16();
    match code {
        200..=299 => Ok(body.to_vec()),
        401 | 403 => Err(Failure::Unauthorized),
        429 => Err(Failure::Other(YotpoError::RateLimited {
            retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
        })),
        500..=599 => Err(Failure::Other(YotpoError::Server {
            status: code,
            reason: reason(body),
        })),
        _ => Err(Failure::Other(YotpoError::Rejected {
            status: code,
            reason: reason(body),
        })),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, YotpoError> {
    // An empty 2xx body reads as JSON `null` (enough for calls that ignore the body).
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| YotpoError::Protocol(e.to_string()))
}

/// `RateLimit-Reset` (seconds, whole or not), else `Retry-After` (seconds).
/// One call of a client that keeps no token (Loyalty, Reviews): waits for `key`'s turn in
/// `budget`, sends, makes every caller of `key` wait after a 429 (in every instance, with the
/// database's budget), and reads the answer; 401 and 403 mean the credentials.
pub(super) async fn budgeted_call(
    budget: &dyn CallBudget,
    key: &str,
    per_second: std::num::NonZeroU32,
    timeout: Duration,
    request: reqwest::RequestBuilder,
) -> Result<Vec<u8>, YotpoError> {
    let no_mark = || async { Ok::<(), std::convert::Infallible>(()) };
    let _ = turn_then(budget, key, per_second, no_mark).await;
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            YotpoError::Timeout(timeout)
        } else {
            YotpoError::Connection(e.without_url().to_string())
        }
    })?;
    let status = response.status();
    let retry_after = rate_limit_reset(response.headers());
    if status == StatusCode::TOO_MANY_REQUESTS {
        budget
            .pause(key, retry_after.unwrap_or(Duration::from_secs(1)))
            .await;
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| YotpoError::Connection(e.without_url().to_string()))?;
    classify_status(status, retry_after, &body).map_err(|failure| match failure {
        Failure::Unauthorized => YotpoError::BadCredentials,
        Failure::Other(e) => e,
    })
}

pub(super) fn rate_limit_reset(headers: &HeaderMap) -> Option<Duration> {
    ["ratelimit-reset", "retry-after"].iter().find_map(|name| {
        let value = headers
            .get(*name)?
            .to_str()
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()?;
        (value.is_finite() && value > 0.0).then(|| Duration::from_secs_f64(value.min(3600.0)))
    })
}

/// Yotpo's message from an error body: a `message`/`error`/`errors` field when the body is
/// JSON, the text otherwise; shortened.
fn reason(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) => ["message", "error", "errors", "status"]
            .iter()
            .find_map(|k| json.get(*k))
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| json.to_string()),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "no details given".into();
    }
    match text.char_indices().nth(REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn fingerprint(secret: &SecretString) -> [u8; 32] {
    Sha256::digest(secret.expose_secret().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_short_and_plain() {
        assert_eq!(
            reason(br#"{"message":"list_id is invalid"}"#),
            "list_id is invalid"
        );
        assert_eq!(reason(br#"{"errors":["a","b"]}"#), r#"["a","b"]"#);
        assert_eq!(reason(b"Bad\n  Gateway"), "Bad Gateway");
        assert_eq!(reason(b""), "no details given");
        let long = reason("x".repeat(1000).as_bytes());
        assert_eq!(long.chars().count(), REASON_CHARS + 1);
    }

    #[test]
    fn rate_limit_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(rate_limit_reset(&h), None);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(rate_limit_reset(&h), Some(Duration::from_secs(3)));
        h.insert("RateLimit-Reset", HeaderValue::from_static("0.5"));
        assert_eq!(rate_limit_reset(&h), Some(Duration::from_millis(500)));
        h.insert("RateLimit-Reset", HeaderValue::from_static("soon"));
        assert_eq!(rate_limit_reset(&h), Some(Duration::from_secs(3)));
    }

    #[test]
    fn statuses_are_classified() {
        let kind = |code: u16| match classify(StatusCode::from_u16(code).unwrap(), None, b"{}") {
            Ok(_) => "ok",
            Err(Failure::Unauthorized) => "unauthorized",
            Err(Failure::Other(e)) if e.is_retryable() => "retryable",
            Err(Failure::Other(_)) => "permanent",
        };
        for (code, expected) in [
            (200, "ok"),
            (201, "ok"),
            (204, "ok"),
            (400, "permanent"),
            (401, "unauthorized"),
            (403, "unauthorized"),
            (404, "permanent"),
            (422, "permanent"),
            (429, "retryable"),
            (500, "retryable"),
            (503, "retryable"),
        ] {
            assert_eq!(kind(code), expected, "HTTP {code}");
        }
    }
}
