//! The merchant settings page's server functions: thin adapters over
//! `ssr::merchant_settings` and `ssr::consent_log`. Every one acts for the signed-in user's
//! own merchant only (the merchant comes from the session, never from the request), and
//! every change must carry the session's CSRF token.

// A form's fields are a server function's arguments (so it posts without WebAssembly), and
// the provider form has eight of them.
#![allow(clippy::too_many_arguments)]

use crate::domain::settings::{
    ConnectionReport, ConsentLogView, NewKeyView, SettingsView, SignupFormView, SmsListView,
};
use crate::domain::{AppError, Brand, ConsentOffer};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::ssr::merchant_settings::{
        self as settings, brand, connection, guards, ingest, klaviyo, languages, loyalty,
        milestones,
    },
    crate::ssr::{consent_log, request::Ctx},
};

#[server(name = GetSettings, prefix = "/api/fn", endpoint = "settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.signed_in().await?;
    ctx.answer(settings::view(&ctx.state, &session).await)
}

/// The consent block as shoppers will see it, for the settings page's live preview;
/// `None` until Yotpo, the list and the Terms and Privacy links are set. In `lang` (a
/// language the store offers; else its default).
#[server(name = ConsentPreview, prefix = "/api/fn", endpoint = "consent_preview")]
pub async fn consent_preview(
    lang: Option<String>,
) -> Result<Option<(Brand, ConsentOffer)>, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.signed_in().await?;
    ctx.answer(settings::preview(&ctx.state, &session.merchant_id, lang.as_deref()).await)
}

#[server(name = GetConsentLog, prefix = "/api/fn", endpoint = "consent_log")]
pub async fn consent_log(state: String) -> Result<ConsentLogView, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.signed_in().await?;
    ctx.answer(consent_log::view(&ctx.state, &session, &state).await)
}

#[server(name = RetryConsent, prefix = "/api/fn", endpoint = "consent_retry")]
pub async fn retry_consent(csrf: String, id: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(consent_log::retry_now(&ctx.state, &session.merchant_id, &id).await)
}

/// Queues every failed milestone event of the store again.
#[server(name = RetryEvents, prefix = "/api/fn", endpoint = "events_retry")]
pub async fn retry_events(csrf: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(consent_log::retry_events_now(&ctx.state, &session.merchant_id).await)
}

#[server(name = SaveSms, prefix = "/api/fn", endpoint = "settings_sms")]
pub async fn save_sms(
    csrf: String,
    store_id: String,
    /// Blank: keep the stored secret.
    secret: String,
    list_id: String,
    terms_url: String,
    privacy_url: String,
    heading: String,
    extra: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let form = connection::SmsForm {
        store_id,
        secret,
        list_id,
        terms_url,
        privacy_url,
        heading,
        extra,
    };
    ctx.answer(connection::save(&ctx.state, &session.merchant_id, &form).await)
}

/// Connects Klaviyo (the key checked with Klaviyo, the list one of the account's) and sends
/// new sign-ups there.
#[server(name = SaveKlaviyo, prefix = "/api/fn", endpoint = "settings_klaviyo")]
pub async fn save_klaviyo(
    csrf: String,
    /// Blank: keep the stored key.
    key: String,
    list_id: String,
    terms_url: String,
    privacy_url: String,
    heading: String,
    extra: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let form = klaviyo::KlaviyoForm {
        key,
        list_id,
        terms_url,
        privacy_url,
        heading,
        extra,
    };
    ctx.answer(klaviyo::save_klaviyo(&ctx.state, &session.merchant_id, &form).await)
}

/// The lists of a Klaviyo key (blank: the stored one), to pick from before saving.
#[server(name = KlaviyoLists, prefix = "/api/fn", endpoint = "settings_klaviyo_lists")]
pub async fn klaviyo_lists(csrf: String, key: String) -> Result<Vec<SmsListView>, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(klaviyo::klaviyo_lists(&ctx.state, &session.merchant_id, &key).await)
}

/// Sends new sign-ups to a connected provider (`yotpo` or `klaviyo`).
#[server(name = ChooseProvider, prefix = "/api/fn", endpoint = "settings_provider")]
pub async fn choose_provider(csrf: String, provider: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(connection::choose_provider(&ctx.state, &session.merchant_id, &provider).await)
}

/// Connects Yotpo Loyalty (the GUID and key checked with Yotpo) and names the custom action
/// that rewards an SMS sign-up; a blank GUID disconnects.
#[server(name = SaveLoyalty, prefix = "/api/fn", endpoint = "settings_loyalty")]
pub async fn save_loyalty(
    csrf: String,
    loyalty_guid: String,
    /// Blank: keep the stored key.
    loyalty_key: String,
    loyalty_action: String,
    loyalty_points: String,
    /// Left out by an older form: photos earn nothing.
    #[server(default)]
    loyalty_photo_action: Option<String>,
    #[server(default)] loyalty_photo_points: Option<String>,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let form = loyalty::LoyaltyForm {
        guid: loyalty_guid,
        key: loyalty_key,
        action: loyalty_action,
        points: loyalty_points,
        photo_action: loyalty_photo_action.unwrap_or_default(),
        photo_points: loyalty_photo_points.unwrap_or_default(),
    };
    ctx.answer(loyalty::save_loyalty(&ctx.state, &session.merchant_id, &form).await)
}

/// Sandbox mode: a Yotpo Loyalty account of the merchant's own in the built-in sandbox.
#[server(name = UseLoyaltySandbox, prefix = "/api/fn", endpoint = "settings_use_loyalty_sandbox")]
pub async fn use_loyalty_sandbox(csrf: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(loyalty::use_loyalty_sandbox(&ctx.state, &session.merchant_id).await)
}

#[server(name = UseKlaviyoSandbox, prefix = "/api/fn", endpoint = "settings_use_klaviyo_sandbox")]
pub async fn use_klaviyo_sandbox(csrf: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(klaviyo::use_klaviyo_sandbox(&ctx.state, &session.merchant_id).await)
}

/// The account's published Yotpo sign-up forms, to pick from; `None` when Yotpo is not
/// connected or does not list them.
#[server(name = GetSignupForms, prefix = "/api/fn", endpoint = "settings_signup_forms")]
pub async fn signup_forms() -> Result<Option<Vec<SignupFormView>>, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.signed_in().await?;
    ctx.answer(connection::signup_forms(&ctx.state, &session.merchant_id).await)
}

/// Shows a published Yotpo form in place of Tracklight's checkbox; blank `form_code` goes
/// back to the checkbox.
#[server(name = SaveSignupForm, prefix = "/api/fn", endpoint = "settings_signup_form")]
pub async fn save_signup_form(csrf: String, form_code: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(connection::save_signup_form(&ctx.state, &session.merchant_id, &form_code).await)
}

#[server(name = TestConnection, prefix = "/api/fn", endpoint = "settings_test_connection")]
pub async fn test_connection(csrf: String) -> Result<ConnectionReport, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(connection::test(&ctx.state, &session.merchant_id).await)
}

#[server(name = UseSandbox, prefix = "/api/fn", endpoint = "settings_use_sandbox")]
pub async fn use_sandbox(csrf: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(connection::use_sandbox(&ctx.state, &session.merchant_id).await)
}

/// The guards against SMS pumping: the hourly cap and the countries whose numbers may sign up.
#[server(name = SaveGuards, prefix = "/api/fn", endpoint = "settings_guards")]
pub async fn save_guards(
    csrf: String,
    hourly_cap: String,
    countries: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(guards::save_guards(&ctx.state, &session.merchant_id, &hourly_cap, &countries).await)
}

/// The store's languages: the default, those offered (`offered[]`, checkboxes), and the
/// consent heading and extra text per language (`heading[de]`, `extra[de]`).
#[server(name = SaveLanguages, prefix = "/api/fn", endpoint = "settings_languages")]
pub async fn save_languages(
    csrf: String,
    default_language: String,
    offered: Option<Vec<String>>,
    heading: Option<std::collections::HashMap<String, String>>,
    extra: Option<std::collections::HashMap<String, String>>,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(
        languages::save(
            &ctx.state,
            &session.merchant_id,
            &default_language,
            &offered.unwrap_or_default(),
            &heading.unwrap_or_default(),
            &extra.unwrap_or_default(),
        )
        .await,
    )
}

/// The shipment milestones sent to the provider as events: one checkbox each, named by
/// the milestone (`domain::milestone`); absent means unchecked.
#[server(name = SaveMilestones, prefix = "/api/fn", endpoint = "settings_milestones")]
pub async fn save_milestones(
    csrf: String,
    shipped: Option<String>,
    out_for_delivery: Option<String>,
    delivery_attempted: Option<String>,
    ready_for_pickup: Option<String>,
    delivered: Option<String>,
    exception: Option<String>,
    delayed: Option<String>,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let checked: Vec<&str> = [
        ("shipped", shipped),
        ("out_for_delivery", out_for_delivery),
        ("delivery_attempted", delivery_attempted),
        ("ready_for_pickup", ready_for_pickup),
        ("delivered", delivered),
        ("exception", exception),
        ("delayed", delayed),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some())
    .map(|(name, _)| name)
    .collect();
    ctx.answer(milestones::save_milestones(&ctx.state, &session.merchant_id, &checked).await)
}

/// Connects a webhook source (`shopify`, `easypost`, `aftership`) with the secret it signs
/// with; `disconnect` removes it.
#[server(name = SaveIngest, prefix = "/api/fn", endpoint = "settings_ingest")]
pub async fn save_ingest(
    csrf: String,
    source: String,
    secret: Option<String>,
    disconnect: Option<String>,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(
        ingest::save(
            &ctx.state,
            &session.merchant_id,
            &source,
            secret.as_deref().unwrap_or_default(),
            disconnect.is_some(),
        )
        .await,
    )
}

/// Erases everything held for one shopper: `kind` is `phone` or `customer`.
#[server(name = EraseSubject, prefix = "/api/fn", endpoint = "settings_erase")]
pub async fn erase_subject(
    csrf: String,
    kind: String,
    subject: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(settings::erase_subject(&ctx.state, &session.merchant_id, &kind, &subject).await)
}

#[server(name = SaveBrand, prefix = "/api/fn", endpoint = "settings_brand")]
pub async fn save_brand(
    csrf: String,
    brand: String,
    accent: String,
    logo: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(brand::save_brand(&ctx.state, &session.merchant_id, &brand, &accent, &logo).await)
}

#[server(name = SaveEmbed, prefix = "/api/fn", endpoint = "settings_embed")]
pub async fn save_embed(
    csrf: String,
    origins: String,
    proof: Option<String>,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(
        brand::save_embed(&ctx.state, &session.merchant_id, &origins, proof.as_deref()).await,
    )
}

#[server(name = CreateKey, prefix = "/api/fn", endpoint = "settings_create_key")]
pub async fn create_key(csrf: String, label: String) -> Result<NewKeyView, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(brand::create_key(&ctx.state, &session.merchant_id, &label).await)
}

#[server(name = RevokeKey, prefix = "/api/fn", endpoint = "settings_revoke_key")]
pub async fn revoke_key(csrf: String, prefix: String) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    ctx.answer(brand::revoke_key(&ctx.state, &session.merchant_id, &prefix).await)
}
