//! The merchant's Klaviyo connection: a private API key (checked with Klaviyo before it is
//! saved, encrypted at rest), the list picked from the account's lists with its opt-in
//! process, the texts of the consent block; and, in sandbox mode, an account of their own in
//! the built-in Klaviyo sandbox.

use super::connection::{list_views, within_limit};
use super::{consent_settings, optional_text, optional_url};
use crate::domain::settings::SmsListView;
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::consent::settings::{self, HttpUrl};
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::{Account, AccountId, ListId, ListProvider, ProviderErrorKind};
use crate::ssr::state::SmsMode;
use crate::ssr::AppState;
use secrecy::SecretString;

/// The Klaviyo connection form as the merchant sent it: plain strings, parsed here.
#[derive(Debug, Clone, Default)]
pub struct KlaviyoForm {
    /// Blank: keep the stored key.
    pub key: String,
    pub list_id: String,
    pub terms_url: String,
    pub privacy_url: String,
    pub heading: String,
    pub extra: String,
}

/// Klaviyo's verdict on a private key: the account it belongs to, and its lists. A key that
/// lacks a scope Tracklight reads with is refused with the scope named.
async fn klaviyo_account(
    state: &AppState,
    key: SecretString,
) -> Result<(Account, Vec<crate::ssr::sms::SmsList>), AppError> {
    let klaviyo = &state.providers.klaviyo;
    let id = klaviyo
        .account_of_key(&key)
        .await
        .map_err(refused)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("Klaviyo named no account")))?;
    let account = Account { id, secret: key };
    klaviyo.check_account(&account).await.map_err(refused)?;
    let lists = klaviyo
        .lists(&account)
        .await
        .map_err(refused)?
        .unwrap_or_default();
    Ok((account, lists))
}

/// Klaviyo's refusal of a key, or a failure to ask, as the settings form shows it.
fn refused(e: crate::ssr::sms::ProviderError) -> AppError {
    match e.kind {
        ProviderErrorKind::BadCredentials => AppError::invalid(
            "key",
            mt_with(
                "error-klaviyo-key-rejected",
                &[("reason", Arg::from(e.reason))],
            ),
        ),
        _ => AppError::invalid(
            "form",
            mt_with(
                "error-klaviyo-check-failed",
                &[("reason", Arg::from(e.reason))],
            ),
        ),
    }
}

/// The lists of the key being typed (or the stored one, when the field is blank), to pick
/// from before saving.
pub async fn klaviyo_lists(
    state: &AppState,
    merchant: &MerchantId,
    key: &str,
) -> Result<Vec<SmsListView>, AppError> {
    let key = klaviyo_key(state, merchant, key).await?;
    within_limit(state, merchant).await?;
    // The account's own ID is asked only on save (Klaviyo allows that call once a second):
    // the stored account, or else the merchant, keys this call's budget.
    let id = match consent_settings(state, merchant)
        .await?
        .connection(ListProvider::Klaviyo)
    {
        Some(c) => c.account.id.clone(),
        None => AccountId::parse(&format!("unsaved-{}", &merchant.as_str()[..8]))
            .map_err(|m| AppError::internal(anyhow::anyhow!("an account ID {m}")))?,
    };
    let account = Account { id, secret: key };
    let lists = state
        .providers
        .klaviyo
        .lists(&account)
        .await
        .map_err(refused)?
        .unwrap_or_default();
    Ok(list_views(lists))
}

async fn klaviyo_key(
    state: &AppState,
    merchant: &MerchantId,
    typed: &str,
) -> Result<SecretString, AppError> {
    let current = consent_settings(state, merchant).await?;
    let stored = current
        .connection(ListProvider::Klaviyo)
        .map(|c| &c.account);
    match (typed.trim(), stored) {
        ("", Some(account)) => Ok(account.secret.clone()),
        ("", None) => Err(AppError::invalid("key", mt("error-klaviyo-key-missing"))),
        (typed, _) if !typed.starts_with("pk_") || typed.len() > 200 => {
            Err(AppError::invalid("key", mt("error-klaviyo-key-format")))
        }
        (typed, _) => Ok(SecretString::from(typed.to_owned())),
    }
}

/// Connects Klaviyo after it accepted the key and the list is one of the account's, and
/// makes it the provider new consents go to.
pub async fn save_klaviyo(
    state: &AppState,
    merchant: &MerchantId,
    form: &KlaviyoForm,
) -> Result<String, AppError> {
    let key = klaviyo_key(state, merchant, &form.key).await?;
    let list_id = ListId::parse(&form.list_id).map_err(|m| {
        AppError::invalid(
            "list_id",
            mt_with("error-klaviyo-list-id", &[("problem", Arg::from(m))]),
        )
    })?;
    let terms_url = optional_url("terms_url", &form.terms_url)?;
    let privacy_url = optional_url("privacy_url", &form.privacy_url)?;
    let heading = optional_text("heading", &form.heading, 120)?;
    let extra = optional_text("extra", &form.extra, 300)?;
    within_limit(state, merchant).await?;
    let (account, lists) = klaviyo_account(state, key).await?;
    let Some(list) = lists.iter().find(|l| l.id == list_id) else {
        let known = lists
            .iter()
            .map(|l| format!("{} ({})", l.name, l.id))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(AppError::invalid(
            "list_id",
            mt_with("error-klaviyo-list-unknown", &[("lists", Arg::from(known))]),
        ));
    };
    let double_opt_in = list.double_opt_in.unwrap_or(true);
    let update = settings::KlaviyoUpdate {
        account_id: account.id,
        key: account.secret,
        list_id,
        double_opt_in,
        terms_url,
        privacy_url,
        heading,
        extra,
    };
    settings::save_klaviyo(&state.db, &state.secrets, merchant, &update)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    // Write scopes cannot be checked without writing: say which ones sign-ups need.
    let scopes = mt("done-klaviyo-scopes");
    let confirm = if double_opt_in {
        mt_with(
            "done-klaviyo-double-opt-in",
            &[("scopes", Arg::from(scopes))],
        )
    } else {
        scopes
    };
    Ok(mt_with(
        if update.terms_url.is_some() && update.privacy_url.is_some() {
            "done-klaviyo-saved"
        } else {
            "done-klaviyo-saved-needs-links"
        },
        &[("confirm", Arg::from(confirm))],
    ))
}

/// Sandbox mode: gives the merchant a Klaviyo account of their own in the built-in Klaviyo
/// sandbox (a single opt-in list for tracking page subscribers) and connects to it, keeping
/// their links and texts.
pub async fn use_klaviyo_sandbox(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<String, AppError> {
    let SmsMode::Sandbox { accounts, .. } = &state.sms_mode else {
        return Err(AppError::invalid("form", mt("error-sandbox-off-klaviyo")));
    };
    let account_id = AccountId::parse(&format!("sandbox-{}", &merchant.as_str()[..8]))
        .map_err(|m| AppError::internal(anyhow::anyhow!("a sandbox account ID {m}")))?;
    let key = format!("pk_sandbox_{}", uuid::Uuid::new_v4().simple());
    let list_id = accounts
        .create_klaviyo(&account_id, &key)
        .ok_or_else(|| AppError::invalid("form", mt("error-sandbox-off-klaviyo")))?;
    let current = consent_settings(state, merchant).await?;
    let link = |u: Option<String>| u.as_deref().and_then(|u| HttpUrl::parse(u).ok());
    let update = settings::KlaviyoUpdate {
        account_id: account_id.clone(),
        key: SecretString::from(key),
        list_id: list_id.clone(),
        double_opt_in: false,
        terms_url: link(current.terms_url),
        privacy_url: link(current.privacy_url),
        heading: current.heading,
        extra: current.extra,
    };
    settings::save_klaviyo(&state.db, &state.secrets, merchant, &update)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(mt_with(
        "done-klaviyo-sandbox-connected",
        &[
            ("account", Arg::from(account_id.to_string())),
            ("list", Arg::from(list_id.to_string())),
        ],
    ))
}
