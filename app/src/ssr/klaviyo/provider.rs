//! Klaviyo as an [`SmsListProvider`].

use super::{KlaviyoClient, KlaviyoError};
use crate::ssr::sms::{
    Account, AccountId, Contact, FormScript, ListId, ListProvider, MilestoneEvent, OptIn,
    PhoneConsent, ProviderError, ProviderErrorKind, ProviderFuture, SignupForm, SmsConsent,
    SmsList, SmsListProvider,
};
use secrecy::SecretString;

impl From<KlaviyoError> for ProviderError {
    fn from(e: KlaviyoError) -> Self {
        let kind = match &e {
            KlaviyoError::BadKey(_) | KlaviyoError::MissingScope { .. } => {
                ProviderErrorKind::BadCredentials
            }
            e if e.is_retryable() => ProviderErrorKind::Retryable {
                after: e.retry_after(),
                unapplied: e.not_processed(),
            },
            _ => ProviderErrorKind::Permanent,
        };
        Self {
            kind,
            reason: e.to_string(),
        }
    }
}

/// Unix ms of an RFC 3339 time, as Klaviyo writes them.
fn unix_ms(at: &str) -> Option<i64> {
    let at =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

impl SmsListProvider for KlaviyoClient {
    fn kind(&self) -> ListProvider {
        ListProvider::Klaviyo
    }

    fn check_account<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.check(account).await?) })
    }

    fn account_of_key<'a>(
        &'a self,
        secret: &'a SecretString,
    ) -> ProviderFuture<'a, Option<AccountId>> {
        Box::pin(async move { Ok(Some(self.account_id(secret).await?)) })
    }

    fn keeps_sms_consent_in(&self, country: &str) -> bool {
        self.config().sms_countries.iter().any(|c| c == country)
    }

    /// Subscribed when a profile with this external ID has SMS marketing consent and can
    /// receive it now (two profiles may share an external ID: any one counts).
    fn sms_consent<'a>(
        &'a self,
        account: &'a Account,
        customer_id: &'a str,
    ) -> ProviderFuture<'a, SmsConsent> {
        Box::pin(async move {
            let profiles = self
                .profiles_by(account, "external_id", customer_id)
                .await?;
            Ok(
                if profiles.iter().any(|p| {
                    p.attributes.external_id.as_deref() == Some(customer_id)
                        && p.attributes.sms_subscribed()
                }) {
                    SmsConsent::Subscribed
                } else {
                    SmsConsent::NotSubscribed
                },
            )
        })
    }

    fn upsert_contact<'a>(
        &'a self,
        account: &'a Account,
        contact: &'a Contact,
    ) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.import_profile(account, contact).await?) })
    }

    fn subscribe<'a>(&'a self, account: &'a Account, opt_in: &'a OptIn) -> ProviderFuture<'a, ()> {
        Box::pin(async move {
            // Klaviyo answers 202 and keeps nothing for a number from elsewhere: say so.
            if let Some(country) = opt_in.phone.country() {
                if !self.keeps_sms_consent_in(country.as_str()) {
                    return Err(ProviderError {
                        kind: ProviderErrorKind::Permanent,
                        reason: format!(
                            "Klaviyo keeps no SMS consent for numbers from {}",
                            country.as_str()
                        ),
                    });
                }
            }
            match KlaviyoClient::subscribe(self, account, opt_in).await {
                // A 2xx: Klaviyo took the subscription, whatever its answer looks like.
                Err(KlaviyoError::Protocol(body)) => {
                    tracing::warn!(%body, "Klaviyo took a subscription with an unexpected answer");
                    Ok(())
                }
                answer => Ok(answer?),
            }
        })
    }

    /// The profile with this phone: subscribed, or not and since when (a STOP after the
    /// consent was given must not be undone by a replay).
    fn phone_consent<'a>(
        &'a self,
        account: &'a Account,
        opt_in: &'a OptIn,
    ) -> ProviderFuture<'a, Option<PhoneConsent>> {
        Box::pin(async move {
            let profiles = self
                .profiles_by(account, "phone_number", opt_in.phone.as_str())
                .await?;
            let Some(profile) = profiles
                .iter()
                .find(|p| p.attributes.phone_number.as_deref() == Some(opt_in.phone.as_str()))
            else {
                return Ok(Some(PhoneConsent {
                    subscribed: false,
                    unsubscribed: false,
                    changed_at_ms: None,
                }));
            };
            let marketing = profile.attributes.sms_marketing();
            Ok(Some(PhoneConsent {
                subscribed: profile.attributes.sms_subscribed(),
                // Anything but "never subscribed" that is not a live subscription is a
                // withdrawal (UNSUBSCRIBED, or a value Klaviyo may add).
                unsubscribed: !profile.attributes.sms_subscribed()
                    && marketing
                        .and_then(|m| m.consent.as_deref())
                        .is_some_and(|c| c != "NEVER_SUBSCRIBED"),
                changed_at_ms: marketing
                    .and_then(|m| m.consent_timestamp.as_deref().or(m.last_updated.as_deref()))
                    .and_then(unix_ms),
            }))
        })
    }

    fn lists<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, Option<Vec<SmsList>>> {
        Box::pin(async move {
            let lists = KlaviyoClient::lists(self, account).await?;
            Ok(Some(
                lists
                    .into_iter()
                    .filter_map(|l| {
                        Some(SmsList {
                            id: ListId::parse(&l.id).ok()?,
                            double_opt_in: match l.attributes.opt_in_process.as_deref() {
                                Some("double_opt_in") => Some(true),
                                Some("single_opt_in") => Some(false),
                                _ => None,
                            },
                            name: l.attributes.name,
                        })
                    })
                    .collect(),
            ))
        })
    }

    fn send_event<'a>(
        &'a self,
        account: &'a Account,
        event: &'a MilestoneEvent,
    ) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.create_event(account, event).await?) })
    }

    /// Klaviyo's own sign-up forms are not offered in place of the checkbox.
    fn signup_forms<'a>(&'a self, _: &'a Account) -> ProviderFuture<'a, Option<Vec<SignupForm>>> {
        Box::pin(async { Ok(None) })
    }

    fn form_script(&self, _: &str) -> Result<FormScript, String> {
        Err("is not a form Tracklight can show: Klaviyo's own forms are not supported".into())
    }
}

#[cfg(test)]
mod tests {
    use super::unix_ms;

    #[test]
    fn klaviyo_times() {
        assert_eq!(
            unix_ms("2026-01-01T00:00:01+00:00"),
            Some(1_767_225_601_000)
        );
        assert_eq!(unix_ms("not a time"), None);
    }
}
