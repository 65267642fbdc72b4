//! Form pieces shared by the merchant pages: a labelled text field with its hint and its
//! error (announced to screen readers), and which error belongs to which field.

use crate::domain::AppError;
use leptos::prelude::*;

/// The message of `err` for `field`; `"form"` also takes errors that belong to no field.
///
/// Callers read the action's error with `try_get`: when a browser drops a request while the
/// server is still rendering, the page's reactive values are disposed before a late update,
/// and `get` would panic.
pub fn error_for(err: &Option<AppError>, field: &str) -> Option<String> {
    match err {
        Some(AppError::Invalid { field: f, message }) if f == field => Some(message.clone()),
        Some(AppError::Invalid { .. }) | None => None,
        Some(AppError::RateLimited) if field == "form" => {
            Some("Too many attempts in a short time. Please wait a few minutes.".into())
        }
        Some(AppError::NotFound) if field == "form" => Some("Not found.".into()),
        Some(AppError::Unauthorized) if field == "form" => {
            Some("Your session has ended. Sign in again.".into())
        }
        Some(other) if field == "form" => Some(other.to_string()),
        Some(_) => None,
    }
}

/// [`error_for`] on a shopper's page: the errors that belong to no field in the page's
/// language.
pub fn shopper_error_for(
    lang: crate::i18n::Lang,
    err: &Option<AppError>,
    field: &str,
) -> Option<String> {
    let key = match err {
        Some(AppError::RateLimited) => "error-rate-limited",
        Some(AppError::NotFound) => "error-not-found",
        Some(AppError::Unavailable) => "error-unavailable",
        Some(AppError::Internal | AppError::Unauthorized) => "error-internal",
        Some(AppError::Invalid { .. }) | None => return error_for(err, field),
    };
    (field == "form").then(|| lang.t(key))
}

#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] name: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    /// The `id` of a `<datalist>` of suggestions.
    #[prop(optional)]
    suggestions: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let name = name.unwrap_or_else(|| id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint
                .map(|h| {
                    view! {
                        <p id=hint_id class="field__hint">
                            {h}
                        </p>
                    }
                })}
            <input
                id=id
                name=name
                type=kind
                value=value
                placeholder=placeholder
                autocomplete=autocomplete
                list=suggestions
                aria-invalid=move || error.try_get().flatten().map(|_| "true")
                aria-describedby=described
            />
            <p id=error_id class="field__error" aria-live="polite">
                {move || error.try_get().flatten()}
            </p>
        </div>
    }
}
