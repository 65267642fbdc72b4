//! The consent block's links and texts, asked in each provider's section: one setting (the
//! block is the same whichever provider the sign-ups go to), saved with either connection.

use super::super::fields::{error_for, TextField};
use crate::domain::settings::SmsSettingsView;
use crate::domain::AppError;
use crate::i18n::mt;
use leptos::prelude::*;

#[component]
pub(super) fn ConsentTextFields(
    /// Prefixes the fields' ids: two sections show them on one page.
    id_prefix: &'static str,
    sms: SmsSettingsView,
    /// The section's last answer: its field errors show here.
    err: Memo<Option<AppError>>,
) -> impl IntoView {
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    view! {
        <TextField
            id=format!("{id_prefix}terms_url")
            name="terms_url"
            label=mt("settings-texts-terms-label")
            kind="url"
            value=sms.terms_url.clone().unwrap_or_default()
            error=error("terms_url")
        />
        <TextField
            id=format!("{id_prefix}privacy_url")
            name="privacy_url"
            label=mt("settings-texts-privacy-label")
            kind="url"
            value=sms.privacy_url.clone().unwrap_or_default()
            error=error("privacy_url")
        />
        <TextField
            id=format!("{id_prefix}heading")
            name="heading"
            label=mt("settings-texts-heading-label")
            value=sms.heading.clone().unwrap_or_default()
            hint=mt("settings-texts-heading-hint")
            error=error("heading")
        />
        <TextField
            id=format!("{id_prefix}extra")
            name="extra"
            label=mt("settings-texts-extra-label")
            value=sms.extra.clone().unwrap_or_default()
            hint=mt("settings-texts-extra-hint")
            error=error("extra")
        />
    }
}
