//! The store's languages: the default, those shoppers are offered, and the consent heading
//! and extra text in each (the default language's are the provider section's).

use super::super::fields::error_for;
use crate::api::SaveLanguages;
use crate::domain::settings::SettingsView;
use leptos::prelude::*;

#[component]
pub(super) fn LanguagesSection(
    view: SettingsView,
    action: ServerAction<SaveLanguages>,
) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: String| move || error_for(&err.try_get().flatten(), &field);
    let langs = view.languages;
    let default = langs.default.clone();
    let options = langs
        .choices
        .iter()
        .map(|c| {
            view! {
                <option value=c.tag.clone() selected=c.tag == default lang=c.tag.clone()>
                    {c.name.clone()}
                </option>
            }
        })
        .collect_view();
    let offered = langs
        .choices
        .iter()
        .map(|c| {
            let id = format!("offered-{}", c.tag);
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        id=id
                        name="offered[]"
                        value=c.tag.clone()
                        checked=c.offered
                    />
                    <span lang=c.tag.clone()>{c.name.clone()}</span>
                    " "
                    <span class="muted">{format!("({})", c.tag)}</span>
                </label>
            }
        })
        .collect_view();
    let texts = langs
        .choices
        .iter()
        .filter(|c| c.tag != default)
        .map(|c| {
            let (heading_id, extra_id) = (format!("heading-{}", c.tag), format!("extra-{}", c.tag));
            let (heading_err, extra_err) =
                (format!("heading_{}", c.tag), format!("extra_{}", c.tag));
            view! {
                <details class="lang-texts">
                    <summary>
                        <span lang=c.tag.clone()>{c.name.clone()}</span>
                        {(c.heading.is_some() || c.extra.is_some()).then_some(" · own texts")}
                    </summary>
                    <div class="field" lang=c.tag.clone()>
                        <label for=heading_id.clone()>"Heading"</label>
                        <input
                            id=heading_id.clone()
                            name=format!("heading[{}]", c.tag)
                            value=c.heading.clone().unwrap_or_default()
                            placeholder=c.default_heading.clone()
                            aria-describedby=format!("{heading_id}-error")
                        />
                        <p id=format!("{heading_id}-error") class="field__error" aria-live="polite">
                            {error(heading_err)}
                        </p>
                    </div>
                    <div class="field" lang=c.tag.clone()>
                        <label for=extra_id.clone()>"Extra text"</label>
                        <input
                            id=extra_id.clone()
                            name=format!("extra[{}]", c.tag)
                            value=c.extra.clone().unwrap_or_default()
                            aria-describedby=format!("{extra_id}-error")
                        />
                        <p id=format!("{extra_id}-error") class="field__error" aria-live="polite">
                            {error(extra_err)}
                        </p>
                    </div>
                    <p>
                        <a
                            href=format!("/settings/preview?lang={}", c.tag)
                            target="_blank"
                            rel="noopener"
                        >
                            "Preview the sign-up in this language"
                        </a>
                    </p>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="languages" aria-labelledby="languages-title">
            <h2 id="languages-title">"Languages"</h2>
            <p>
                "Shoppers read the tracking page, the widget and the sign-up in their language: the one a link asks for ("
                <code>"?lang=de"</code>
                "), then the one they picked on the page, then their browser's, then the destination country's, then your default. The required consent text is always complete in every language."
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <div class="field">
                    <label for="default_language">"Default language"</label>
                    <select
                        id="default_language"
                        name="default_language"
                        aria-describedby="default_language-hint default_language-error"
                    >
                        {options}
                    </select>
                    <p id="default_language-hint" class="field__hint">
                        "The heading and extra text in the provider section are in this language. "
                        <a
                            href=format!("/settings/preview?lang={default}")
                            target="_blank"
                            rel="noopener"
                        >
                            "Preview the sign-up in it"
                        </a>
                    </p>
                    <p id="default_language-error" class="field__error" aria-live="polite">
                        {error("default_language".into())}
                    </p>
                </div>
                <fieldset class="checks" aria-describedby="offered-error">
                    <legend>"Languages shoppers may read"</legend>
                    {offered}
                    <p id="offered-error" class="field__error" aria-live="polite">
                        {error("offered".into())}
                    </p>
                </fieldset>
                <fieldset>
                    <legend>"Heading and extra text in other languages"</legend>
                    <p class="field__hint">
                        "Blank: your default language's texts (or the built-in heading in that language, when you have none)."
                    </p>
                    {texts}
                </fieldset>
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    "Save languages"
                </button>
            </ActionForm>
        </section>
    }
}
