//! Everything Tracklight says to Yotpo goes through [`YotpoClient`].
//!
//! - `config`: base URL, path templates (the unconfirmed ones are easy to change), timeouts,
//!   the per-store request budget.
//! - `wire`: the JSON shapes Yotpo documents, and nothing else.
//! - `error`: [`YotpoError`], classified as retryable or permanent with the reason kept.
//! - `client`: the token exchange and cache, the per-store limiter, retries; and the
//!   budgeted call the Loyalty and Reviews clients (no token to renew) share.
//! - `forms`: Yotpo's own sign-up forms: which scripts are theirs.
//! - `provider`: [`YotpoClient`] as an [`SmsListProvider`](super::sms::SmsListProvider).
//! - `loyalty`: [`LoyaltyClient`], Yotpo Loyalty & Referrals (its own host and credentials).
//! - `reviews`: [`ReviewsClient`], Yotpo Reviews' imports of approved shopper photos and
//!   videos (v1: its own token exchange).
//!
//! The reference is `yotpo-api.md` in the shared docs; the Yotpo sandbox (the `sandbox`
//! crate) implements the same contract and is what the tests talk to.

mod client;
mod config;
mod error;
pub mod forms;
mod loyalty;
mod provider;
mod reviews;
mod tokens;
pub mod wire;

pub use client::YotpoClient;
pub use config::{YotpoConfig, YotpoPaths};
pub use error::YotpoError;
pub use loyalty::{CustomAction, LoyaltyAccount, LoyaltyClient, LoyaltyConfig};
pub use reviews::{Import, ImportCall, ImportItem, ReviewsClient, ReviewsConfig};
pub use tokens::SharedTokens;
pub use wire::{Customer, SignupForm};
