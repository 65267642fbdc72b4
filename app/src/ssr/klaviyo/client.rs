//! The Klaviyo HTTP client: one per process, shared by every merchant. Each call sends the
//! merchant's private key (`Authorization: Klaviyo-API-Key …`) and the pinned `revision`,
//! keeps to the account's budget for that endpoint (`ssr::budget`: shared by every instance
//! when the server gives it the database's; Klaviyo's limits are per account and endpoint),
//! and pauses that endpoint for `Retry-After` after a 429. Reads are retried at once after a
//! 429, 503, 504, time-out or connection error; writes only after a 429 (the one failure
//! that certainly changed nothing): an ambiguous write goes back to the job queue, which
//! re-reads the consent before sending it again. Keys are `SecretString`s, never logged.

use super::config::KlaviyoConfig;
use super::error::KlaviyoError;
use super::wire::{self, AccountAttributes, Collection, ListAttributes, ProfileAttributes};
use crate::ssr::budget::{turn_then, CallBudget, LocalBudget};
use crate::ssr::sms::{Account, AccountId, Contact, MilestoneEvent, OptIn};
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

const JSON_API: &str = "application/vnd.api+json";
/// Longest reason kept from an error body.
const REASON_CHARS: usize = 300;

pub struct KlaviyoClient {
    http: reqwest::Client,
    config: KlaviyoConfig,
    budget: Arc<dyn CallBudget>,
}

/// One request, minus the key.
struct Call {
    method: Method,
    /// Below the API URL (`/api/profiles`), or a `links.next` URL Klaviyo gave.
    target: Target,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    /// The endpoint, for budgets, metrics and logs.
    what: &'static str,
    /// The scopes the endpoint needs, named when Klaviyo answers 403.
    scopes: &'static str,
    /// A write: repeated at once only when certainly not processed (429).
    write: bool,
}

enum Target {
    Path(&'static str),
    Url(Url),
}

impl KlaviyoClient {
    pub fn new(config: KlaviyoConfig) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("tracklight/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            config,
            budget: Arc::new(LocalBudget::default()),
        })
    }

    /// Keeps to `budget` (e.g. the database's, shared by every instance) instead of this
    /// process's own.
    pub fn with_budget(mut self, budget: Arc<dyn CallBudget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn config(&self) -> &KlaviyoConfig {
        &self.config
    }

    /// The account a private key belongs to: `GET /api/accounts` when the key may read it
    /// (`accounts:read`), else an ID made from the key's fingerprint.
    pub async fn account_id(&self, key: &SecretString) -> Result<AccountId, KlaviyoError> {
        let probe = Account {
            id: AccountId::parse(&fingerprint_id(key)).expect("a valid ID"),
            secret: key.clone(),
        };
        let call = Call {
            method: Method::GET,
            target: Target::Path("/api/accounts"),
            query: Vec::new(),
            body: None,
            what: "get_accounts",
            scopes: "accounts:read",
            write: false,
        };
        match self
            .execute::<Collection<wire::Resource<AccountAttributes>>>(&probe, &call)
            .await
        {
            Ok(page) => {
                let id = page.data.into_iter().next().map(|a| a.id).ok_or_else(|| {
                    KlaviyoError::Protocol("GET /api/accounts named no account".into())
                })?;
                AccountId::parse(&id).map_err(KlaviyoError::Protocol)
            }
            Err(KlaviyoError::MissingScope { .. }) => Ok(probe.id),
            Err(e) => Err(e),
        }
    }

    /// Proves the key may read lists and profiles (write scopes cannot be probed without
    /// side effects; a missing one shows on the first consent, with its name).
    pub async fn check(&self, account: &Account) -> Result<(), KlaviyoError> {
        for (path, what, scopes) in [
            ("/api/lists", "get_lists", "lists:read"),
            ("/api/profiles", "get_profiles", "profiles:read"),
        ] {
            let call = Call {
                method: Method::GET,
                target: Target::Path(path),
                query: vec![("page[size]", "1".into())],
                body: None,
                what,
                scopes,
                write: false,
            };
            self.execute::<Value>(account, &call).await?;
        }
        Ok(())
    }

    /// Profiles whose `field` equals `value`, with their subscriptions.
    pub async fn profiles_by(
        &self,
        account: &Account,
        field: &'static str,
        value: &str,
    ) -> Result<Vec<wire::Resource<ProfileAttributes>>, KlaviyoError> {
        let call = Call {
            method: Method::GET,
            target: Target::Path("/api/profiles"),
            query: vec![
                ("filter", format!("equals({field},{})", wire::quoted(value))),
                ("additional-fields[profile]", "subscriptions".into()),
                ("page[size]", "10".into()),
            ],
            body: None,
            what: "get_profiles",
            scopes: "profiles:read",
            write: false,
        };
        let page: Collection<wire::Resource<ProfileAttributes>> =
            self.execute(account, &call).await?;
        Ok(page.data)
    }

    /// Creates or updates the shopper's profile (`POST /api/profile-import`).
    pub async fn import_profile(
        &self,
        account: &Account,
        contact: &Contact,
    ) -> Result<(), KlaviyoError> {
        let call = Call {
            method: Method::POST,
            target: Target::Path("/api/profile-import"),
            query: Vec::new(),
            body: Some(wire::profile_import(
                &contact.customer_id,
                contact.email.as_ref().map(|e| e.as_str()),
                contact.phone.as_ref().map(|p| p.as_str()),
                contact.first_name.as_ref().map(|n| n.as_str()),
                contact.last_name.as_ref().map(|n| n.as_str()),
                contact.country.as_deref(),
                contact.city.as_deref(),
            )),
            what: "create_or_update_profile",
            scopes: "profiles:write",
            write: true,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// Subscribes the phone to the list with SMS marketing consent
    /// (`POST /api/profile-subscription-bulk-create-jobs`; 202, applied asynchronously).
    pub async fn subscribe(&self, account: &Account, opt_in: &OptIn) -> Result<(), KlaviyoError> {
        let call = Call {
            method: Method::POST,
            target: Target::Path("/api/profile-subscription-bulk-create-jobs"),
            query: Vec::new(),
            body: Some(wire::subscribe(
                opt_in.phone.as_str(),
                opt_in.email.as_ref().map(|e| e.as_str()),
                opt_in.list_id.as_str(),
                &self.config.custom_source,
            )),
            what: "bulk_subscribe_profiles",
            scopes: "lists:write, profiles:write and subscriptions:write",
            write: true,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// Sends a shipment milestone (`POST /api/events`; 202). Klaviyo keeps one event per
    /// profile, metric and `unique_id`, so it may be repeated after any failure.
    pub async fn create_event(
        &self,
        account: &Account,
        event: &MilestoneEvent,
    ) -> Result<(), KlaviyoError> {
        let time = crate::ssr::times::rfc3339(event.occurred_at_ms);
        let c = &event.customer;
        let call = Call {
            method: Method::POST,
            target: Target::Path("/api/events"),
            query: Vec::new(),
            body: Some(wire::event(
                event.milestone.klaviyo_metric(),
                &event.unique_id,
                &time,
                &event.properties,
                &c.customer_id,
                c.email.as_ref().map(|e| e.as_str()),
                c.phone.as_ref().map(|p| p.as_str()),
            )),
            what: "create_event",
            scopes: "events:write",
            // Deduplicated by unique_id: safe to repeat like a read.
            write: false,
        };
        self.execute::<serde::de::IgnoredAny>(account, &call)
            .await
            .map(drop)
    }

    /// The account's lists, following `links.next` (10 a page) up to the configured bound.
    pub async fn lists(
        &self,
        account: &Account,
    ) -> Result<Vec<wire::Resource<ListAttributes>>, KlaviyoError> {
        let mut lists = Vec::new();
        let mut target = Target::Path("/api/lists");
        for _ in 0..self.config.max_list_pages {
            let call = Call {
                method: Method::GET,
                query: match target {
                    Target::Path(_) => vec![("page[size]", "10".into())],
                    Target::Url(_) => Vec::new(),
                },
                target,
                body: None,
                what: "get_lists",
                scopes: "lists:read",
                write: false,
            };
            let page: Collection<wire::Resource<ListAttributes>> =
                self.execute(account, &call).await?;
            lists.extend(page.data);
            match page.links.and_then(|l| l.next) {
                Some(next) => target = Target::Url(self.same_origin(&next)?),
                None => break,
            }
        }
        Ok(lists)
    }

    /// A `links.next` URL, followed only on Klaviyo's own origin: the key goes with it.
    fn same_origin(&self, next: &str) -> Result<Url, KlaviyoError> {
        let url = Url::parse(next)
            .or_else(|_| self.config.api_url.join(next))
            .map_err(|e| KlaviyoError::Protocol(format!("links.next is not a URL: {e}")))?;
        if url.origin() != self.config.api_url.origin() {
            return Err(KlaviyoError::Protocol(
                "links.next points away from Klaviyo's API".into(),
            ));
        }
        Ok(url)
    }

    async fn execute<T: DeserializeOwned>(
        &self,
        account: &Account,
        call: &Call,
    ) -> Result<T, KlaviyoError> {
        let mut attempt = 1;
        loop {
            let error = match self.attempt(account, call).await {
                Ok(body) => return parse(&body),
                Err(e) => e,
            };
            if let Some(after) = error.retry_after() {
                // Everyone calling this endpoint for this account waits.
                self.budget.pause(&budget_key(account, call), after).await;
            }
            let again = if call.write {
                // One stopped before it left (its claim was lost) is not tried again.
                error.not_processed() && !matches!(error, KlaviyoError::NotSent(_))
            } else {
                error.transient()
            };
            if !again || attempt >= self.config.max_attempts {
                return Err(error);
            }
            let wait = error.retry_after().unwrap_or_else(|| {
                self.config
                    .backoff
                    .saturating_mul(2u32.saturating_pow(attempt - 1))
            });
            if wait > self.config.max_wait {
                return Err(error);
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One HTTP request; the body of a 2xx answer.
    async fn attempt(&self, account: &Account, call: &Call) -> Result<Vec<u8>, KlaviyoError> {
        // Klaviyo allows the accounts endpoint once a second; the others share the setting.
        let rate = match call.what {
            "get_accounts" => std::num::NonZeroU32::MIN,
            _ => self.config.requests_per_second,
        };
        // A write is marked as leaving, in its turn (a mark that made it late takes a new one).
        let mark = || crate::ssr::write_mark::before_write_if(call.write);
        turn_then(&*self.budget, &budget_key(account, call), rate, mark)
            .await
            .map_err(KlaviyoError::NotSent)?;
        let url = match &call.target {
            Target::Path(path) => self
                .config
                .api_url
                .join(path.trim_start_matches('/'))
                .map_err(|e| KlaviyoError::Protocol(format!("bad URL: {e}")))?,
            Target::Url(url) => url.clone(),
        };
        let mut request = self
            .http
            .request(call.method.clone(), url)
            .header(
                AUTHORIZATION,
                format!("Klaviyo-API-Key {}", account.secret.expose_secret()),
            )
            .header("revision", &self.config.revision)
            .header(ACCEPT, JSON_API);
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, JSON_API)
                .body(body.to_string());
        }
        let answer = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            Ok::<_, reqwest::Error>((status, headers, response.bytes().await?))
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
        metrics::counter!("provider_calls_total", "provider" => "klaviyo", "call" => call.what, "outcome" => outcome)
            .increment(1);
        let (status, headers, body) = answer.map_err(|e| self.transport(e))?;
        tracing::debug!(account = %account.id, call = call.what, status = status.as_u16(), "Klaviyo call");
        classify(status, &headers, &body, call)
    }

    fn transport(&self, error: reqwest::Error) -> KlaviyoError {
        if error.is_timeout() {
            KlaviyoError::Timeout(self.config.timeout)
        } else {
            // Without the URL: it is configuration, and the message goes to merchants.
            KlaviyoError::Connection(error.without_url().to_string())
        }
    }
}

/// Klaviyo's limits are per account and endpoint.
fn budget_key(account: &Account, call: &Call) -> String {
    format!("klaviyo:{}:{}", account.id, call.what)
}

/// An account ID for a key that may not read its account: `key-` and 12 hex digits of the
/// key's SHA-256 (the key itself never leaves).
fn fingerprint_id(key: &SecretString) -> String {
    let digest = Sha256::digest(key.expose_secret().as_bytes());
    format!("key-{}", &hex::encode(digest)[..12])
}

fn classify(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    call: &Call,
) -> Result<Vec<u8>, KlaviyoError> {
    let code = status.as_u16();
    if status.is_success() {
        // Klaviyo keeps the rest of the profile and drops a phone it finds invalid.
        if headers
            .get("x-klaviyo-partial-failure")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("phone_number"))
        {
            return Err(KlaviyoError::Rejected {
                status: code,
                reason: "Klaviyo dropped the phone number as invalid (X-Klaviyo-Partial-Failure)"
                    .into(),
            });
        }
        return Ok(body.to_vec());
    }
    let error = wire::error_body(body);
    let reason = shorten(error.detail.unwrap_or_else(|| {
        // Not JSON (Cloudflare answers HTML at times): the status says it.
        status.canonical_reason().unwrap_or("error").to_owned()
    }));
    Err(match code {
        // Cloudflare's bot check (or any 403 that is not Klaviyo's JSON error), not a
        // verdict on the key: worth trying again later.
        403 if headers.contains_key("cf-mitigated") || error.code.is_none() => {
            KlaviyoError::Server {
                status: code,
                reason: "Klaviyo's bot protection challenged the request".into(),
            }
        }
        401 => KlaviyoError::BadKey(reason),
        403 => KlaviyoError::MissingScope {
            scopes: call.scopes.to_owned(),
            detail: reason,
        },
        409 if error.code.as_deref() == Some("duplicate_profile") => {
            KlaviyoError::DuplicateProfile {
                other: error
                    .duplicate_profile_id
                    .unwrap_or_else(|| "not named".into()),
            }
        }
        429 => KlaviyoError::RateLimited {
            retry_after: retry_after(headers).unwrap_or(Duration::from_secs(1)),
        },
        500..=599 => KlaviyoError::Server {
            status: code,
            reason,
        },
        _ => KlaviyoError::Rejected {
            status: code,
            reason,
        },
    })
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, KlaviyoError> {
    // 202s have no body: read as JSON `null` (enough for calls that ignore it).
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| KlaviyoError::Protocol(e.to_string()))
}

/// `Retry-After` in whole seconds, as a 429 carries it.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let secs = headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.clamp(0.1, 3600.0)))
}

fn shorten(text: String) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(write: bool) -> Call {
        Call {
            method: Method::POST,
            target: Target::Path("/api/profile-import"),
            query: Vec::new(),
            body: None,
            what: "create_or_update_profile",
            scopes: "profiles:write",
            write,
        }
    }

    #[test]
    fn answers_are_classified_as_documented() {
        let none = HeaderMap::new();
        let err = |status: u16, body: &str| {
            classify(
                StatusCode::from_u16(status).unwrap(),
                &none,
                body.as_bytes(),
                &call(true),
            )
            .unwrap_err()
        };
        assert!(matches!(
            err(
                401,
                r#"{"errors":[{"code":"not_authenticated","detail":"Missing"}]}"#
            ),
            KlaviyoError::BadKey(_)
        ));
        let scope = err(
            403,
            r#"{"errors":[{"code":"permission_denied","detail":"no"}]}"#,
        );
        assert!(scope.to_string().contains("profiles:write"), "{scope}");
        let dup = err(
            409,
            r#"{"errors":[{"code":"duplicate_profile","detail":"A profile already exists","meta":{"duplicate_profile_id":"01ABC"}}]}"#,
        );
        assert_eq!(
            dup,
            KlaviyoError::DuplicateProfile {
                other: "01ABC".into()
            }
        );
        assert!(!dup.is_retryable());
        // HTML bodies are not JSON: the status speaks.
        let html = err(400, "<html>Bad Request</html>");
        assert!(html.to_string().contains("Bad Request"), "{html}");
        let mut limited = HeaderMap::new();
        limited.insert("retry-after", "7".parse().unwrap());
        let e = classify(StatusCode::TOO_MANY_REQUESTS, &limited, b"", &call(true)).unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert!(e.not_processed() && e.is_retryable());
        // A 503 on a write is ambiguous: back to the queue, not repeated at once.
        let e = err(503, "");
        assert!(e.is_retryable() && !e.not_processed() && e.transient());
    }

    #[test]
    fn fingerprint_ids_hide_the_key() {
        let id = fingerprint_id(&SecretString::from("pk_secret".to_owned()));
        assert!(id.starts_with("key-") && id.len() == 16 && !id.contains("secret"));
        assert!(AccountId::parse(&id).is_ok());
    }
}
