//! The one error type that crosses the server-function boundary. It carries what the shopper
//! may see and nothing more: never an upstream body, SQL or a phone number. Unexpected errors
//! are logged once on the server where they become [`AppError::Internal`].

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("please sign in")]
    Unauthorized,
    #[error("too many requests; please try again in a moment")]
    RateLimited,
    #[error("the service is busy; please try again in a moment")]
    Unavailable,
    #[error("something went wrong on our side; please try again")]
    Internal,
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Turns an unexpected error into [`AppError::Internal`], logging it here, once.
    #[cfg(feature = "ssr")]
    pub fn internal(err: anyhow::Error) -> Self {
        tracing::error!(error = format!("{err:#}"), "internal error");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::Deserialization(msg)
            | ServerFnErrorErr::MissingArg(msg) => Self::invalid("request", msg),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::AppError;

    /// The shopper widget (`widget/src/lib.rs`, `decode_error`) reads errors by the names
    /// serde gives them, without serde: they must not drift apart.
    #[test]
    fn errors_are_written_as_the_widget_reads_them() {
        for (err, name) in [
            (AppError::NotFound, "NotFound"),
            (AppError::RateLimited, "RateLimited"),
            (AppError::Unavailable, "Unavailable"),
            (AppError::Internal, "Internal"),
        ] {
            assert_eq!(serde_json::to_value(&err).unwrap(), name);
        }
        let invalid = serde_json::to_value(AppError::invalid("phone", "Too short.")).unwrap();
        assert_eq!(invalid["Invalid"]["field"], "phone");
        assert_eq!(invalid["Invalid"]["message"], "Too short.");
    }
}
