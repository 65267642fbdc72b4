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
use crate::ssr::sms::{Account, AccountId, ListId, ProviderErrorKind};
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
    list: ListId,
) -> Result<(), AppError> {
    if let Err(e) = state.sms.check_account(account).await {
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
    if let Ok(Some(lists)) = state.sms.lists(account).await {
        if !lists.iter().any(|l| l.id == list) {
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
    let secret = match (form.secret.trim(), &current.account) {
        ("", Some(account)) => account.secret.clone(),
        ("", None) => {
            return Err(AppError::invalid(
                "secret",
                "Enter the API secret from Yotpo.",
            ))
        }
        (s, _) => SecretString::from(s.to_owned()),
    };
    let list_id = ListId::parse(&form.list_id)
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
    check_with_provider(state, &account, list_id).await?;
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

/// "Test connection": the provider's verdict on the stored account, and its lists.
pub async fn test(state: &AppState, merchant: &MerchantId) -> Result<ConnectionReport, AppError> {
    within_limit(state, merchant).await?;
    let Some(account) = consent_settings(state, merchant).await?.account else {
        return Ok(ConnectionReport {
            ok: false,
            message: "Save a store ID and API secret first.".into(),
            lists: None,
        });
    };
    if let Err(e) = state.sms.check_account(&account).await {
        return Ok(ConnectionReport {
            ok: false,
            message: format!("Yotpo said no: {}", e.reason),
            lists: None,
        });
    }
    let lists = state.sms.lists(&account).await.ok().flatten().map(|lists| {
        lists
            .into_iter()
            .map(|l| SmsListView {
                id: l.id.get(),
                name: l.name,
            })
            .collect()
    });
    Ok(ConnectionReport {
        ok: true,
        message: "Connected: Yotpo accepted the store ID and API secret.".into(),
        lists,
    })
}

/// The account's published sign-up forms, to pick from; `None` when no account is stored or
/// the provider does not list them.
pub async fn signup_forms(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<Option<Vec<SignupFormView>>, AppError> {
    let Some(account) = consent_settings(state, merchant).await?.account else {
        return Ok(None);
    };
    within_limit(state, merchant).await?;
    let forms = state.sms.signup_forms(&account).await.map_err(|e| {
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
    let Some(account) = consent_settings(state, merchant).await?.account else {
        return Err(AppError::invalid(
            "form_code",
            "Connect Yotpo first: the form is shown only to shoppers Yotpo says are not subscribed.",
        ));
    };
    let script = state
        .sms
        .form_script(code)
        .map_err(|m| AppError::invalid("form_code", format!("This code {m}.")))?;
    match state.sms.signup_forms(&account).await {
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
    let list_id = accounts.create(&store_id, &secret);
    let current = consent_settings(state, merchant).await?;
    let link = |u: Option<String>| u.as_deref().and_then(|u| HttpUrl::parse(u).ok());
    let update = SmsSettingsUpdate {
        account_id: store_id.clone(),
        secret: SecretString::from(secret),
        list_id,
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
