//! "Is this shopper subscribed already?" by the order's ecommerce customer ID: Tracklight's
//! own consents first (read with the shopper, `offer::SHOPPER_COLUMNS`; the caller checks
//! them, since it also shows their phone), then a cache, then the provider (Yotpo Retrieve customers).
//!
//! Page views must not spend the store's Yotpo budget needlessly, and must not wait on
//! Yotpo: concurrent look-ups for one customer become one call (the cache coalesces them),
//! answers are cached (a day when subscribed, an hour when not), a failed call is not
//! repeated for a minute, and the caller waits at most a bound while the call finishes in
//! the background and fills the cache for the next view.

use super::settings::ConsentSettings;
use crate::ssr::sms::{SmsConsent, SmsListProvider};
use moka::future::Cache;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SUBSCRIBED_TTL: Duration = Duration::from_secs(24 * 3600);
const NOT_SUBSCRIBED_TTL: Duration = Duration::from_secs(3600);
const FAILURE_TTL: Duration = Duration::from_secs(60);

/// (merchant ID / provider / account ID, customer ID): a merchant who switches provider or
/// account is asked afresh.
type Key = (String, String);

#[derive(Clone)]
pub struct SubscriptionLookup {
    answers: Cache<Key, SmsConsent>,
    failures: Cache<Key, ()>,
    provider_calls: Arc<AtomicU64>,
}

struct ByAnswer;

impl moka::Expiry<Key, SmsConsent> for ByAnswer {
    fn expire_after_create(&self, _: &Key, value: &SmsConsent, _: Instant) -> Option<Duration> {
        Some(match value {
            SmsConsent::Subscribed => SUBSCRIBED_TTL,
            SmsConsent::NotSubscribed => NOT_SUBSCRIBED_TTL,
        })
    }
}

impl Default for SubscriptionLookup {
    fn default() -> Self {
        Self {
            answers: Cache::builder()
                .max_capacity(200_000)
                .expire_after(ByAnswer)
                .build(),
            failures: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(FAILURE_TTL)
                .build(),
            provider_calls: Arc::default(),
        }
    }
}

impl SubscriptionLookup {
    /// The provider's answer for a shopper without an own consent (the caller checks those
    /// first), or `None` when it is not known within `bound`.
    pub async fn status(
        &self,
        provider: &Arc<dyn SmsListProvider>,
        settings: &ConsentSettings,
        customer_id: &str,
        bound: Duration,
    ) -> anyhow::Result<Option<SmsConsent>> {
        let Some(account) = settings.account.clone() else {
            return Ok(None);
        };
        let key = (
            format!(
                "{}/{}/{}",
                settings.merchant_id.as_str(),
                settings.provider,
                account.id
            ),
            customer_id.to_owned(),
        );
        if let Some(answer) = self.answers.get(&key).await {
            return Ok(Some(answer));
        }
        if self.failures.contains_key(&key) {
            return Ok(None);
        }
        let ask = {
            let (answers, failures, calls) = (
                self.answers.clone(),
                self.failures.clone(),
                self.provider_calls.clone(),
            );
            let provider = provider.clone();
            async move {
                let customer = key.1.clone();
                let answer = answers
                    .try_get_with(key.clone(), async {
                        calls.fetch_add(1, Ordering::Relaxed);
                        provider.sms_consent(&account, &customer).await
                    })
                    .await;
                match answer {
                    Ok(answer) => Some(answer),
                    Err(e) => {
                        tracing::warn!(merchant = %key.0, error = %e, "SMS subscription look-up failed");
                        failures.insert(key, ()).await;
                        None
                    }
                }
            }
        };
        // Spawned: when the page stops waiting, the answer still lands in the cache.
        let task = tokio::spawn(ask);
        Ok(tokio::time::timeout(bound, task)
            .await
            .ok()
            .and_then(Result::ok)
            .flatten())
    }

    /// Provider look-ups made so far (for the look-up economy benchmark and tests).
    pub fn provider_calls(&self) -> u64 {
        self.provider_calls.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::consent::settings;
    use crate::ssr::testing::{Backend, ScriptedProvider, TestEnv};

    async fn connected(env: &TestEnv) -> ConsentSettings {
        let merchant = env.connected_merchant("Acme").await;
        settings::load(&env.state.db, &env.state.secrets, &merchant)
            .await
            .unwrap()
            .unwrap()
    }

    fn provider(env: &TestEnv) -> Arc<dyn SmsListProvider> {
        env.provider.clone() as Arc<ScriptedProvider>
    }

    #[tokio::test]
    async fn concurrent_look_ups_for_one_shopper_are_one_call_and_then_cached() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let settings = connected(&env).await;
        let lookup = SubscriptionLookup::default();
        env.provider.slow_lookups(Duration::from_millis(100));
        let provider = provider(&env);
        let bound = Duration::from_secs(5);
        let answers = futures_util::future::join_all(
            (0..8).map(|_| lookup.status(&provider, &settings, "cust-1", bound)),
        )
        .await;
        for answer in answers {
            assert_eq!(answer.unwrap(), Some(SmsConsent::NotSubscribed));
        }
        assert_eq!(env.provider.lookups(), 1);
        lookup
            .status(&provider, &settings, "cust-1", bound)
            .await
            .unwrap();
        assert_eq!(env.provider.lookups(), 1, "answered from the cache");
        lookup
            .status(&provider, &settings, "cust-2", bound)
            .await
            .unwrap();
        assert_eq!(env.provider.lookups(), 2, "another shopper is asked for");
        assert_eq!(lookup.provider_calls(), 2);
    }

    #[tokio::test]
    async fn a_failed_look_up_is_not_repeated_at_once() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let settings = connected(&env).await;
        let lookup = SubscriptionLookup::default();
        env.provider.failing_lookups(true);
        let provider = provider(&env);
        let bound = Duration::from_secs(5);
        for _ in 0..3 {
            let answer = lookup.status(&provider, &settings, "cust-1", bound).await;
            assert_eq!(answer.unwrap(), None, "unknown: the page decides later");
        }
        assert_eq!(
            env.provider.lookups(),
            1,
            "the provider is spared for a minute"
        );
    }
}
