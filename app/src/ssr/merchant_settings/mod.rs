//! The merchant settings page's services: what the page shows, and each section's change.
//! Every function acts for one merchant, whom the caller has already authenticated (the
//! server functions in `api::settings` take the merchant from the session, never from the
//! request), and answers with a message for the merchant or a field-level error.
//!
//! - this module: the page's view and the consent block preview.
//! - `connection`: the SMS provider account, list, links and texts; test connection;
//!   the provider's own sign-up form; the built-in sandbox.
//! - `klaviyo`: the Klaviyo connection and its lists.
//! - `guards`: the guards against SMS pumping.
//! - `milestones`: which shipment milestones go to the provider as events.
//! - `ingest`: the webhooks shipments arrive by (Shopify, carrier-tracking services).
//! - `brand`: brand name, colour and logo; sites allowed to embed; API keys.

pub mod brand;
pub mod connection;
pub mod guards;
pub mod ingest;
pub mod klaviyo;
pub mod languages;
pub mod loyalty;
pub mod milestones;

use crate::domain::settings::{ApiKeyView, GuardsView, KlaviyoView, SettingsView, SmsSettingsView};
use crate::domain::ListProvider;
use crate::domain::{AppError, Brand, ConsentOffer, OfferStatus};
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::accounts::Session;
use crate::ssr::consent::offer::form_for;
use crate::ssr::consent::settings::{self, ConsentSettings, HttpUrl};
use crate::ssr::merchants::{self, MerchantId};
use crate::ssr::sms::ListId;
use crate::ssr::{embed, times, AppState};

/// The merchant's SMS settings (every merchant has a row, so a missing one is a 404).
pub(crate) async fn consent_settings(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<ConsentSettings, AppError> {
    settings::load(&state.db, &state.secrets, merchant)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)
}

/// Everything the settings page shows, for the signed-in user.
pub async fn view(state: &AppState, session: &Session) -> Result<SettingsView, AppError> {
    let merchant = &session.merchant_id;
    let brand = merchants::brand(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let sms = consent_settings(state, merchant).await?;
    let (yotpo, klaviyo) = (
        sms.connection(ListProvider::Yotpo),
        sms.connection(ListProvider::Klaviyo),
    );
    let keys = merchants::list_api_keys(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let allowed_origins = embed::allowed_origins(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let ships_to = settings::allowed_countries(&state.db, merchant, &Default::default())
        .await
        .map_err(AppError::internal)?;
    let guards = GuardsView {
        hourly_cap: sms.guards.hourly_cap,
        countries: sms
            .guards
            .countries
            .as_ref()
            .map(|codes| {
                codes
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        ships_to: ships_to.iter().map(|c| c.as_str().to_owned()).collect(),
    };
    let milestones = milestones::chosen(&state.db, merchant)
        .await
        .map_err(AppError::internal)?
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    let lookup_proof = crate::ssr::order_lookup::proof_of(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let ingest_sources = ingest::sources(state, merchant)
        .await
        .map_err(AppError::internal)?;
    let ingest_recent = ingest::recent(state, merchant)
        .await
        .map_err(AppError::internal)?;
    let languages = languages::view(&sms);
    let loyalty = loyalty::view(state, merchant).await?;
    Ok(SettingsView {
        loyalty,
        ingest: ingest_sources,
        ingest_recent,
        milestones,
        store: merchant.as_str().to_owned(),
        lookup_proof,
        lookup_url: format!("{}/track/{}", state.public_url.as_str(), merchant.as_str()),
        brand: brand.name,
        accent_color: brand.accent_color,
        logo_url: brand.logo_url,
        email: session.email.clone(),
        csrf: session.csrf_token.clone(),
        sandbox: state.sms_mode.is_sandbox(),
        sms: SmsSettingsView {
            ready: form_for(&sms, None, sms.langs.default).is_some(),
            form_script: sms.form_script.as_ref().map(|f| f.as_str().to_owned()),
            provider: sms.provider,
            store_id: yotpo.map(|c| c.account.id.to_string()),
            has_secret: yotpo.is_some(),
            list_id: yotpo.and_then(|c| c.list_id.as_ref().map(ListId::to_string)),
            klaviyo: klaviyo
                .map(|c| KlaviyoView {
                    account_id: Some(c.account.id.to_string()),
                    has_key: true,
                    list_id: c.list_id.as_ref().map(ListId::to_string),
                    double_opt_in: c.double_opt_in,
                })
                .unwrap_or_default(),
            terms_url: sms.terms_url,
            privacy_url: sms.privacy_url,
            heading: sms.heading.clone(),
            extra: sms.extra.clone(),
        },
        languages,
        allowed_origins,
        guards,
        embed_src: format!("{}/embed/v1.js", state.public_url.as_str()),
        api_keys: keys
            .into_iter()
            .map(|k| ApiKeyView {
                prefix: k.prefix,
                label: k.label,
                created: times::utc_date(k.created_at_ms),
            })
            .collect(),
    })
}

/// The consent block as shoppers will see it, for the settings page's live preview; `None`
/// until the provider, the list and the Terms and Privacy links are set.
pub async fn preview(
    state: &AppState,
    merchant: &MerchantId,
    lang: Option<&str>,
) -> Result<Option<(Brand, ConsentOffer)>, AppError> {
    let brand = merchants::brand(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let settings = consent_settings(state, merchant).await?;
    // Any language Tracklight speaks: a merchant may look before offering it.
    let lang = lang
        .and_then(crate::i18n::Lang::parse)
        .unwrap_or(settings.langs.default);
    Ok(form_for(&settings, None, lang).map(|form| {
        (
            brand,
            ConsentOffer {
                status: OfferStatus::Offer,
                form,
                sandbox: state.sms_mode.is_sandbox_for(settings.provider),
                confirm_by_text: settings.double_opt_in,
            },
        )
    }))
}

/// The region a merchant's typed phone numbers are read in: where their orders ship first,
/// else the US.
pub async fn home_region(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<crate::domain::inputs::CountryCode, AppError> {
    let shipped = settings::allowed_countries(&state.db, merchant, &Default::default())
        .await
        .map_err(AppError::internal)?;
    Ok(shipped
        .first()
        .copied()
        .unwrap_or_else(|| crate::domain::inputs::CountryCode::parse("US").expect("a country")))
}

/// Erases what is held for one shopper (a phone number or a customer ID), on a merchant's
/// request.
pub async fn erase_subject(
    state: &AppState,
    merchant: &MerchantId,
    kind: &str,
    value: &str,
) -> Result<String, AppError> {
    use crate::ssr::data_rights::{self, Subject};
    let subject = Subject::parse(kind, value, home_region(state, merchant).await?)?;
    let erased = data_rights::erase(state, merchant, &subject, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    Ok(mt_with(
        "done-erased",
        &[
            ("consents", Arg::Number(erased.consents)),
            ("orders", Arg::Number(erased.orders)),
            ("photos", Arg::Number(erased.photos)),
        ],
    ))
}

/// A one-line text field: trimmed, at most `max` characters, `None` when blank.
pub(crate) fn optional_text(field: &str, v: &str, max: usize) -> Result<Option<String>, AppError> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(AppError::invalid(
            field,
            mt_with("error-too-long", &[("max", Arg::Number(max as i64))]),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(AppError::invalid(field, mt("error-one-line")));
    }
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

/// An address field: a full http(s) URL, or `None` when blank.
pub(crate) fn optional_url(field: &str, v: &str) -> Result<Option<HttpUrl>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    HttpUrl::parse(v)
        .map(Some)
        .map_err(|_| AppError::invalid(field, mt("error-full-address")))
}

#[cfg(test)]
mod tests {
    use super::connection::{self, SmsForm};
    use super::*;
    use crate::ssr::sms::{ProviderError, ProviderErrorKind};
    use crate::ssr::testing::{Backend, TestEnv};

    fn form() -> SmsForm {
        SmsForm {
            store_id: "store-1".into(),
            secret: "s3cret".into(),
            list_id: "1001".into(),
            terms_url: "https://shop.example/terms".into(),
            privacy_url: "https://shop.example/privacy".into(),
            heading: String::new(),
            extra: String::new(),
        }
    }

    fn field_of(err: AppError) -> String {
        match err {
            AppError::Invalid { field, .. } => field,
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_connection_is_checked_with_the_provider_before_it_is_saved() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        for (field, bad) in [
            (
                "store_id",
                SmsForm {
                    store_id: "a/b".into(),
                    ..form()
                },
            ),
            (
                "secret",
                SmsForm {
                    secret: " ".into(),
                    ..form()
                },
            ),
            (
                "list_id",
                SmsForm {
                    list_id: "0".into(),
                    ..form()
                },
            ),
            (
                "terms_url",
                SmsForm {
                    terms_url: "/terms".into(),
                    ..form()
                },
            ),
            (
                "heading",
                SmsForm {
                    heading: "x".repeat(121),
                    ..form()
                },
            ),
        ] {
            let err = connection::save(&env.state, &merchant, &bad)
                .await
                .unwrap_err();
            assert_eq!(field_of(err), field);
        }
        env.provider.refuse_accounts(Some(ProviderError {
            kind: ProviderErrorKind::BadCredentials,
            reason: "401".into(),
        }));
        let err = connection::save(&env.state, &merchant, &form())
            .await
            .unwrap_err();
        assert_eq!(field_of(err), "secret");
        let report = connection::test(&env.state, &merchant).await.unwrap();
        assert!(!report.ok, "nothing was saved to test");

        env.provider.refuse_accounts(None);
        let saved = connection::save(&env.state, &merchant, &form())
            .await
            .unwrap();
        assert!(saved.contains("now offer text sign-ups"), "{saved}");
        // A blank secret keeps the stored one.
        let kept = SmsForm {
            secret: String::new(),
            ..form()
        };
        connection::save(&env.state, &merchant, &kept)
            .await
            .unwrap();
        let stored = consent_settings(&env.state, &merchant).await.unwrap();
        use secrecy::ExposeSecret;
        assert_eq!(stored.account.unwrap().secret.expose_secret(), "s3cret");
        assert!(preview(&env.state, &merchant, None)
            .await
            .unwrap()
            .is_some());
        assert!(connection::test(&env.state, &merchant).await.unwrap().ok);
    }

    #[tokio::test]
    async fn the_sandbox_is_offered_only_in_sandbox_mode() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let err = connection::use_sandbox(&env.state, &merchant)
            .await
            .unwrap_err();
        assert_eq!(field_of(err), "form");
    }

    #[tokio::test]
    async fn brand_and_keys_stay_with_their_merchant() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let acme = env.merchant("Acme").await;
        let other = env.merchant("Other").await;
        let err = brand::save_brand(&env.state, &acme, "Acme", "", "http://cdn.example/l.png")
            .await
            .unwrap_err();
        assert_eq!(field_of(err), "logo", "http logos would be mixed content");
        brand::save_brand(&env.state, &acme, "Acme Two", "#112233", "")
            .await
            .unwrap();
        assert_eq!(
            merchants::brand(&env.state.db, &acme).await.unwrap().name,
            "Acme Two"
        );

        let key = brand::create_key(&env.state, &acme, "erp").await.unwrap();
        assert_eq!(
            brand::revoke_key(&env.state, &other, &key.prefix).await,
            Err(AppError::NotFound),
            "another merchant cannot revoke it"
        );
        brand::revoke_key(&env.state, &acme, &key.prefix)
            .await
            .unwrap();
        assert!(merchants::authenticate(&env.state.db, &key.key)
            .await
            .unwrap()
            .is_none());
    }

    #[test]
    fn text_fields_are_one_trimmed_line_within_their_length() {
        assert_eq!(
            optional_text("h", "  Hi  ", 10).unwrap().as_deref(),
            Some("Hi")
        );
        assert_eq!(optional_text("h", "   ", 10).unwrap(), None);
        for bad in ["two\nlines", "tab\there", "elevenchars"] {
            let err = optional_text("h", bad, 10).unwrap_err();
            assert!(
                matches!(err, AppError::Invalid { ref field, .. } if field == "h"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn address_fields_are_full_urls_or_blank() {
        assert!(optional_url("u", " ").unwrap().is_none());
        assert_eq!(
            optional_url("u", "https://shop.example/terms")
                .unwrap()
                .unwrap()
                .as_str(),
            "https://shop.example/terms"
        );
        for bad in ["/terms", "javascript:alert(1)", "shop.example"] {
            assert!(optional_url("u", bad).is_err(), "{bad:?}");
        }
    }
}
