//! The merchant's Yotpo Loyalty & Referrals connection: the account's GUID and API key
//! (checked with Yotpo before they are saved, the key encrypted at rest), and the custom
//! action that rewards an SMS sign-up on the tracking page with the points the consent block
//! promises, and the one that rewards a shopper's photo once the merchant approves it, with
//! the points the photo form promises. Blank GUID: disconnected.

use super::connection::within_limit;
use crate::domain::settings::LoyaltyView;
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::jobs::loyalty::seal_context;
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::AccountId;
use crate::ssr::state::SmsMode;
use crate::ssr::yotpo::{LoyaltyAccount, YotpoError};
use crate::ssr::AppState;
use anyhow::Context;
use secrecy::SecretString;

/// The most points a sign-up may promise.
pub const MAX_POINTS: i64 = 1_000_000;

/// The loyalty form as the merchant sent it: plain strings, parsed here.
#[derive(Debug, Clone, Default)]
pub struct LoyaltyForm {
    pub guid: String,
    /// Blank: keep the stored key.
    pub key: String,
    /// The custom-action campaign's name in Yotpo; blank: sign-ups earn nothing.
    pub action: String,
    pub points: String,
    /// The campaign that rewards a shopper's photo once the merchant approves it; blank:
    /// photos earn nothing.
    pub photo_action: String,
    pub photo_points: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    loyalty_guid: Option<String>,
    loyalty_key_enc: Option<String>,
    loyalty_signup_action: Option<String>,
    loyalty_signup_points: Option<i64>,
    loyalty_photo_action: Option<String>,
    loyalty_photo_points: Option<i64>,
}

async fn row(state: &AppState, merchant: &MerchantId) -> Result<Row, AppError> {
    sqlx::query_as(
        "SELECT loyalty_guid, loyalty_key_enc, loyalty_signup_action, loyalty_signup_points,
                loyalty_photo_action, loyalty_photo_points
         FROM merchants WHERE id = $1",
    )
    .bind(merchant.as_str())
    .fetch_one(state.db.pool())
    .await
    .context("reading the loyalty connection")
    .map_err(AppError::internal)
}

/// What the settings page shows of the connection (never the key).
pub async fn view(state: &AppState, merchant: &MerchantId) -> Result<LoyaltyView, AppError> {
    let row = row(state, merchant).await?;
    Ok(LoyaltyView {
        guid: row.loyalty_guid.unwrap_or_default(),
        has_key: row.loyalty_key_enc.is_some(),
        action: row.loyalty_signup_action.unwrap_or_default(),
        points: row.loyalty_signup_points,
        photo_action: row.loyalty_photo_action.unwrap_or_default(),
        photo_points: row.loyalty_photo_points,
    })
}

/// A text field: trimmed, at most `max` characters, no control characters.
fn field(value: &str, name: &str, max: usize) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(AppError::invalid(
            name,
            mt_with("error-loyalty-text", &[("max", Arg::Number(max as i64))]),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The points an action promises: required with an action, a whole number in range.
fn points_for(action: &Option<String>, points: &str, name: &str) -> Result<Option<i64>, AppError> {
    match (action, points.trim()) {
        (None, _) => Ok(None),
        (Some(_), "") => Err(AppError::invalid(name, mt("error-loyalty-points-missing"))),
        (Some(_), text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_POINTS).contains(&n) => Ok(Some(n)),
            _ => Err(AppError::invalid(
                name,
                mt_with("error-loyalty-points", &[("max", Arg::Number(MAX_POINTS))]),
            )),
        },
    }
}

/// Saves the connection after Yotpo accepted the GUID and key; a blank GUID disconnects.
pub async fn save_loyalty(
    state: &AppState,
    merchant: &MerchantId,
    form: &LoyaltyForm,
) -> Result<String, AppError> {
    let Some(guid) = field(&form.guid, "loyalty_guid", 100)? else {
        sqlx::query(
            "UPDATE merchants SET loyalty_guid = NULL, loyalty_key_enc = NULL,
                                  loyalty_signup_action = NULL, loyalty_signup_points = NULL,
                                  loyalty_photo_action = NULL, loyalty_photo_points = NULL
             WHERE id = $1",
        )
        .bind(merchant.as_str())
        .execute(state.db.pool())
        .await
        .map_err(|e| AppError::internal(e.into()))?;
        state.consent_settings.forget(merchant).await;
        return Ok(mt("done-loyalty-disconnected"));
    };
    if guid.chars().any(char::is_whitespace) {
        return Err(AppError::invalid("loyalty_guid", mt("error-loyalty-guid")));
    }
    let action = field(&form.action, "loyalty_action", 200)?;
    let points = points_for(&action, &form.points, "loyalty_points")?;
    let photo_action = field(&form.photo_action, "loyalty_photo_action", 200)?;
    let photo_points = points_for(&photo_action, &form.photo_points, "loyalty_photo_points")?;
    // Points are once per action per customer: one action for both would make a shopper who
    // signed up never earn the photo's.
    if let (Some(signup), Some(photo)) = (&action, &photo_action) {
        if signup.eq_ignore_ascii_case(photo) {
            return Err(AppError::invalid(
                "loyalty_photo_action",
                mt("error-loyalty-same-action"),
            ));
        }
    }
    let stored = row(state, merchant).await?;
    let context = seal_context(merchant.as_str());
    let key = match form.key.trim() {
        "" => match &stored.loyalty_key_enc {
            // The stored key goes with the stored GUID only.
            Some(sealed) if stored.loyalty_guid.as_deref() == Some(guid.as_str()) => state
                .secrets
                .open(&context, sealed)
                .map_err(|_| AppError::invalid("loyalty_key", mt("error-loyalty-key-missing")))?,
            _ => {
                return Err(AppError::invalid(
                    "loyalty_key",
                    mt("error-loyalty-key-missing"),
                ))
            }
        },
        typed => SecretString::from(typed.to_owned()),
    };
    within_limit(state, merchant).await?;
    let account = LoyaltyAccount {
        guid: guid.clone(),
        api_key: key,
    };
    match state.loyalty.check(&account).await {
        Ok(()) => {}
        Err(YotpoError::BadCredentials) => {
            return Err(AppError::invalid(
                "loyalty_key",
                mt("error-loyalty-refused"),
            ))
        }
        Err(e) => {
            return Err(AppError::invalid(
                "loyalty_form",
                mt_with(
                    "error-loyalty-check-failed",
                    &[("reason", Arg::from(e.to_string()))],
                ),
            ))
        }
    }
    let sealed = state
        .secrets
        .seal(&context, &account.api_key)
        .map_err(AppError::internal)?;
    sqlx::query(
        "UPDATE merchants SET loyalty_guid = $1, loyalty_key_enc = $2,
                              loyalty_signup_action = $3, loyalty_signup_points = $4,
                              loyalty_photo_action = $5, loyalty_photo_points = $6
         WHERE id = $7",
    )
    .bind(&guid)
    .bind(&sealed)
    .bind(&action)
    .bind(points)
    .bind(&photo_action)
    .bind(photo_points)
    .bind(merchant.as_str())
    .execute(state.db.pool())
    .await
    .map_err(|e| AppError::internal(e.into()))?;
    state.consent_settings.forget(merchant).await;
    Ok(match (action, points) {
        (Some(action), Some(points)) => mt_with(
            "done-loyalty-saved",
            &[
                ("action", Arg::from(action)),
                ("points", Arg::Number(points)),
            ],
        ),
        _ => mt("done-loyalty-saved-no-reward"),
    })
}

/// The custom-action campaign every account of the built-in sandbox has, and its points.
pub const SANDBOX_SIGNUP_CAMPAIGN: (&str, i64) = ("Tracklight SMS sign-up", 100);
/// The sandbox's campaign for a shared photo.
pub const SANDBOX_PHOTO_CAMPAIGN: (&str, i64) = ("Tracklight delivery photo", 50);

/// Sandbox mode: a loyalty account of the merchant's own in the built-in Yotpo sandbox,
/// connected with its sign-up campaign.
pub async fn use_loyalty_sandbox(
    state: &AppState,
    merchant: &MerchantId,
) -> Result<String, AppError> {
    let SmsMode::Sandbox { accounts, .. } = &state.sms_mode else {
        return Err(AppError::invalid(
            "loyalty_form",
            mt("error-loyalty-sandbox-off"),
        ));
    };
    let guid = format!("loyalty-{}", merchant.as_str());
    let id = AccountId::parse(&guid)
        .map_err(|m| AppError::internal(anyhow::anyhow!("a sandbox loyalty GUID {m}")))?;
    let key = uuid::Uuid::new_v4().simple().to_string();
    accounts
        .create(&id, &key)
        .ok_or_else(|| AppError::invalid("loyalty_form", mt("error-loyalty-sandbox-off")))?;
    let (action, points) = SANDBOX_SIGNUP_CAMPAIGN;
    let (photo_action, photo_points) = SANDBOX_PHOTO_CAMPAIGN;
    let form = LoyaltyForm {
        guid,
        key,
        action: action.to_owned(),
        points: points.to_string(),
        photo_action: photo_action.to_owned(),
        photo_points: photo_points.to_string(),
    };
    save_loyalty(state, merchant, &form).await
}
