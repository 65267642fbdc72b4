//! The consent text, in the shopper's language. The required elements (brand; recurring
//! automated marketing texts; not a condition of purchase; frequency varies; message and data
//! rates may apply; HELP and STOP; Terms and Privacy links) come from the language's messages
//! (`app/locales/`) and cannot be edited away: merchants change only the heading and add text
//! above them.

use crate::i18n::{Arg, Lang};
use sha2::{Digest, Sha256};

/// The texts of one consent block, and the hash of all of it as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub lang: Lang,
    pub heading: String,
    pub extra: Option<String>,
    /// The checkbox label up to the links.
    pub statement: String,
    pub terms_url: String,
    pub privacy_url: String,
}

impl Disclosure {
    pub fn new(
        lang: Lang,
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
            .unwrap_or_else(|| lang.t_with("consent-heading", &[("brand", Arg::from(brand))]));
        Self {
            lang,
            heading,
            extra: extra
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
            statement: lang.disclosure_statement(brand),
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
        if !self.statement.ends_with('。') {
            out.push(' ');
        }
        let terms = format!("{} ({})", self.lang.t("disclosure-terms"), self.terms_url);
        let privacy = format!(
            "{} ({})",
            self.lang.t("disclosure-privacy"),
            self.privacy_url
        );
        out.push_str(&self.lang.t_with(
            "disclosure-links",
            &[("terms", Arg::from(terms)), ("privacy", Arg::from(privacy))],
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
    use crate::i18n::Lang;

    #[test]
    fn every_required_element_is_in_the_text() {
        let d = Disclosure::new(
            Lang::EN,
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
            Lang::EN,
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

    #[test]
    fn the_disclosure_is_whole_in_every_language_and_its_hash_tells_them_apart() {
        let mut hashes = std::collections::HashSet::new();
        for lang in Lang::all() {
            let d = Disclosure::new(
                lang,
                "Northwind",
                None,
                None,
                "https://t.example",
                "https://p.example",
            );
            let text = d.text();
            for required in [
                "Northwind",
                "HELP",
                "STOP",
                "(https://t.example)",
                "(https://p.example)",
            ] {
                assert!(
                    text.contains(required),
                    "{lang}: {required:?} missing from {text}"
                );
            }
            for key in crate::i18n::DISCLOSURE_ELEMENTS {
                let element = lang.t_with(key, &[("brand", "Northwind".into())]);
                assert!(
                    text.contains(element.trim()),
                    "{lang}: {key} missing from {text}"
                );
            }
            assert!(hashes.insert(d.sha256()), "{lang}: a hash of its own");
        }
        let de = Disclosure::new(
            Lang::parse("de").unwrap(),
            "Northwind",
            None,
            None,
            "https://t.example",
            "https://p.example",
        );
        assert!(
            de.heading.contains("Northwind") && !de.heading.contains("Get texts"),
            "{}",
            de.heading
        );
    }
}
