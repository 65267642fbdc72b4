//! SMS consent on the tracking page, from offer to delivery.
//!
//! - `settings`: what a merchant configured (provider account, list, links, texts).
//! - `disclosure`: the required consent text and its hash.
//! - `history`: the append-only history: each proof of consent, each change of state.
//! - `lookup`: is this shopper subscribed already? Own consents, then a cache, then the
//!   provider; coalesced and bounded.
//! - `offer`: the consent block for a tracking page.
//! - `submit`: re-validates a submission and records the consent with its two jobs in one
//!   transaction.
//!
//! Delivery (the two steps to the provider) is `ssr::jobs`.

pub mod disclosure;
pub mod history;
pub mod lookup;
pub mod offer;
pub mod settings;
pub mod submit;

use std::time::Duration;

/// Consent behaviour that operators tune.
#[derive(Debug, Clone)]
pub struct ConsentConfig {
    /// Longest a tracking page waits for the provider's subscription answer.
    pub lookup_bound: Duration,
    /// Which proxies' `X-Forwarded-For` hops to believe.
    pub trusted_proxies: crate::ssr::client_ip::TrustedProxies,
}

impl Default for ConsentConfig {
    fn default() -> Self {
        Self {
            lookup_bound: Duration::from_millis(700),
            trusted_proxies: Default::default(),
        }
    }
}
