//! The shopper pages' language switcher.

use crate::i18n::Lang;
use leptos::prelude::*;

/// The language switcher: the store's languages, each named in itself. A plain form that
/// reloads the page in the chosen language when its button is pressed (the server remembers
/// the pick), with or without JavaScript. (Not on change: a page that reloads while the
/// shopper moves through the list by keyboard is a trap.)
#[component]
pub fn LanguageSwitcher(
    lang: Lang,
    languages: Vec<Lang>,
    /// What the page's own link carries and the new one must keep (the embed's `page` and
    /// `host`).
    keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    (languages.len() > 1).then(|| {
        let options = languages
            .into_iter()
            .map(|l| {
                view! {
                    <option value=l.tag() selected=l == lang lang=l.tag()>
                        {l.name()}
                    </option>
                }
            })
            .collect_view();
        view! {
            <form class="lang-switch" method="get">
                <label for="lang-switch">{lang.t("language-switcher-label")}</label>
                <select id="lang-switch" name="lang">
                    {options}
                </select>
                <input type="hidden" name="pick" value="1" />
                {keep
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button type="submit" class="button button--quiet">
                    {lang.t("language-switcher-submit")}
                </button>
            </form>
        }
    })
}
