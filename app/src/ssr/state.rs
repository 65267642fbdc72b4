//! The one application state, shared by the axum router, the REST API and (through Leptos
//! context) the server functions.

use super::{Clock, Db};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub public_url: PublicUrl,
}

/// The externally visible base URL (scheme, host, optional port, no trailing slash), used to
/// build shopper links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().trim_end_matches('/');
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| "must start with http:// or https://".to_owned())?;
        if rest.is_empty() || rest.contains(['?', '#', ' ']) {
            return Err("must be a base URL such as https://track.example.com".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn tracking_url(&self, token: &crate::domain::TrackingToken) -> String {
        format!("{}/t/{}", self.0, token)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn public_urls() {
        assert_eq!(
            PublicUrl::parse("https://t.example.com/").unwrap().as_str(),
            "https://t.example.com"
        );
        for bad in ["", "t.example.com", "ftp://x", "https://", "https://a b"] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}
