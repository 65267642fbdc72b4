//! Where Yotpo lives and how hard Tracklight may call it. Every URL is configuration: a real
//! account and the sandbox differ only in these values.

use reqwest::Url;
use std::num::NonZeroU32;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct YotpoConfig {
    /// `https://api.yotpo.com` for real accounts; the sandbox's URL otherwise.
    pub api_url: Url,
    pub paths: YotpoPaths,
    /// Where Yotpo's SMS sign-up form scripts load from (`https://forms.smsbump.com`); a
    /// merchant's form must be a script below it.
    pub forms_url: Url,
    /// Bound on every call, connection included.
    pub timeout: Duration,
    /// Tracklight's own budget per store, for every caller in the process. Yotpo allows
    /// 5 requests/second per store; 4 leaves room for clock and network jitter.
    pub requests_per_second: NonZeroU32,
    /// Attempts per call for retryable failures (429, 5xx, timeouts, connection errors).
    pub max_attempts: u32,
    /// The longest a call waits in-process before a retry (e.g. for `RateLimit-Reset`);
    /// a longer wait is handed back to the caller as the error's `retry_after`.
    pub max_wait: Duration,
    /// First back-off after a 5xx, timeout or connection error; doubles per attempt.
    pub backoff: Duration,
}

impl YotpoConfig {
    pub fn new(api_url: Url) -> Self {
        Self {
            api_url,
            paths: YotpoPaths::default(),
            forms_url: Url::parse("https://forms.smsbump.com").expect("valid URL"),
            timeout: Duration::from_secs(10),
            requests_per_second: NonZeroU32::new(4).expect("non-zero"),
            max_attempts: 3,
            max_wait: Duration::from_secs(5),
            backoff: Duration::from_millis(500),
        }
    }

    pub fn production() -> Self {
        Self::new(Url::parse("https://api.yotpo.com").expect("valid URL"))
    }
}

/// Path templates below the API URL; `{store_id}` is replaced by the store ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YotpoPaths {
    pub access_tokens: String,
    pub customers: String,
    /// The `messaging` namespace follows Yotpo's namespace rule; some callers use `core`
    /// (UNCONFIRMED which is canonical).
    pub subscribers: String,
    /// Yotpo documents a "Get Lists" operation but not its path (UNCONFIRMED).
    pub lists: String,
    pub subscription_forms: String,
    /// Create or update custom customer event: Yotpo documents the operation but not its
    /// path (UNCONFIRMED).
    pub custom_events: String,
    /// Query parameter for the external-ID filter of Retrieve customers (UNCONFIRMED:
    /// `external_ids` or `external_id`).
    pub external_id_filter: String,
}

impl Default for YotpoPaths {
    fn default() -> Self {
        Self {
            access_tokens: "/core/v3/stores/{store_id}/access_tokens".into(),
            customers: "/core/v3/stores/{store_id}/customers".into(),
            subscribers: "/messaging/v3/stores/{store_id}/subscribers".into(),
            lists: "/messaging/v3/stores/{store_id}/lists".into(),
            subscription_forms: "/messaging/v3/stores/{store_id}/subscription-forms".into(),
            custom_events: "/core/v3/stores/{store_id}/custom_events".into(),
            external_id_filter: "external_ids".into(),
        }
    }
}

impl YotpoPaths {
    /// A path template as configured: it starts with `/`, names `{store_id}`, and has no
    /// query or fragment.
    pub fn template(path: &str) -> Result<String, String> {
        let path = path.trim();
        if path.starts_with('/') && path.contains("{store_id}") && !path.contains(['?', '#', ' ']) {
            Ok(path.to_owned())
        } else {
            Err(format!(
                "must be a path starting with / that contains {{store_id}} (got {path:?})"
            ))
        }
    }

    /// Checks every template with [`YotpoPaths::template`].
    pub fn validate(&self) -> Result<(), String> {
        for (name, path) in [
            ("access_tokens", &self.access_tokens),
            ("customers", &self.customers),
            ("subscribers", &self.subscribers),
            ("lists", &self.lists),
            ("subscription_forms", &self.subscription_forms),
            ("custom_events", &self.custom_events),
        ] {
            Self::template(path).map_err(|m| format!("the {name} path {m}"))?;
        }
        Ok(())
    }
}
