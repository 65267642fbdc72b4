//! The shopper's link token: 128 random bits, base64url without padding (22 characters).
//! It is the only key to a tracking page, so it is never sequential and never derived from
//! an ID the merchant or shopper can see.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const TOKEN_LEN: usize = 22;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingToken(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a tracking token")]
pub struct InvalidToken;

impl TrackingToken {
    pub fn parse(input: &str) -> Result<Self, InvalidToken> {
        let ok = input.len() == TOKEN_LEN
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(input.to_owned()))
        } else {
            Err(InvalidToken)
        }
    }

    /// A fresh token from the operating system's CSPRNG.
    #[cfg(feature = "ssr")]
    pub fn generate() -> Self {
        use base64::Engine;
        let bytes: [u8; 16] = rand::random();
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TrackingToken {
    type Error = InvalidToken;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrackingToken> for String {
    fn from(value: TrackingToken) -> Self {
        value.0
    }
}

impl fmt::Display for TrackingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed_tokens() {
        for bad in [
            "",
            "short",
            "aaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaa/a",
            "aaaaaaaaaaaaaaaaaaaa a",
            "../../../../etc/passwd",
            "1",
        ] {
            assert_eq!(TrackingToken::parse(bad), Err(InvalidToken), "{bad:?}");
        }
    }

    #[test]
    fn accepts_base64url() {
        assert!(TrackingToken::parse("AbCdEfGhIjKlMnOpQr-_09").is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_tokens_parse_and_differ() {
        let a = TrackingToken::generate();
        let b = TrackingToken::generate();
        assert_ne!(a, b);
        assert_eq!(TrackingToken::parse(a.as_str()), Ok(a));
    }
}
