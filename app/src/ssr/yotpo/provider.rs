//! Yotpo SMS & Email as an [`SmsListProvider`].

use super::{YotpoClient, YotpoError};
use crate::ssr::sms::{
    Account, Contact, FormScript, ListId, ListProvider, MilestoneEvent, OptIn, PhoneConsent,
    ProviderError, ProviderErrorKind, ProviderFuture, SignupForm, SmsConsent, SmsList,
    SmsListProvider,
};

impl From<YotpoError> for ProviderError {
    fn from(e: YotpoError) -> Self {
        let kind = match &e {
            YotpoError::BadCredentials => ProviderErrorKind::BadCredentials,
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

impl SmsListProvider for YotpoClient {
    fn kind(&self) -> ListProvider {
        ListProvider::Yotpo
    }

    fn check_account<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.check_credentials(account).await?) })
    }

    fn sms_consent<'a>(
        &'a self,
        account: &'a Account,
        customer_id: &'a str,
    ) -> ProviderFuture<'a, SmsConsent> {
        Box::pin(async move {
            let customer = self.customer_by_external_id(account, customer_id).await?;
            Ok(match customer.and_then(|c| c.accepts_sms_marketing) {
                Some(true) => SmsConsent::Subscribed,
                _ => SmsConsent::NotSubscribed,
            })
        })
    }

    fn upsert_contact<'a>(
        &'a self,
        account: &'a Account,
        contact: &'a Contact,
    ) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.upsert_customer(account, contact).await?) })
    }

    fn subscribe<'a>(&'a self, account: &'a Account, opt_in: &'a OptIn) -> ProviderFuture<'a, ()> {
        Box::pin(async move {
            match self.upsert_subscriber(account, opt_in).await {
                // A 2xx: Yotpo took the opt-in, whatever its answer looks like.
                Err(YotpoError::Protocol(body)) => {
                    tracing::warn!(%body, "Yotpo took an opt-in with an unexpected answer");
                    Ok(())
                }
                answer => Ok(answer?),
            }
        })
    }

    /// Yotpo documents no read of a subscriber; Retrieve customers by phone shows
    /// `accepts_sms_marketing` once the opt-in is linked to the customer (step 1 made the
    /// customer at least the opt-in delay earlier, so it is visible to reads by then).
    fn phone_consent<'a>(
        &'a self,
        account: &'a Account,
        opt_in: &'a OptIn,
    ) -> ProviderFuture<'a, Option<PhoneConsent>> {
        Box::pin(async move {
            let customer = self.customer_by_phone(account, &opt_in.phone).await?;
            Ok(Some(PhoneConsent {
                subscribed: customer.and_then(|c| c.accepts_sms_marketing) == Some(true),
                // Yotpo's customer read cannot tell a STOP from never subscribed, nor when.
                unsubscribed: false,
                changed_at_ms: None,
            }))
        })
    }

    fn lists<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, Option<Vec<SmsList>>> {
        Box::pin(async move {
            let lists = YotpoClient::lists(self, account).await?;
            Ok(lists.map(|lists| {
                lists
                    .into_iter()
                    .filter(|l| l.id > 0)
                    .map(|l| SmsList {
                        id: ListId::from(l.id),
                        name: l.name,
                        double_opt_in: None,
                    })
                    .collect()
            }))
        })
    }

    fn send_event<'a>(
        &'a self,
        account: &'a Account,
        event: &'a MilestoneEvent,
    ) -> ProviderFuture<'a, ()> {
        Box::pin(async move { Ok(self.upsert_custom_event(account, event).await?) })
    }

    fn signup_forms<'a>(
        &'a self,
        account: &'a Account,
    ) -> ProviderFuture<'a, Option<Vec<SignupForm>>> {
        Box::pin(async move {
            let forms = match self.published_forms(account).await {
                Ok(forms) => forms,
                Err(YotpoError::Rejected { status: 404, .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            // Only forms whose script is one of Yotpo's are offered to the merchant.
            Ok(Some(
                forms
                    .into_iter()
                    .filter_map(|f| {
                        let script = self.form_script(&f.script_source).ok()?;
                        let id = match f.form_id {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        Some(SignupForm { id, script })
                    })
                    .collect(),
            ))
        })
    }

    fn form_script(&self, input: &str) -> Result<FormScript, String> {
        super::forms::parse_form_script(input, &self.config().forms_url)
    }
}
