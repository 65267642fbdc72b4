//! The order look-up: a shopper without a tracking link finds their order by its number and a
//! second fact only the buyer knows, which the merchant chooses ([`LookupProof`]).

use super::Brand;
use serde::{Deserialize, Serialize};

/// What a shopper types beside the order number to prove the order is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum LookupProof {
    /// The email address on the order.
    #[default]
    Email,
    /// The shipping address's postal code.
    Postcode,
}

impl LookupProof {
    pub const ALL: [Self; 2] = [Self::Email, Self::Postcode];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Postcode => "postcode",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == input.trim())
    }

    /// The form field's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "Email address",
            Self::Postcode => "Postcode",
        }
    }

    /// "the email address" in a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Email => "the email address",
            Self::Postcode => "the shipping postcode",
        }
    }

    /// The one answer for "no such order" and "not this order's email or postcode", in English.
    pub fn no_match(self) -> String {
        format!(
            "We couldn't find an order with that number and {}. Check both against your order confirmation.",
            self.noun()
        )
    }

    /// The id of that answer's message (`app/locales/`).
    pub fn no_match_key(self) -> &'static str {
        match self {
            Self::Email => "lookup-no-match-email",
            Self::Postcode => "lookup-no-match-postcode",
        }
    }

    /// The ids of this proof's label and of the page's introduction.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::Email => ("lookup-email", "lookup-intro-email"),
            Self::Postcode => ("lookup-postcode", "lookup-intro-postcode"),
        }
    }
}

/// The look-up page of one store (`/track/{store}`, or `/embed/track/{store}` in the
/// merchant's page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookupPageView {
    pub brand: Brand,
    /// The store's public ID, posted back with the form.
    pub store: String,
    pub proof: LookupProof,
    /// The page's language.
    pub lang: crate::i18n::Lang,
    /// The languages the store offers: the language switcher's choices.
    pub languages: Vec<crate::i18n::Lang>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_round_trip() {
        for proof in LookupProof::ALL {
            assert_eq!(LookupProof::parse(proof.as_str()), Some(proof));
        }
        assert_eq!(LookupProof::parse("phone"), None);
    }
}
