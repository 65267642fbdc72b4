//! The merchant's SMS provider connection: which provider new sign-ups go to; the Yotpo
//! account and secret (checked with Yotpo before they are saved; the secret encrypted at
//! rest), the list, the Terms and Privacy links and the texts of the consent block; "test
//! connection" (either provider); Yotpo's own sign-up form in place of Tracklight's
//! checkbox; and, in sandbox mode, a store of their own in the built-in sandbox. Klaviyo's
//! connection is `klaviyo`, the guards against SMS pumping `guards`.

use super::{consent_settings, optional_text, optional_url};
use crate::domain::settings::{ConnectionReport, SignupFormView, SmsListView};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::consent::settings::{self, HttpUrl, SmsSettingsUpdate};
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::{Account, AccountId, ListId, ListProvider, ProviderErrorKind};
use crate::ssr::state::SmsMode;
use crate::ssr::{limits, AppState};
use secrecy::SecretString;

/// The connection form as the merchant sent it: plain strings, parsed here.
#[derive(Debug, Clone, Default)]
pub struct SmsForm {
    pub store_id: String,
    /// Blank: keep the stored secret.
    pub secret: String,
    pub list_id: String,
    pub terms_url: String,
    pub privacy_url: String,
    pub heading: String,
    pub extra: String,
}

/// Each of these calls the provider with the merchant's credentials and spends their
/// provider budget: a merchant (or a script holding their session) may not hammer it.
pub(super) async fn within_limit(state: &AppState, merchant: &MerchantId) -> Result<(), AppError> {
    let allowed = limits::hit(
        &state.db,
        "provider-checks",
        merchant.as_str(),
        state.limits.provider_checks_per_merchant,
        state.clock.now_ms(),
    )
    .await
    .map_err(AppError::internal)?;
    if allowed {
        Ok(())
    } else {
        Err(AppError::RateLimited)
    }
}

/// Checks the account's credentials (and the list, when the provider lists them).
async fn check_with_provider(
    state: &AppState,
    account: &Account,
    list: &ListId,
) -> Result<(), AppError> {
    if let Err(e) = state.providers.yotpo.check_account(account).await {
        return Err(match e.kind {
            ProviderErrorKind::BadCredentials => {
                AppError::invalid("secret", mt("error-yotpo-credentials-rejected"))
            }
            _ => AppError::invalid(
                "form",
                mt_with(
                    "error-yotpo-check-failed",
                    &[("reason", Arg::from(e.reason))],
                ),
            ),
        });
    }
    if let Ok(Some(lists)) = state.providers.yotpo.lists(account).await {
        if !lists.iter().any(|l| &l.id == list) {
            let known = lists
                .iter()
                .map(|l| format!("{} ({})", l.name, l.id))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(AppError::invalid(
                "list_id",
                mt_with("error-yotpo-list-unknown", &[("lists", Arg::from(known))]),
            ));
        }
    }
    Ok(())
}

/// Saves the connection after the provider accepted it.
pub async fn save(
    state: &AppState,
    merchant: &MerchantId,
    form: &SmsForm,
) -> Result<String, AppError> {
    let current = consent_settings(state, merchant).await?;
    let account_id = AccountId::parse(&form.store_id).map_err(|m| {
        AppError::invalid(
            "store_id",
            mt_with("error-store-id", &[("problem", Arg::from(m))]),
        )
    })?;
    let stored = current.connection(ListProvider::Yotpo).map(|c| &c.account);
    let secret = match (form.secret.trim(), stored) {
        ("", Some(account)) => account.secret.clone(),
        ("", None) => {
            return Err(AppError::invalid(
                "secret",
                mt("error-yotpo-secret-missing"),
            ))
        }
        (s, _) => SecretString::from(s.to_owned()),
    };
    let list_id = ListId::parse_number(&form.list_id).map_err(|m| {
        AppError::invalid(
            "list_id",
            mt_with("error-list-id", &[("problem", Arg::from(m))]),
        )
    })?;
    let update = SmsSettingsUpdate {
        account_id,
        secret,
        list_id,
        terms_url: optional_url("terms_url", &form.terms_url)?,
        privacy_url: optional_url("privacy_url", &form.privacy_url)?,
        heading: optional_text("heading", &form.heading, 120)?,
        extra: optional_text("extra", &form.extra, 300)?,
    };
    let account = Account {
        id: update.account_id.clone(),
        secret: update.secret.clone(),
    };
    within_limit(state, merchant).await?;
    check_with_provider(state, &account, &update.list_id).await?;
    store(state, merchant, &update).await?;
    Ok(
        if update.terms_url.is_some() && update.privacy_url.is_some() {
            mt("done-sms-saved")
        } else {
            mt("done-sms-saved-needs-links")
        },
    )
}

async fn store(
    state: &AppState,
    merchant: &MerchantId,
    update: &SmsSettingsUpdate,
) -> Result<(), AppError> {
    settings::save(&state.db, &state.secrets, merchant, update)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(())
}

/// "Test connection": the chosen provider's verdict on the stored account, and its lists.
pub async fn test(state: &AppState, merchant: &MerchantId) -> Result<ConnectionReport, AppError> {
    within_limit(state, merchant).await?;
    let settings = consent_settings(state, merchant).await?;
    let name = settings.provider.label();
    let Some(account) = settings.account else {
        return Ok(ConnectionReport {
            ok: false,
            message: match settings.provider {
                ListProvider::Yotpo => mt("report-yotpo-not-saved"),
                ListProvider::Klaviyo => mt("report-klaviyo-not-saved"),
            },
            lists: None,
        });
    };
    let provider = state.providers.get(settings.provider);
    if let Err(e) = provider.check_account(&account).await {
        return Ok(ConnectionReport {
            ok: false,
            message: mt_with(
                "report-refused",
                &[("name", Arg::from(name)), ("reason", Arg::from(e.reason))],
            ),
            lists: None,
        });
    }
    let lists = provider
        .lists(&account)
        .await
        .ok()
        .flatten()
        .map(list_views);
    Ok(ConnectionReport {
        ok: true,
        message: mt_with("report-connected", &[("name", Arg::from(name))]),
        lists,
    })
}

pub(super) fn list_views(lists: Vec<crate::ssr::sms::SmsList>) -> Vec<SmsListView> {
    lists
        .into_iter()
        .map(|l| SmsListView {
            id: l.id.to_string(),
            name: l.name,
            double_opt_in: l.double_opt_in,
        })
        .collect()
}

/// Sends new consents to a provider the merchant has connected already; consents given
/// before keep the provider they were given under.
pub async fn choose_provider(
    state: &AppState,
    merchant: &MerchantId,
    provider: &str,
) -> Result<String, AppError> {
    let provider = ListProvider::parse(provider)
        .map_err(|_| AppError::invalid("provider", mt("error-provider-choice")))?;
    let current = consent_settings(state, merchant).await?;
    if current.connection(provider).is_none() {
        return Err(AppError::invalid(
            "provider",
            mt_with(
                "error-connect-provider-first",
                &[("provider", Arg::from(provider.label()))],
            ),
        ));
    }
    settings::choose_provider(&state.db, merchant, provider)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(mt_with(
        "done-provider-chosen",
        &[("provider", Arg::from(provider.label()))],
    ))
}

/// The account's published sign-up forms, to pick from; `None` when no account is stored or
/// the provider does not list them.
pub async fn signup_forms(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<Option<Vec<SignupFormView>>, AppError> {
    let current = consent_settings(state, merchant).await?;
    let Some(account) = current
        .connection(ListProvider::Yotpo)
        .map(|c| c.account.clone())
    else {
        return Ok(None);
    };
    within_limit(state, merchant).await?;
    let forms = state
        .providers
        .yotpo
        .signup_forms(&account)
        .await
        .map_err(|e| {
            AppError::invalid(
                "form_code",
                mt_with(
                    "error-yotpo-forms-unlisted",
                    &[("reason", Arg::from(e.to_string()))],
                ),
            )
        })?;
    Ok(forms.map(|forms| {
        forms
            .into_iter()
            .map(|f| SignupFormView {
                id: f.id,
                script: f.script.as_str().to_owned(),
            })
            .collect()
    }))
}

/// Shows a published form of the provider's in place of Tracklight's checkbox; a blank
/// `code` goes back to the checkbox.
pub async fn save_signup_form(
    state: &AppState,
    merchant: &MerchantId,
    code: &str,
) -> Result<String, AppError> {
    if code.trim().is_empty() {
        settings::save_form(&state.db, merchant, None)
            .await
            .map_err(AppError::internal)?;
        state.consent_settings.forget(merchant).await;
        return Ok(mt("done-signup-form-removed"));
    }
    let current = consent_settings(state, merchant).await?;
    let Some(account) = current
        .connection(ListProvider::Yotpo)
        .map(|c| c.account.clone())
    else {
        return Err(AppError::invalid(
            "form_code",
            mt("error-yotpo-form-needs-connection"),
        ));
    };
    let script = state.providers.yotpo.form_script(code).map_err(|m| {
        AppError::invalid(
            "form_code",
            mt_with("error-form-code", &[("problem", Arg::from(m))]),
        )
    })?;
    match state.providers.yotpo.signup_forms(&account).await {
        Ok(Some(forms)) if !forms.iter().any(|f| f.script == script) => {
            let published = if forms.is_empty() {
                mt("error-no-published-forms")
            } else {
                let ids = forms
                    .iter()
                    .map(|f| mt_with("error-published-form", &[("id", Arg::from(f.id.as_str()))]))
                    .collect::<Vec<_>>();
                mt_with(
                    "error-published-forms",
                    &[("forms", Arg::from(ids.join(", ")))],
                )
            };
            return Err(AppError::invalid(
                "form_code",
                mt_with(
                    "error-form-not-published",
                    &[("published", Arg::from(published))],
                ),
            ));
        }
        // Listed and found, or the provider does not list forms: the address was checked.
        Ok(_) => {}
        Err(e) if e.kind == ProviderErrorKind::BadCredentials => {
            return Err(AppError::invalid(
                "form_code",
                mt("error-yotpo-stored-credentials-rejected"),
            ))
        }
        Err(e) => {
            return Err(AppError::invalid(
                "form",
                mt_with(
                    "error-yotpo-check-failed",
                    &[("reason", Arg::from(e.reason))],
                ),
            ))
        }
    }
    settings::save_form(&state.db, merchant, Some(&script))
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(mt("done-signup-form-saved"))
}

/// Sandbox mode: gives the merchant a store of their own in the built-in sandbox and
/// connects to it, keeping their links and texts.
pub async fn use_sandbox(state: &AppState, merchant: &MerchantId) -> Result<String, AppError> {
    let SmsMode::Sandbox { accounts, .. } = &state.sms_mode else {
        return Err(AppError::invalid("form", mt("error-sandbox-off-yotpo")));
    };
    let store_id = AccountId::parse(&format!("sandbox-{}", &merchant.as_str()[..8]))
        .map_err(|m| AppError::internal(anyhow::anyhow!("a sandbox store ID {m}")))?;
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let list_id = accounts
        .create(&store_id, &secret)
        .ok_or_else(|| AppError::invalid("form", mt("error-sandbox-off-yotpo")))?;
    let current = consent_settings(state, merchant).await?;
    let link = |u: Option<String>| u.as_deref().and_then(|u| HttpUrl::parse(u).ok());
    let update = SmsSettingsUpdate {
        account_id: store_id.clone(),
        secret: SecretString::from(secret),
        list_id: list_id.clone(),
        terms_url: link(current.terms_url),
        privacy_url: link(current.privacy_url),
        heading: current.heading,
        extra: current.extra,
    };
    store(state, merchant, &update).await?;
    Ok(mt_with(
        "done-sandbox-connected",
        &[
            ("store", Arg::from(store_id.to_string())),
            ("list", Arg::from(list_id.to_string())),
        ],
    ))
}
