//! The store's languages: the default, those shoppers are offered, and the consent heading
//! and extra text in each (the default language's are the provider section's).

use super::super::fields::error_for;
use crate::api::SaveLanguages;
use crate::domain::settings::SettingsView;
use crate::i18n::mt;
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
                        {(c.heading.is_some() || c.extra.is_some())
                            .then(|| format!(" {}", mt("settings-languages-own-texts")))}
                    </summary>
                    <div class="field" lang=c.tag.clone()>
                        <label for=heading_id
                            .clone()>{mt("settings-languages-heading-label")}</label>
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
                        <label for=extra_id.clone()>{mt("settings-languages-extra-label")}</label>
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
                            {mt("settings-languages-preview")}
                        </a>
                    </p>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="languages" aria-labelledby="languages-title">
            <h2 id="languages-title">{mt("settings-languages-heading")}</h2>
            <p>
                {mt("settings-languages-intro")} <code>"?lang=de"</code>
                {mt("settings-languages-intro-end")}
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <div class="field">
                    <label for="default_language">{mt("settings-languages-default-label")}</label>
                    <select
                        id="default_language"
                        name="default_language"
                        aria-describedby="default_language-hint default_language-error"
                    >
                        {options}
                    </select>
                    <p id="default_language-hint" class="field__hint">
                        {mt("settings-languages-default-hint")}
                        " "
                        <a
                            href=format!("/settings/preview?lang={default}")
                            target="_blank"
                            rel="noopener"
                        >
                            {mt("settings-languages-preview-default")}
                        </a>
                    </p>
                    <p id="default_language-error" class="field__error" aria-live="polite">
                        {error("default_language".into())}
                    </p>
                </div>
                <fieldset class="checks" aria-describedby="offered-error">
                    <legend>{mt("settings-languages-offered-legend")}</legend>
                    {offered}
                    <p id="offered-error" class="field__error" aria-live="polite">
                        {error("offered".into())}
                    </p>
                </fieldset>
                <fieldset>
                    <legend>{mt("settings-languages-texts-legend")}</legend>
                    <p class="field__hint">{mt("settings-languages-texts-hint")}</p>
                    {texts}
                </fieldset>
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    {mt("settings-languages-save")}
                </button>
            </ActionForm>
        </section>
    }
}
