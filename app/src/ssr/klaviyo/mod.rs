//! Everything Tracklight says to Klaviyo goes through [`KlaviyoClient`].
//!
//! - `config`: base URL, API revision, timeouts, the per-account budget, the countries
//!   where Klaviyo keeps SMS consent.
//! - `wire`: the JSON:API shapes Klaviyo documents, and nothing else.
//! - `error`: [`KlaviyoError`], classified as retryable or permanent with the reason kept.
//! - `client`: requests, the per-account and per-endpoint budget, retries.
//! - `provider`: [`KlaviyoClient`] as an [`SmsListProvider`](super::sms::SmsListProvider).
//!
//! The reference is `klaviyo-api.md` in the shared docs; the Klaviyo sandbox (the `sandbox`
//! crate) implements the same contract and is what the tests talk to.

mod client;
mod config;
mod error;
mod provider;
pub mod wire;

pub use client::KlaviyoClient;
pub use config::KlaviyoConfig;
pub use error::KlaviyoError;
