//! The consent block's links and texts, asked in each provider's section: one setting (the
//! block is the same whichever provider the sign-ups go to), saved with either connection.

use super::super::fields::{error_for, TextField};
use crate::domain::settings::SmsSettingsView;
use crate::domain::AppError;
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
            label="Terms of Service link"
            kind="url"
            value=sms.terms_url.clone().unwrap_or_default()
            error=error("terms_url")
        />
        <TextField
            id=format!("{id_prefix}privacy_url")
            name="privacy_url"
            label="Privacy Policy link"
            kind="url"
            value=sms.privacy_url.clone().unwrap_or_default()
            error=error("privacy_url")
        />
        <TextField
            id=format!("{id_prefix}heading")
            name="heading"
            label="Heading (optional)"
            value=sms.heading.clone().unwrap_or_default()
            hint="In your default language (see Languages for the others). Default: Get texts from your store name."
            error=error("heading")
        />
        <TextField
            id=format!("{id_prefix}extra")
            name="extra"
            label="Extra text (optional)"
            value=sms.extra.clone().unwrap_or_default()
            hint="Shown under the heading, e.g. an offer. The required consent text is always shown."
            error=error("extra")
        />
    }
}
