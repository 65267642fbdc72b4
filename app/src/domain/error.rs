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

    /// The variant without fields named `name`, as serde writes it (`"RateLimited"`): how
    /// the shopper widget reads an error without serde_json (`ui::browser`).
    pub fn unit_variant(name: &str) -> Option<Self> {
        Some(match name {
            "NotFound" => Self::NotFound,
            "Unauthorized" => Self::Unauthorized,
            "RateLimited" => Self::RateLimited,
            "Unavailable" => Self::Unavailable,
            "Internal" => Self::Internal,
            _ => return None,
        })
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

    /// The widget reads errors by the names serde gives them; they must not drift apart.
    #[test]
    fn unit_variants_read_back_what_serde_writes() {
        for err in [
            AppError::NotFound,
            AppError::Unauthorized,
            AppError::RateLimited,
            AppError::Unavailable,
            AppError::Internal,
        ] {
            let json = serde_json::to_value(&err).unwrap();
            let name = json.as_str().expect("a unit variant is a JSON string");
            assert_eq!(AppError::unit_variant(name), Some(err));
        }
        assert_eq!(AppError::unit_variant("Invalid"), None);
        let invalid = serde_json::to_value(AppError::invalid("phone", "Too short.")).unwrap();
        assert_eq!(invalid["Invalid"]["field"], "phone");
        assert_eq!(invalid["Invalid"]["message"], "Too short.");
    }
}
