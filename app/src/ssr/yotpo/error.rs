//! How a Yotpo call failed. The variants say whether trying again can help; the reason
//! is Yotpo's own message (shortened), kept for the merchant's consent log. It may contain
//! what was sent, so it is for the merchant and the (masking) logs, never for shoppers.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YotpoError {
    /// The store ID or API secret was refused (401/403 on the token exchange, or again
    /// after a fresh token).
    #[error("Yotpo refused the store ID or API secret")]
    BadCredentials,
    /// The request was refused (400, 404, 422, ...): sending it again will not help.
    #[error("Yotpo rejected the request (HTTP {status}): {reason}")]
    Rejected { status: u16, reason: String },
    /// 429: the store's request budget is spent for now.
    #[error("Yotpo's rate limit was reached; retry in {} ms", retry_after.as_millis())]
    RateLimited { retry_after: Duration },
    /// 5xx.
    #[error("Yotpo had a server error (HTTP {status}): {reason}")]
    Server { status: u16, reason: String },
    #[error("Yotpo did not answer within {} ms", .0.as_millis())]
    Timeout(Duration),
    #[error("could not reach Yotpo: {0}")]
    Connection(String),
    /// A success status with a body that is not the documented shape.
    #[error("Yotpo answered with an unexpected body: {0}")]
    Protocol(String),
    /// The write was stopped before it left (see `write_mark`).
    #[error("the call to Yotpo was {0}")]
    NotSent(crate::ssr::write_mark::NotSent),
}

impl YotpoError {
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

    /// Certainly not acted on, so safe to repeat even for a write: a 429, or never sent. A
    /// time-out, a cut connection or a 5xx (even a 503, which a gateway may give after
    /// passing the request on) may have landed.
    pub fn not_processed(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::NotSent(_))
    }

    /// The wait Yotpo asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}
