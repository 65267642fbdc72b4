//! Where Klaviyo lives and how hard Tracklight may call it. Every URL is configuration: a
//! real account and the sandbox differ only in these values.

use reqwest::Url;
use std::num::NonZeroU32;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct KlaviyoConfig {
    /// `https://a.klaviyo.com` for real accounts; the sandbox's URL otherwise.
    pub api_url: Url,
    /// The `revision` header: the API version every shape here was checked against.
    pub revision: String,
    /// Bound on every call, connection included.
    pub timeout: Duration,
    /// Tracklight's own budget per account and endpoint, for every instance together.
    /// Klaviyo allows the endpoints Tracklight uses 75/s in bursts and 750 a minute
    /// (12.5/s) steady; 10 stays under both.
    pub requests_per_second: NonZeroU32,
    /// Attempts per call for failures that are safe to repeat at once (429, 503, 504,
    /// time-outs and connection errors on reads; only 429 on writes).
    pub max_attempts: u32,
    /// The longest a call waits in-process before a retry (e.g. for `Retry-After`); a longer
    /// wait is handed back to the caller.
    pub max_wait: Duration,
    /// First back-off after a 503/504, time-out or connection error; doubles per attempt.
    pub backoff: Duration,
    /// Countries (ISO 3166-1 alpha-2) where Klaviyo keeps SMS consent; a number from
    /// elsewhere is refused before it is sent.
    pub sms_countries: Vec<String>,
    /// How the subscription is labelled in Klaviyo (`custom_source`).
    pub custom_source: String,
    /// Most pages of lists read for the settings page (10 lists a page).
    pub max_list_pages: usize,
}

/// Klaviyo's SMS countries as its help centre lists them (klaviyo-api.md §11).
pub const SMS_COUNTRIES: [&str; 19] = [
    "US", "CA", "GB", "IE", "DE", "NL", "FR", "BE", "AT", "ES", "CH", "DK", "SE", "NO", "FI", "IT",
    "PT", "AU", "NZ",
];

impl KlaviyoConfig {
    pub fn new(api_url: Url) -> Self {
        Self {
            api_url,
            revision: "2026-07-15".into(),
            timeout: Duration::from_secs(10),
            requests_per_second: NonZeroU32::new(10).expect("non-zero"),
            max_attempts: 3,
            max_wait: Duration::from_secs(5),
            backoff: Duration::from_millis(500),
            sms_countries: SMS_COUNTRIES.iter().map(|c| (*c).to_owned()).collect(),
            custom_source: "Tracklight tracking page".into(),
            max_list_pages: 50,
        }
    }

    pub fn production() -> Self {
        Self::new(Url::parse("https://a.klaviyo.com").expect("valid URL"))
    }
}
