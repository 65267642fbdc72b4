//! The merchant's SMS provider connection: account and secret (checked with the provider
//! before they are saved; the secret encrypted at rest), the list, the Terms and Privacy
//! links and the texts of the consent block; "test connection"; the provider's own sign-up
//! form in place of Tracklight's checkbox; and, in sandbox mode, a store of their own in the
//! built-in sandbox.

use super::{consent_settings, optional_text, optional_url};
use crate::domain::inputs::CountryCode;
use crate::domain::settings::{ConnectionReport, SignupFormView, SmsListView};
use crate::domain::AppError;
use crate::ssr::consent::settings::SignUpGuards;
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
async fn within_limit(state: &AppState, merchant: &MerchantId) -> Result<(), AppError> {
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
            ProviderErrorKind::BadCredentials => AppError::invalid(
                "secret",
                "Yotpo did not accept this store ID and API secret.",
            ),
            _ => AppError::invalid(
                "form",
                format!("Could not check with Yotpo: {}. Try again.", e.reason),
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
                format!("This is not one of your Yotpo lists: {known}."),
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
    let account_id = AccountId::parse(&form.store_id)
        .map_err(|m| AppError::invalid("store_id", format!("The store ID {m}.")))?;
    let stored = current.connection(ListProvider::Yotpo).map(|c| &c.account);
    let secret = match (form.secret.trim(), stored) {
        ("", Some(account)) => account.secret.clone(),
        ("", None) => {
            return Err(AppError::invalid(
                "secret",
                "Enter the API secret from Yotpo.",
            ))
        }
        (s, _) => SecretString::from(s.to_owned()),
    };
    let list_id = ListId::parse_number(&form.list_id)
        .map_err(|m| AppError::invalid("list_id", format!("The list ID {m}.")))?;
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
            "Saved. Tracking pages now offer text sign-ups.".into()
        } else {
            "Saved. Add your Terms and Privacy links to offer text sign-ups.".into()
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
                ListProvider::Yotpo => "Save a store ID and API secret first.".into(),
                ListProvider::Klaviyo => "Save a Klaviyo private API key first.".into(),
            },
            lists: None,
        });
    };
    let provider = state.providers.get(settings.provider);
    if let Err(e) = provider.check_account(&account).await {
        return Ok(ConnectionReport {
            ok: false,
            message: format!("{name} said no: {}", e.reason),
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
        message: format!("Connected: {name} accepted the account's credentials."),
        lists,
    })
}

fn list_views(lists: Vec<crate::ssr::sms::SmsList>) -> Vec<SmsListView> {
    lists
        .into_iter()
        .map(|l| SmsListView {
            id: l.id.to_string(),
            name: l.name,
            double_opt_in: l.double_opt_in,
        })
        .collect()
}

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
    let refused = |e: crate::ssr::sms::ProviderError| match e.kind {
        ProviderErrorKind::BadCredentials => {
            AppError::invalid("key", format!("Klaviyo refused this key: {}.", e.reason))
        }
        _ => AppError::invalid(
            "form",
            format!("Could not check with Klaviyo: {}. Try again.", e.reason),
        ),
    };
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
    // the stored one, or the key's fingerprint, keys this call's budget.
    let id = consent_settings(state, merchant)
        .await?
        .connection(ListProvider::Klaviyo)
        .map(|c| c.account.id.clone())
        .unwrap_or_else(|| AccountId::parse("unsaved-key").expect("a valid ID"));
    let account = Account { id, secret: key };
    let lists = state
        .providers
        .klaviyo
        .lists(&account)
        .await
        .map_err(|e| match e.kind {
            ProviderErrorKind::BadCredentials => {
                AppError::invalid("key", format!("Klaviyo refused this key: {}.", e.reason))
            }
            _ => AppError::invalid(
                "form",
                format!(
                    "Could not read your Klaviyo lists: {}. Try again.",
                    e.reason
                ),
            ),
        })?
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
        ("", None) => Err(AppError::invalid(
            "key",
            "Enter a private API key from Klaviyo (Settings → API keys).",
        )),
        (typed, _) if !typed.starts_with("pk_") || typed.len() > 200 => Err(AppError::invalid(
            "key",
            "A Klaviyo private API key starts with pk_.",
        )),
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
    let list_id = ListId::parse(&form.list_id)
        .map_err(|m| AppError::invalid("list_id", format!("Pick a list: the list ID {m}.")))?;
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
            format!("This is not one of your Klaviyo lists: {known}."),
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
    let confirm = if double_opt_in {
        " The list uses double opt-in: shoppers confirm by replying to Klaviyo's text."
    } else {
        ""
    };
    // Write scopes cannot be checked without writing: say which ones sign-ups need.
    let confirm = format!(
        "{confirm} The key needs full access to lists, profiles and subscriptions (and events) for sign-ups to go through."
    );
    Ok(
        if update.terms_url.is_some() && update.privacy_url.is_some() {
            format!("Saved. Tracking pages now offer text sign-ups to Klaviyo.{confirm}")
        } else {
            format!("Saved. Add your Terms and Privacy links to offer text sign-ups.{confirm}")
        },
    )
}

/// Sends new consents to a provider the merchant has connected already; consents given
/// before keep the provider they were given under.
pub async fn choose_provider(
    state: &AppState,
    merchant: &MerchantId,
    provider: &str,
) -> Result<String, AppError> {
    let provider = ListProvider::parse(provider)
        .map_err(|_| AppError::invalid("provider", "Choose Yotpo SMS & Email or Klaviyo."))?;
    let current = consent_settings(state, merchant).await?;
    if current.connection(provider).is_none() {
        return Err(AppError::invalid(
            "provider",
            format!("Connect {} first.", provider.label()),
        ));
    }
    settings::choose_provider(&state.db, merchant, provider)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(format!(
        "Saved. New sign-ups go to {}; earlier ones finish where they were given.",
        provider.label()
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
                format!("Could not list your Yotpo forms: {e}."),
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
        return Ok("Saved. Tracking pages show Tracklight's checkbox.".into());
    }
    let current = consent_settings(state, merchant).await?;
    let Some(account) = current
        .connection(ListProvider::Yotpo)
        .map(|c| c.account.clone())
    else {
        return Err(AppError::invalid(
            "form_code",
            "Connect Yotpo first: the form is shown only to shoppers Yotpo says are not subscribed.",
        ));
    };
    let script = state
        .providers
        .yotpo
        .form_script(code)
        .map_err(|m| AppError::invalid("form_code", format!("This code {m}.")))?;
    match state.providers.yotpo.signup_forms(&account).await {
        Ok(Some(forms)) if !forms.iter().any(|f| f.script == script) => {
            let published = if forms.is_empty() {
                "You have no published forms in Yotpo.".to_owned()
            } else {
                let ids = forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>();
                format!("Published: form {}.", ids.join(", form "))
            };
            return Err(AppError::invalid(
                "form_code",
                format!("This form is not published in your Yotpo account. {published}"),
            ));
        }
        // Listed and found, or the provider does not list forms: the address was checked.
        Ok(_) => {}
        Err(e) if e.kind == ProviderErrorKind::BadCredentials => {
            return Err(AppError::invalid(
                "form_code",
                "Yotpo did not accept the stored store ID and API secret: fix them above first.",
            ))
        }
        Err(e) => {
            return Err(AppError::invalid(
                "form",
                format!("Could not check with Yotpo: {}. Try again.", e.reason),
            ))
        }
    }
    settings::save_form(&state.db, merchant, Some(&script))
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok("Saved. Tracking pages show your Yotpo form to shoppers who are not subscribed.".into())
}

/// Sandbox mode: gives the merchant a store of their own in the built-in sandbox and
/// connects to it, keeping their links and texts.
pub async fn use_sandbox(state: &AppState, merchant: &MerchantId) -> Result<String, AppError> {
    let SmsMode::Sandbox { accounts, .. } = &state.sms_mode else {
        return Err(AppError::invalid(
            "form",
            "This server talks to the real Yotpo.",
        ));
    };
    let store_id = AccountId::parse(&format!("sandbox-{}", &merchant.as_str()[..8]))
        .map_err(|m| AppError::internal(anyhow::anyhow!("a sandbox store ID {m}")))?;
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let list_id = accounts
        .create(&store_id, &secret)
        .ok_or_else(|| AppError::invalid("form", "This server talks to the real Yotpo."))?;
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
    Ok(format!(
        "Connected to the sandbox store {store_id}, list {list_id}."
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
        return Err(AppError::invalid(
            "form",
            "This server talks to the real Klaviyo.",
        ));
    };
    let account_id = AccountId::parse(&format!("sandbox-{}", &merchant.as_str()[..8]))
        .map_err(|m| AppError::internal(anyhow::anyhow!("a sandbox account ID {m}")))?;
    let key = format!("pk_sandbox_{}", uuid::Uuid::new_v4().simple());
    let list_id = accounts
        .create_klaviyo(&account_id, &key)
        .ok_or_else(|| AppError::invalid("form", "This server talks to the real Klaviyo."))?;
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
    Ok(format!(
        "Connected to the Klaviyo sandbox account {account_id}, list {list_id}."
    ))
}

/// The merchant's guards against SMS pumping: the hourly cap (blank: the default) and the
/// countries whose numbers may sign up (blank: the countries the store ships to).
pub async fn save_guards(
    state: &AppState,
    merchant: &MerchantId,
    hourly_cap: &str,
    countries: &str,
) -> Result<String, AppError> {
    let hourly_cap = match hourly_cap.trim() {
        "" => SignUpGuards::DEFAULT_HOURLY_CAP,
        cap => cap
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                AppError::invalid("hourly_cap", "Enter a whole number from 1 to 100000.")
            })?,
    };
    let codes = countries
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            CountryCode::parse(c).map_err(|_| {
                AppError::invalid(
                    "countries",
                    format!("{c:?} is not a two-letter country code such as US or DE."),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut unique: Vec<CountryCode> = Vec::new();
    for code in codes {
        if !unique.contains(&code) {
            unique.push(code);
        }
    }
    let guards = SignUpGuards {
        hourly_cap,
        countries: (!unique.is_empty()).then_some(unique),
    };
    settings::save_guards(&state.db, merchant, &guards)
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(format!(
        "Saved. Up to {hourly_cap} sign-ups an hour go out; more are held for you to release."
    ))
}
