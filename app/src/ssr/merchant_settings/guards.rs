//! The merchant's guards against SMS pumping: the hourly cap and the countries whose numbers
//! may sign up.

use crate::domain::inputs::CountryCode;
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::consent::settings::{self, SignUpGuards};
use crate::ssr::merchants::MerchantId;
use crate::ssr::AppState;

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
            .ok_or_else(|| AppError::invalid("hourly_cap", mt("error-hourly-cap-range")))?,
    };
    let codes = countries
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            CountryCode::parse(c).map_err(|_| {
                AppError::invalid(
                    "countries",
                    mt_with(
                        "error-country-code",
                        &[("code", Arg::from(format!("{c:?}")))],
                    ),
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
    Ok(mt_with(
        "done-guards-saved",
        &[("cap", Arg::Number(hourly_cap))],
    ))
}
