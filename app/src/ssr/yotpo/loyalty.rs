//! Yotpo Loyalty & Referrals (`yotpo-api.md` §2b, §9): a merchant's loyalty account (its GUID
//! and API key, sent as `x-guid` and `x-api-key`), checked with a read, and custom actions
//! recorded for a shopper by email.
//!
//! Recording an action is not idempotent (Yotpo documents no key for it), so
//! [`LoyaltyClient::action_landed`] reads the customer's history first: the job that awards
//! points asks before every send, and never sends an action the history already has.

use super::client::budgeted_call;
use super::YotpoError;
use crate::ssr::budget::{CallBudget, LocalBudget};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Where Yotpo Loyalty lives. Every path is configuration
/// (`TRACKLIGHT_YOTPO_LOYALTY_URL`, `TRACKLIGHT_YOTPO_LOYALTY_PATH_*`).
#[derive(Debug, Clone)]
pub struct LoyaltyConfig {
    /// `https://loyalty.yotpo.com` for real accounts; the sandbox's URL otherwise.
    pub url: Url,
    /// Record a customer action: `POST`.
    pub actions_path: String,
    /// Fetch customer details (with `with_history=true`): `GET`.
    pub customers_path: String,
    /// A read that needs valid credentials and nothing else, for "check before saving":
    /// the VIP tiers (`GET`).
    pub check_path: String,
    pub timeout: Duration,
}

impl LoyaltyConfig {
    /// A path below the loyalty URL: it starts with `/`, with no query.
    pub fn path(path: &str) -> Result<String, String> {
        let path = path.trim();
        if path.starts_with('/') && !path.contains(['?', '#', ' ']) {
            Ok(path.to_owned())
        } else {
            Err(format!("must be a path starting with / (got {path:?})"))
        }
    }

    pub fn new(url: Url) -> Self {
        Self {
            url,
            actions_path: "/api/v2/actions".into(),
            customers_path: "/api/v2/customers".into(),
            check_path: "/api/v2/vip_tiers".into(),
            timeout: Duration::from_secs(10),
        }
    }

    pub fn production() -> Self {
        Self::new(Url::parse("https://loyalty.yotpo.com").expect("valid URL"))
    }
}

/// A merchant's Yotpo Loyalty account.
#[derive(Clone)]
pub struct LoyaltyAccount {
    pub guid: String,
    pub api_key: SecretString,
}

/// A custom action for a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAction {
    pub customer_email: String,
    /// The name of the merchant's custom-action campaign in Yotpo.
    pub action_name: String,
    /// When the shopper did it, RFC 3339 (Yotpo returns it as the history's
    /// `completed_at`).
    pub created_at: String,
}

/// Fetch customer details, as far as Tracklight reads it. The history's item shape is
/// UNCONFIRMED beyond `completed_at` (the `created_at` sent with the action, §9): an item is
/// ours when it names the action (in `action_name` or `action`) or has that time. Without a
/// `history_items` list the answer is not understood and the job fails visibly rather than
/// sending blind.
#[derive(Debug, Deserialize)]
struct CustomerDetails {
    history_items: Vec<HistoryItem>,
}

#[derive(Debug, Deserialize)]
struct HistoryItem {
    #[serde(default)]
    action_name: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    completed_at: Option<String>,
}

/// Two RFC 3339 times that are the same instant.
fn same_time(a: &str, b: &str) -> bool {
    use time::format_description::well_known::Rfc3339;
    match (
        time::OffsetDateTime::parse(a, &Rfc3339),
        time::OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub struct LoyaltyClient {
    http: reqwest::Client,
    config: LoyaltyConfig,
    /// Calls per loyalty account, across callers (and every instance, with the database's).
    budget: Arc<dyn CallBudget>,
}

/// Yotpo Loyalty allows 10 requests a second per account (`yotpo-api.md` §3; an older page
/// said 5): Tracklight keeps to 8, leaving room for jitter.
const LOYALTY_PER_SECOND: NonZeroU32 = NonZeroU32::new(8).expect("non-zero");

/// The budget key of a loyalty account (its GUID, hashed: keys are stored).
fn budget_key(account: &LoyaltyAccount) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "loyalty:{}",
        hex::encode(&Sha256::digest(account.guid.as_bytes())[..12])
    )
}

impl LoyaltyClient {
    pub fn new(config: LoyaltyConfig) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("tracklight/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            config,
            budget: Arc::new(LocalBudget::default()),
        })
    }

    /// Keeps to `budget` (the database's: one for every instance) instead of this
    /// process's own.
    pub fn with_budget(mut self, budget: Arc<dyn CallBudget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn config(&self) -> &LoyaltyConfig {
        &self.config
    }

    fn url(&self, path: &str) -> Result<Url, YotpoError> {
        // Below the base URL's own path, if it has one.
        let mut base = self.config.url.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(path.trim_start_matches('/'))
            .map_err(|e| YotpoError::Protocol(format!("bad loyalty path {path:?}: {e}")))
    }

    async fn send(
        &self,
        account: &LoyaltyAccount,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, YotpoError> {
        let request = request
            .header("x-guid", &account.guid)
            .header("x-api-key", account.api_key.expose_secret());
        budgeted_call(
            self.budget.as_ref(),
            &budget_key(account),
            LOYALTY_PER_SECOND,
            self.config.timeout,
            request,
        )
        .await
    }

    /// Whether Yotpo accepts the account's GUID and key.
    pub async fn check(&self, account: &LoyaltyAccount) -> Result<(), YotpoError> {
        let url = self.url(&self.config.check_path)?;
        self.send(account, self.http.get(url)).await.map(drop)
    }

    /// Whether the customer's loyalty history already holds the action (an unknown customer
    /// has none).
    pub async fn action_landed(
        &self,
        account: &LoyaltyAccount,
        action: &CustomAction,
    ) -> Result<bool, YotpoError> {
        let url = self.url(&self.config.customers_path)?;
        let request = self.http.get(url).query(&[
            ("customer_email", action.customer_email.as_str()),
            ("with_history", "true"),
        ]);
        let body = match self.send(account, request).await {
            Ok(body) => body,
            Err(YotpoError::Rejected { status: 404, .. }) => return Ok(false),
            Err(e) => return Err(e),
        };
        let details: CustomerDetails =
            serde_json::from_slice(&body).map_err(|e| YotpoError::Protocol(e.to_string()))?;
        let name = Some(action.action_name.as_str());
        Ok(details.history_items.iter().any(|item| {
            item.action_name.as_deref() == name
                || item.action.as_deref() == name
                || item
                    .completed_at
                    .as_deref()
                    .is_some_and(|at| same_time(at, &action.created_at))
        }))
    }

    /// Records the action (not idempotent: see the module).
    pub async fn record(
        &self,
        account: &LoyaltyAccount,
        action: &CustomAction,
    ) -> Result<(), YotpoError> {
        let url = self.url(&self.config.actions_path)?;
        let body = serde_json::json!({
            "type": "CustomAction",
            "customer_email": action.customer_email,
            "action_name": action.action_name,
            "created_at": action.created_at,
        });
        self.send(account, self.http.post(url).json(&body))
            .await
            .map(drop)
    }
}
