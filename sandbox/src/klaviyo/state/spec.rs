//! How an account is set up (by `KlaviyoConfig`, a test, or the control API): its private
//! keys and their scopes, its lists and their opt-in process, whether SMS is on and for
//! which countries.

use serde::{Deserialize, Serialize};

/// A Klaviyo account as the sandbox knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KlaviyoAccountSpec {
    /// Also the account's public API key (site ID), as in Klaviyo.
    pub account_id: String,
    #[serde(default)]
    pub keys: Vec<KlaviyoKeySpec>,
    #[serde(default)]
    pub lists: Vec<KlaviyoListSpec>,
    /// Whether SMS is set up in the account (without it, no SMS consent is stored).
    #[serde(default = "enabled")]
    pub sms_enabled: bool,
    /// ISO 3166 alpha-2 codes where SMS consent is stored; empty: [`KLAVIYO_DEFAULT_COUNTRIES`](crate::klaviyo::KLAVIYO_DEFAULT_COUNTRIES).
    #[serde(default)]
    pub supported_countries: Vec<String>,
}

fn enabled() -> bool {
    true
}

impl KlaviyoAccountSpec {
    /// What the control API refuses to add.
    pub fn validate(&self) -> Result<(), String> {
        if self.account_id.trim().is_empty() {
            return Err("account_id is required".into());
        }
        if self.keys.iter().any(|k| k.key.trim().is_empty()) {
            return Err("every key needs a non-empty key".into());
        }
        for list in &self.lists {
            if list.id.trim().is_empty() {
                return Err("every list needs an id".into());
            }
            OptIn::parse(&list.opt_in_process).map_err(|e| format!("list {}: {e}", list.id))?;
        }
        if let Some(bad) = self
            .supported_countries
            .iter()
            .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(format!("{bad:?} is not an ISO 3166 alpha-2 country code"));
        }
        Ok(())
    }
}

/// A private API key and the scopes it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoKeySpec {
    /// `pk_...`
    pub key: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoListSpec {
    pub id: String,
    pub name: String,
    /// `single_opt_in` or `double_opt_in` (blank: unset, shown as `null`, and the account
    /// default, double, applies).
    #[serde(default)]
    pub opt_in_process: String,
}
/// A list's opt-in process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OptIn {
    Single,
    Double,
}

impl OptIn {
    /// Blank is a list without a setting (`null`).
    pub(super) fn parse(text: &str) -> Result<Option<Self>, String> {
        match text {
            "single_opt_in" => Ok(Some(Self::Single)),
            "double_opt_in" => Ok(Some(Self::Double)),
            "" => Ok(None),
            other => Err(format!(
                "opt_in_process {other:?} is not single_opt_in or double_opt_in"
            )),
        }
    }
}
