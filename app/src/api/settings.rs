//! The merchant settings page's server functions. Every one acts for the signed-in user's
//! own merchant only (the merchant comes from the session, never from the request), and
//! every change must carry the session's CSRF token.

// A form's fields are a server function's arguments (so it posts without WebAssembly), and
// the Yotpo form has eight of them.
#![allow(clippy::too_many_arguments)]

use crate::domain::settings::{
    ConnectionReport, ConsentLogView, NewKeyView, SettingsView, SignupFormView,
};
use crate::domain::{AppError, Brand, ConsentOffer};
use leptos::prelude::*;

#[server(name = GetSettings, prefix = "/api/fn", endpoint = "settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    ssr::view().await.map_err(AppError::respond)
}

/// The consent block as shoppers will see it, for the settings page's live preview;
/// `None` until Yotpo, the list and the Terms and Privacy links are set.
#[server(name = ConsentPreview, prefix = "/api/fn", endpoint = "consent_preview")]
pub async fn consent_preview() -> Result<Option<(Brand, ConsentOffer)>, AppError> {
    ssr::consent_preview().await.map_err(AppError::respond)
}

#[server(name = GetConsentLog, prefix = "/api/fn", endpoint = "consent_log")]
pub async fn consent_log(state: String) -> Result<ConsentLogView, AppError> {
    ssr::consent_log(&state).await.map_err(AppError::respond)
}

#[server(name = RetryConsent, prefix = "/api/fn", endpoint = "consent_retry")]
pub async fn retry_consent(csrf: String, id: String) -> Result<String, AppError> {
    ssr::retry_consent(&csrf, &id)
        .await
        .map_err(AppError::respond)
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
    let form = ssr::SmsForm {
        store_id,
        secret,
        list_id,
        terms_url,
        privacy_url,
        heading,
        extra,
    };
    ssr::save_sms(&csrf, form).await.map_err(AppError::respond)
}

/// The account's published Yotpo sign-up forms, to pick from; `None` when Yotpo is not
/// connected or does not list them.
#[server(name = GetSignupForms, prefix = "/api/fn", endpoint = "settings_signup_forms")]
pub async fn signup_forms() -> Result<Option<Vec<SignupFormView>>, AppError> {
    ssr::signup_forms().await.map_err(AppError::respond)
}

/// Shows a published Yotpo form in place of Tracklight's checkbox; blank `form_code` goes
/// back to the checkbox.
#[server(name = SaveSignupForm, prefix = "/api/fn", endpoint = "settings_signup_form")]
pub async fn save_signup_form(csrf: String, form_code: String) -> Result<String, AppError> {
    ssr::save_signup_form(&csrf, &form_code)
        .await
        .map_err(AppError::respond)
}

#[server(name = TestConnection, prefix = "/api/fn", endpoint = "settings_test_connection")]
pub async fn test_connection(csrf: String) -> Result<ConnectionReport, AppError> {
    ssr::test_connection(&csrf).await.map_err(AppError::respond)
}

#[server(name = UseSandbox, prefix = "/api/fn", endpoint = "settings_use_sandbox")]
pub async fn use_sandbox(csrf: String) -> Result<String, AppError> {
    ssr::use_sandbox(&csrf).await.map_err(AppError::respond)
}

#[server(name = SaveBrand, prefix = "/api/fn", endpoint = "settings_brand")]
pub async fn save_brand(
    csrf: String,
    brand: String,
    accent: String,
    logo: String,
) -> Result<String, AppError> {
    ssr::save_brand(&csrf, &brand, &accent, &logo)
        .await
        .map_err(AppError::respond)
}

#[server(name = SaveEmbed, prefix = "/api/fn", endpoint = "settings_embed")]
pub async fn save_embed(csrf: String, origins: String) -> Result<String, AppError> {
    ssr::save_embed(&csrf, &origins)
        .await
        .map_err(AppError::respond)
}

#[server(name = CreateKey, prefix = "/api/fn", endpoint = "settings_create_key")]
pub async fn create_key(csrf: String, label: String) -> Result<NewKeyView, AppError> {
    ssr::create_key(&csrf, &label)
        .await
        .map_err(AppError::respond)
}

#[server(name = RevokeKey, prefix = "/api/fn", endpoint = "settings_revoke_key")]
pub async fn revoke_key(csrf: String, prefix: String) -> Result<String, AppError> {
    ssr::revoke_key(&csrf, &prefix)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::inputs::{AccentColor, BrandName};
    use crate::domain::settings::{
        ApiKeyView, ConnectionReport, ConsentLogView, ConsentRowView, NewKeyView, SettingsView,
        SignUpCounts, SignupFormView, SmsListView, SmsSettingsView,
    };
    use crate::domain::{AppError, Brand, ConsentOffer};
    use crate::ssr::consent::settings::{self, HttpUrl, SmsSettingsUpdate};
    use crate::ssr::consent_log as log;
    use crate::ssr::merchants;
    use crate::ssr::request::{require_session, session, state};
    use crate::ssr::sms::{Account, AccountId, ListId, ProviderErrorKind};
    use crate::ssr::state::SmsMode;
    use crate::ssr::AppState;
    use secrecy::SecretString;

    /// The merchant's SMS settings (every merchant has a row, so a missing one is a 404).
    async fn sms_settings(
        state: &AppState,
        merchant: &crate::ssr::merchants::MerchantId,
    ) -> Result<settings::ConsentSettings, AppError> {
        settings::load(&state.db, &state.secrets, merchant)
            .await
            .map_err(AppError::internal)?
            .ok_or(AppError::NotFound)
    }

    pub struct SmsForm {
        pub store_id: String,
        pub secret: String,
        pub list_id: String,
        pub terms_url: String,
        pub privacy_url: String,
        pub heading: String,
        pub extra: String,
    }

    fn date(ms: i64) -> String {
        time::OffsetDateTime::from_unix_timestamp(ms / 1000)
            .map(|t| t.date().to_string())
            .unwrap_or_default()
    }

    /// The signed-in user; rendering a page for a stranger sends them to the sign-in page.
    async fn reader(state: &AppState) -> Result<crate::ssr::accounts::Session, AppError> {
        match session(state).await? {
            Some(session) => Ok(session),
            None => {
                let page = leptos::prelude::use_context::<http::request::Parts>()
                    .is_some_and(|p| !p.uri.path().starts_with("/api/fn/"));
                if page {
                    leptos_axum::redirect("/signin");
                }
                Err(AppError::Unauthorized)
            }
        }
    }

    pub async fn consent_preview() -> Result<Option<(Brand, ConsentOffer)>, AppError> {
        use crate::domain::OfferStatus;
        let state = state()?;
        let session = reader(&state).await?;
        // Framed by the settings page, and by nothing else.
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                http::header::CONTENT_SECURITY_POLICY,
                http::HeaderValue::from_static("frame-ancestors 'self'"),
            );
        }
        let merchant = &session.merchant_id;
        let (name, accent_color, logo_url) = merchants::brand(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        let settings = sms_settings(&state, merchant).await?;
        let Some(form) = crate::ssr::consent::offer::form_for(&settings, None) else {
            return Ok(None);
        };
        let brand = Brand {
            name,
            accent_color,
            logo_url,
        };
        Ok(Some((
            brand,
            ConsentOffer {
                status: OfferStatus::Offer,
                form,
                sandbox: state.sms_mode.is_sandbox(),
            },
        )))
    }

    pub async fn consent_log(filter: &str) -> Result<ConsentLogView, AppError> {
        let state = state()?;
        let session = reader(&state).await?;
        let merchant = &session.merchant_id;
        let filter = if log::STATES.contains(&filter) {
            filter
        } else {
            ""
        };
        let entries = log::entries(&state.db, merchant, Some(filter), 500)
            .await
            .map_err(AppError::internal)?;
        let states = log::state_counts(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        let totals = state
            .stats
            .totals(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        let consents: i64 = states.iter().map(|(_, n)| n).sum();
        let rows = entries
            .into_iter()
            .map(|e| {
                let at = time::OffsetDateTime::from_unix_timestamp_nanos(
                    i128::from(e.consented_at_ms) * 1_000_000,
                )
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
                ConsentRowView {
                    iso: at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    time: at
                        .format(time::macros::format_description!(
                            "[year]-[month]-[day] [hour]:[minute]"
                        ))
                        .unwrap_or_default(),
                    phone_masked: e.phone_masked(),
                    id: e.id,
                    page_url: e.page_url,
                    state: e.state,
                    reason: e.failure_reason,
                }
            })
            .collect();
        Ok(ConsentLogView {
            csrf: session.csrf_token,
            counts: SignUpCounts {
                views: totals.views,
                offered: totals.offered,
                consents,
                rate_percent: (totals.offered > 0)
                    .then(|| consents as f64 * 100.0 / totals.offered as f64),
            },
            states,
            filter: filter.to_owned(),
            rows,
        })
    }

    pub async fn retry_consent(csrf: &str, id: &str) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let queued = log::retry(
            &state.db,
            &session.merchant_id,
            id.trim(),
            state.clock.now_ms(),
        )
        .await
        .map_err(AppError::internal)?;
        if !queued {
            return Err(AppError::NotFound);
        }
        state.jobs_wake.notify_one();
        Ok("Queued again: it goes to Yotpo in a moment.".into())
    }

    pub async fn view() -> Result<SettingsView, AppError> {
        let state = state()?;
        let session = reader(&state).await?;
        let merchant = &session.merchant_id;
        let (brand, accent_color, logo_url) = merchants::brand(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        let sms = sms_settings(&state, merchant).await?;
        let keys = merchants::list_api_keys(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        let allowed_origins = crate::ssr::embed::allowed_origins(&state.db, merchant)
            .await
            .map_err(AppError::internal)?;
        Ok(SettingsView {
            brand,
            accent_color,
            logo_url,
            email: session.email,
            csrf: session.csrf_token,
            sandbox: state.sms_mode.is_sandbox(),
            sms: SmsSettingsView {
                ready: crate::ssr::consent::offer::form_for(&sms, None).is_some(),
                form_script: sms.form_script.as_ref().map(|f| f.as_str().to_owned()),
                store_id: sms.account.as_ref().map(|a| a.id.to_string()),
                has_secret: sms.account.is_some(),
                list_id: sms.list_id.map(ListId::get),
                terms_url: sms.terms_url,
                privacy_url: sms.privacy_url,
                heading: sms.heading,
                extra: sms.extra,
            },
            allowed_origins,
            embed_src: format!("{}/embed/v1.js", state.public_url.as_str()),
            api_keys: keys
                .into_iter()
                .map(|k| ApiKeyView {
                    prefix: k.prefix,
                    label: k.label,
                    created: date(k.created_at_ms),
                })
                .collect(),
        })
    }

    fn optional_text(field: &str, v: &str, max: usize) -> Result<Option<String>, AppError> {
        let v = v.trim();
        if v.chars().count() > max {
            return Err(AppError::invalid(
                field,
                format!("Use at most {max} characters."),
            ));
        }
        if v.chars().any(char::is_control) {
            return Err(AppError::invalid(field, "Use plain text on one line."));
        }
        Ok((!v.is_empty()).then(|| v.to_owned()))
    }

    fn optional_url(field: &str, v: &str) -> Result<Option<HttpUrl>, AppError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        HttpUrl::parse(v)
            .map(Some)
            .map_err(|_| AppError::invalid(field, "Enter a full address starting with https://."))
    }

    /// Checks credentials (and the list, when Yotpo lists them) with the provider.
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

    pub async fn save_sms(csrf: &str, form: SmsForm) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let current = sms_settings(&state, &session.merchant_id).await?;
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
        check_with_provider(&state, &account, list_id).await?;
        settings::save(&state.db, &state.secrets, &session.merchant_id, &update)
            .await
            .map_err(AppError::internal)?;
        state.consent_settings.forget(&session.merchant_id).await;
        Ok(
            if update.terms_url.is_some() && update.privacy_url.is_some() {
                "Saved. Tracking pages now offer text sign-ups.".into()
            } else {
                "Saved. Add your Terms and Privacy links to offer text sign-ups.".into()
            },
        )
    }

    pub async fn test_connection(csrf: &str) -> Result<ConnectionReport, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let current = sms_settings(&state, &session.merchant_id).await?;
        let Some(account) = current.account else {
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

    pub async fn signup_forms() -> Result<Option<Vec<SignupFormView>>, AppError> {
        let state = state()?;
        let session = reader(&state).await?;
        let Some(account) = sms_settings(&state, &session.merchant_id).await?.account else {
            return Ok(None);
        };
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

    pub async fn save_signup_form(csrf: &str, code: &str) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let merchant = &session.merchant_id;
        if code.trim().is_empty() {
            settings::save_form(&state.db, merchant, None)
                .await
                .map_err(AppError::internal)?;
            state.consent_settings.forget(merchant).await;
            return Ok("Saved. Tracking pages show Tracklight's checkbox.".into());
        }
        let Some(account) = sms_settings(&state, merchant).await?.account else {
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
            // Listed and found, or Yotpo does not list forms: the address was checked above.
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

    /// Sandbox mode: gives the merchant a store of their own in the built-in sandbox.
    pub async fn use_sandbox(csrf: &str) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let SmsMode::Sandbox { url } = &state.sms_mode else {
            return Err(AppError::invalid(
                "form",
                "This server talks to the real Yotpo.",
            ));
        };
        let store_id = format!("sandbox-{}", &session.merchant_id.as_str()[..8]);
        let secret = uuid::Uuid::new_v4().simple().to_string();
        reqwest::Client::new()
            .post(format!("{url}/sandbox/stores"))
            .json(&serde_json::json!({
                "store_id": store_id,
                "secret": secret,
                "lists": [
                    {"id": 1001, "name": "Tracking page subscribers"},
                    {"id": 1002, "name": "Newsletter"}
                ],
                // A published sign-up form whose script the sandbox serves.
                "forms": [{"form_id": 7001, "script_source": "", "list_id": 1001}]
            }))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| AppError::internal(anyhow::anyhow!("creating a sandbox store: {e}")))?;
        let current = sms_settings(&state, &session.merchant_id).await?;
        let update = SmsSettingsUpdate {
            account_id: AccountId::parse(&store_id)
                .map_err(|m| AppError::internal(anyhow::anyhow!(m)))?,
            secret: SecretString::from(secret),
            list_id: ListId::new(1001).expect("non-zero"),
            terms_url: current
                .terms_url
                .as_deref()
                .and_then(|u| HttpUrl::parse(u).ok()),
            privacy_url: current
                .privacy_url
                .as_deref()
                .and_then(|u| HttpUrl::parse(u).ok()),
            heading: current.heading,
            extra: current.extra,
        };
        settings::save(&state.db, &state.secrets, &session.merchant_id, &update)
            .await
            .map_err(AppError::internal)?;
        state.consent_settings.forget(&session.merchant_id).await;
        Ok(format!(
            "Connected to the sandbox store {store_id}, list 1001."
        ))
    }

    pub async fn save_brand(
        csrf: &str,
        brand: &str,
        accent: &str,
        logo: &str,
    ) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let name = BrandName::parse(brand)
            .map_err(|m| AppError::invalid("brand", format!("The store name {m}.")))?;
        let accent = match accent.trim() {
            "" => None,
            a => Some(
                AccentColor::parse(a)
                    .map_err(|m| AppError::invalid("accent", format!("The colour {m}.")))?,
            ),
        };
        // https only: an http image would make the tracking page mixed content.
        let logo = match optional_url("logo", logo)? {
            Some(u) if u.as_str().starts_with("https://") => Some(u.as_str().to_owned()),
            Some(_) => {
                return Err(AppError::invalid(
                    "logo",
                    "Use an https:// address for the logo.",
                ))
            }
            None => None,
        };
        merchants::update_brand(
            &state.db,
            &session.merchant_id,
            &name,
            accent.as_ref(),
            logo.as_deref(),
        )
        .await
        .map_err(AppError::internal)?;
        // The brand name is part of the consent text.
        state.consent_settings.forget(&session.merchant_id).await;
        Ok("Saved.".into())
    }

    pub async fn save_embed(csrf: &str, origins: &str) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let origins = crate::ssr::embed::parse_origins(origins)
            .map_err(|m| AppError::invalid("origins", format!("{m}.")))?;
        crate::ssr::embed::save_allowed_origins(&state.db, &session.merchant_id, &origins)
            .await
            .map_err(AppError::internal)?;
        Ok(match origins.len() {
            0 => "Saved. No site may embed the widget.".into(),
            n => format!("Saved. {n} site(s) may embed the widget."),
        })
    }

    pub async fn create_key(csrf: &str, label: &str) -> Result<NewKeyView, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let label = optional_text("label", label, 60)?.unwrap_or_else(|| "api".into());
        let key = merchants::create_api_key(
            &state.db,
            &session.merchant_id,
            &label,
            state.clock.now_ms(),
        )
        .await
        .map_err(AppError::internal)?;
        Ok(NewKeyView {
            key: key.expose().to_owned(),
            prefix: key.prefix().to_owned(),
        })
    }

    pub async fn revoke_key(csrf: &str, prefix: &str) -> Result<String, AppError> {
        let state = state()?;
        let session = require_session(&state, csrf).await?;
        let n = merchants::revoke_api_keys(
            &state.db,
            &session.merchant_id,
            prefix.trim(),
            state.clock.now_ms(),
        )
        .await
        .map_err(AppError::internal)?;
        match n {
            0 => Err(AppError::NotFound),
            _ => Ok(format!("Revoked {}.", prefix.trim())),
        }
    }
}
