//! The consent text. The required elements (brand; recurring automated marketing texts; not a
//! condition of purchase; frequency varies; message and data rates may apply; HELP and STOP;
//! Terms and Privacy links) are built here and cannot be edited away: merchants change only
//! the heading and add text above them.

use sha2::{Digest, Sha256};

/// The texts of one consent block, and the hash of all of it as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub heading: String,
    pub extra: Option<String>,
    /// The checkbox label up to the links.
    pub statement: String,
    pub terms_url: String,
    pub privacy_url: String,
}

impl Disclosure {
    pub fn new(
        brand: &str,
        heading: Option<&str>,
        extra: Option<&str>,
        terms_url: &str,
        privacy_url: &str,
    ) -> Self {
        let heading = heading
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Get texts from {brand}"));
        Self {
            heading,
            extra: extra
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
            statement: format!(
                "Yes, send me recurring automated marketing text messages from {brand} at the \
                 number above. Consent is not a condition of purchase. Message frequency \
                 varies. Message and data rates may apply. Reply HELP for help and STOP to \
                 cancel."
            ),
            terms_url: terms_url.to_owned(),
            privacy_url: privacy_url.to_owned(),
        }
    }

    /// The whole block as plain text, exactly as shown (links written out): what the
    /// consent record keeps.
    pub fn text(&self) -> String {
        let mut out = self.heading.clone();
        if let Some(extra) = &self.extra {
            out.push('\n');
            out.push_str(extra);
        }
        out.push('\n');
        out.push_str(&self.statement);
        out.push_str(&format!(
            " See our Terms ({}) and Privacy Policy ({}).",
            self.terms_url, self.privacy_url
        ));
        out
    }

    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.text().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::Disclosure;

    #[test]
    fn every_required_element_is_in_the_text() {
        let d = Disclosure::new(
            "Northwind",
            Some("   "),
            Some("10% off your next order"),
            "https://n.example/terms",
            "https://n.example/privacy",
        );
        let text = d.text();
        for required in [
            "Northwind",
            "recurring automated marketing text messages",
            "not a condition of purchase",
            "frequency varies",
            "Message and data rates may apply",
            "HELP",
            "STOP",
            "Terms (https://n.example/terms)",
            "Privacy Policy (https://n.example/privacy)",
            "10% off your next order",
        ] {
            assert!(text.contains(required), "{required:?} missing from {text}");
        }
        assert_eq!(
            d.heading, "Get texts from Northwind",
            "blank heading: default"
        );
        assert_eq!(d.sha256().len(), 64);
        let edited = Disclosure::new(
            "Northwind",
            Some("Texts!"),
            None,
            "https://n.example/terms",
            "https://n.example/privacy",
        );
        assert_ne!(d.sha256(), edited.sha256());
        assert!(
            edited.text().contains("STOP"),
            "headings cannot remove the required parts"
        );
    }
}
