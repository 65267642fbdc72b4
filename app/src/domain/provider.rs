//! Which SMS list provider a merchant's consents go to. Stored by [`ListProvider::as_str`]
//! with the merchant's choice and with every consent (a consent keeps the provider it was
//! given under until it is delivered or fails).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListProvider {
    /// Yotpo SMS & Email: the flow Tracklight was built for.
    #[default]
    Yotpo,
    Klaviyo,
}

impl ListProvider {
    pub const ALL: [Self; 2] = [Self::Yotpo, Self::Klaviyo];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yotpo => "yotpo",
            Self::Klaviyo => "klaviyo",
        }
    }

    /// The name merchants know it by.
    pub fn label(self) -> &'static str {
        match self {
            Self::Yotpo => "Yotpo SMS & Email",
            Self::Klaviyo => "Klaviyo",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == input.trim())
            .ok_or_else(|| format!("must be one of yotpo, klaviyo (got {input:?})"))
    }
}

impl fmt::Display for ListProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ListProvider;

    #[test]
    fn names_round_trip() {
        for p in ListProvider::ALL {
            assert_eq!(ListProvider::parse(p.as_str()), Ok(p));
        }
        assert!(ListProvider::parse("attentive").is_err());
        assert_eq!(ListProvider::default(), ListProvider::Yotpo);
    }
}
