//! How a Klaviyo call failed. The variants say whether trying again can help; the reason is
//! Klaviyo's own `detail` (shortened), kept for the merchant's consent log. It may contain
//! what was sent, so it is for the merchant and the (masking) logs, never for shoppers.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KlaviyoError {
    /// 401: the private key is unknown, revoked or malformed.
    #[error("Klaviyo refused the private API key: {0}")]
    BadKey(String),
    /// 403: the key is valid but lacks a scope this call needs.
    #[error("the private API key lacks the scope {scopes} ({detail})")]
    MissingScope { scopes: String, detail: String },
    /// 409 `duplicate_profile`: the email and the phone belong to two different profiles.
    #[error("Klaviyo has this shopper's email and phone on two different profiles (the other is {other}); merge them in Klaviyo, then retry")]
    DuplicateProfile { other: String },
    /// The request was refused (400, 404, 415, ...): sending it again will not help.
    #[error("Klaviyo rejected the request (HTTP {status}): {reason}")]
    Rejected { status: u16, reason: String },
    /// 429: the account's budget for this endpoint is spent for now.
    #[error("Klaviyo's rate limit was reached; retry in {} ms", retry_after.as_millis())]
    RateLimited { retry_after: Duration },
    /// 5xx.
    #[error("Klaviyo had a server error (HTTP {status}): {reason}")]
    Server { status: u16, reason: String },
    #[error("Klaviyo did not answer within {} ms", .0.as_millis())]
    Timeout(Duration),
    #[error("could not reach Klaviyo: {0}")]
    Connection(String),
    /// A success status with a body that is not the documented shape.
    #[error("Klaviyo answered with an unexpected body: {0}")]
    Protocol(String),
    /// The write was stopped before it left (see `write_mark`).
    #[error("the call to Klaviyo was {0}")]
    NotSent(crate::ssr::write_mark::NotSent),
}

impl KlaviyoError {
    /// Worth trying again later (the job queue does).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Timeout(_)
                | Self::Connection(_)
                | Self::NotSent(_)
        )
    }

    /// Safe to repeat at once even for a write: the request was certainly not processed.
    pub fn not_processed(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::NotSent(_))
    }

    /// Worth repeating at once for a read (Klaviyo's own SDK retries 429, 503, 504).
    pub fn transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server {
                    status: 503 | 504,
                    ..
                }
                | Self::Timeout(_)
                | Self::Connection(_)
        )
    }

    /// The wait Klaviyo asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}
