//! The fault switches and the sandbox's tunable behaviour (`KlaviyoFaults`: latency,
//! injected failures, subscribe and answer delays, limits, Cloudflare's HTML answers), and
//! the partial changes the control API makes to them (`KlaviyoFaultsPatch`).

use super::KlaviyoLimits;
use serde::{Deserialize, Deserializer, Serialize};

/// The fault switches and the sandbox's tunable behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KlaviyoFaults {
    /// Added before every `/api` answer.
    pub latency_ms: u64,
    /// The status injected failures answer with (429 gets `Retry-After`; 502, 504 and
    /// 520–524 an HTML page, as Cloudflare sends; others Klaviyo's JSON error body).
    pub error_status: u16,
    /// Share of `/api` requests (0 to 1) that fail with `error_status`.
    pub error_rate: f64,
    /// The next N `/api` requests fail with `error_status` (deterministic, for tests).
    pub fail_next: u32,
    /// How long after its 202 a subscribe job is applied (0: before the next request).
    pub subscribe_delay_ms: u64,
    /// Added after a write was made and logged, before its answer goes out.
    pub answer_delay_ms: u64,
    /// Replaces every endpoint's limits (e.g. shrunk for tests); `None`: Klaviyo's.
    pub limits: Option<KlaviyoLimits>,
    /// Subscriptions show `"sms": null`, to test a client's null handling.
    pub sms_null: bool,
    /// Every `/api` request gets Cloudflare's bot challenge: 403 `text/html` with
    /// `cf-mitigated: challenge`.
    pub html_challenge: bool,
    /// `Authorization: Bearer ...` gets Cloudflare's HTML 400 instead of the JSON 401.
    pub bearer_html: bool,
}

impl Default for KlaviyoFaults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_status: 503,
            error_rate: 0.0,
            fail_next: 0,
            subscribe_delay_ms: 0,
            answer_delay_ms: 0,
            limits: None,
            sms_null: false,
            html_challenge: false,
            bearer_html: false,
        }
    }
}

impl KlaviyoFaults {
    /// Takes every field the patch sets.
    pub fn apply(&mut self, patch: KlaviyoFaultsPatch) {
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(v) = patch.$field { self.$field = v; })* };
        }
        apply!(
            latency_ms,
            error_status,
            error_rate,
            fail_next,
            subscribe_delay_ms,
            answer_delay_ms,
            limits,
            sms_null,
            html_challenge,
            bearer_html
        );
    }
}

/// A partial change to [`KlaviyoFaults`] (`PUT /sandbox/klaviyo/faults`): absent fields
/// stay as they are; `"limits": null` restores Klaviyo's limits.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KlaviyoFaultsPatch {
    pub latency_ms: Option<u64>,
    pub error_status: Option<u16>,
    pub error_rate: Option<f64>,
    pub fail_next: Option<u32>,
    pub subscribe_delay_ms: Option<u64>,
    pub answer_delay_ms: Option<u64>,
    #[serde(deserialize_with = "present")]
    pub limits: Option<Option<KlaviyoLimits>>,
    pub sms_null: Option<bool>,
    pub html_challenge: Option<bool>,
    pub bearer_html: Option<bool>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl KlaviyoFaultsPatch {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(rate) = self.error_rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err("error_rate must be from 0 to 1".into());
            }
        }
        if let Some(status) = self.error_status {
            if !(400..=599).contains(&status) {
                return Err("error_status must be from 400 to 599".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, steady: u32) -> KlaviyoLimits {
        KlaviyoLimits { burst, steady }
    }
    #[test]
    fn fault_patches_set_and_clear_limits() {
        let mut faults = KlaviyoFaults::default();
        let patch: KlaviyoFaultsPatch =
            serde_json::from_str(r#"{"limits": {"burst": 2, "steady": 5}}"#).unwrap();
        faults.apply(patch);
        assert_eq!(faults.limits, Some(limits(2, 5)));
        faults.apply(serde_json::from_str(r#"{"fail_next": 1}"#).unwrap());
        assert_eq!(faults.limits, Some(limits(2, 5)), "absent: unchanged");
        faults.apply(serde_json::from_str(r#"{"limits": null}"#).unwrap());
        assert_eq!(faults.limits, None);
        assert!(serde_json::from_str::<KlaviyoFaultsPatch>(r#"{"limit": 1}"#).is_err());
    }
}
