//! The shopper's language: which one a page speaks ([`Lang`], chosen by [`choose`]), and
//! what it says in it ([`Lang::t`]: Fluent messages from `app/locales/{tag}/shopper.ftl`).
//! Adding a language is adding one such file: the languages are the folders found there when
//! the app is built. Dates, times, country names and example phone numbers come from CLDR
//! and libphonenumber (`cldr`, on the server).
//!
//! Everything is rendered on the server: the shopper widget takes its texts from the page.

#[cfg(feature = "ssr")]
pub mod cldr;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::LanguageIdentifier;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Plain text: no Unicode isolation marks around placeables (the page sets `dir`).
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Every language a page can be in: English first, then by tag.
static LANGS: LazyLock<Vec<LanguageIdentifier>> = LazyLock::new(|| {
    use fluent_templates::Loader;
    let mut langs: Vec<LanguageIdentifier> = LOCALES.locales().cloned().collect();
    langs.sort_by_cached_key(|l| {
        let tag = l.to_string();
        (tag != "en", tag)
    });
    langs
});

/// A language Tracklight speaks. Written as its BCP 47 tag (`de`, `pt-BR`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// English: the language of the merchant pages, and the last fallback.
    pub const EN: Lang = Lang(0);

    /// Every supported language, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGS.len()).map(|i| Lang(i as u8))
    }

    fn id(self) -> &'static LanguageIdentifier {
        &LANGS[usize::from(self.0)]
    }

    /// The exact tag of a supported language (`pt-BR`; `pt-br` too): no guessing.
    pub fn parse(tag: &str) -> Option<Lang> {
        let wanted: LanguageIdentifier = tag.trim().parse().ok()?;
        LANGS
            .iter()
            .position(|l| *l == wanted)
            .map(|i| Lang(i as u8))
    }

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> String {
        self.id().to_string()
    }

    /// `rtl` or `ltr`, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self.id().character_direction() {
            unic_langid::CharacterDirection::RTL => "rtl",
            _ => "ltr",
        }
    }

    /// The language's own name ("Deutsch"), for the language switcher.
    pub fn name(self) -> String {
        self.t("language-name")
    }

    /// The message `key` in this language (or English when this language lacks it: the unit
    /// tests say no language does).
    pub fn t(self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The message `key` with its placeables filled in.
    pub fn t_with(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        self.lookup(key, Some(&args))
    }

    fn lookup(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        LOCALES
            .lookup_single_language(self.id(), key, args)
            .or_else(|_| LOCALES.lookup_single_language(Lang::EN.id(), key, args))
            .unwrap_or_else(|_| key.to_owned())
    }

    /// The message ids this language's file defines, read from the source tree (the tests
    /// compare them).
    #[cfg(any(test, feature = "testing"))]
    pub fn keys(self) -> Vec<String> {
        let path = format!(
            "{}/locales/{}/shopper.ftl",
            env!("CARGO_MANIFEST_DIR"),
            self.tag()
        );
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" ="))
            .map(|(key, _)| key.trim().to_owned())
            .collect()
    }
}

/// A merchant page's text: the message `key` from `locales/en/merchant*.ftl`. Merchant pages
/// speak English for now; their texts go through Fluent like the shoppers' so that
/// translating them is adding files.
pub fn mt(key: &str) -> String {
    Lang::EN.t(key)
}

/// A merchant page's text with its placeables filled in (see [`mt`]).
pub fn mt_with(key: &str, args: &[(&'static str, Arg)]) -> String {
    Lang::EN.t_with(key, args)
}

/// The disclosure's last sentence, around its two links ("See our [Terms] and [Privacy
/// Policy]."), in a language: the page makes links of `terms` and `privacy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSentence {
    pub before: String,
    pub terms: String,
    pub between: String,
    pub privacy: String,
    pub after: String,
}

impl Lang {
    /// [`LinkSentence`] in this language (its links may come in either order: `between` is
    /// then what comes between `privacy` and `terms`, and `terms_first` is false).
    pub fn link_sentence(self) -> (LinkSentence, bool) {
        const T: &str = "\u{1}";
        const P: &str = "\u{2}";
        let text = self.t_with(
            "disclosure-links",
            &[("terms", Arg::from(T)), ("privacy", Arg::from(P))],
        );
        let (t, p) = (text.find(T).unwrap_or(0), text.find(P).unwrap_or(0));
        let terms_first = t <= p;
        let (first, second) = if terms_first { (T, P) } else { (P, T) };
        let (before, rest) = text.split_once(first).unwrap_or((&text, ""));
        let (between, after) = rest.split_once(second).unwrap_or((rest, ""));
        (
            LinkSentence {
                before: before.to_owned(),
                terms: self.t("disclosure-terms"),
                between: between.to_owned(),
                privacy: self.t("disclosure-privacy"),
                after: after.to_owned(),
            },
            terms_first,
        )
    }

    /// The disclosure's statement in this language: every required element, in order.
    pub fn disclosure_statement(self, brand: &str) -> String {
        let mut out = String::new();
        for key in DISCLOSURE_ELEMENTS {
            let part = self.t_with(key, &[("brand", Arg::from(brand))]);
            // Languages that write without spaces between sentences (。) get none.
            if !out.is_empty() && !out.ends_with('。') {
                out.push(' ');
            }
            out.push_str(part.trim());
        }
        out
    }
}

/// The disclosure's required elements before its links, in the order they are shown.
pub const DISCLOSURE_ELEMENTS: [&str; 5] = [
    "disclosure-recurring",
    "disclosure-not-a-condition",
    "disclosure-frequency",
    "disclosure-rates",
    "disclosure-help-stop",
];

/// Every text placeable the messages use (`{ $count }` aside, a number).
#[cfg(any(test, feature = "testing"))]
pub const PLACEABLES: [&str; 20] = [
    "brand",
    "name",
    "order",
    "n",
    "delivered",
    "when",
    "date",
    "status",
    "phone",
    "masked",
    "example",
    "country",
    "countries",
    "terms",
    "privacy",
    "image_mb",
    "video_mb",
    "seconds",
    "megapixels",
    "percent",
];

#[cfg(any(test, feature = "testing"))]
impl Lang {
    /// The message `key` with every text placeable filled in by `mark(name)` and `count`
    /// with 7: what the tests look for its placeables and its own words by.
    pub fn t_marked(self, key: &str, mark: impl Fn(&str) -> String) -> String {
        let args: Vec<(&'static str, Arg)> = PLACEABLES
            .iter()
            .map(|name| (*name, Arg::Text(mark(name))))
            .chain([("count", Arg::Number(7))])
            .collect();
        self.t_with(key, &args)
    }
}

/// A placeable's value.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::EN
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.tag())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(deserializer)?;
        Lang::parse(&tag)
            .ok_or_else(|| serde::de::Error::custom(format!("unsupported language {tag:?}")))
    }
}

/// What the request says about the shopper's language, strongest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangPrefs {
    /// `?lang=` on the link (what a merchant's email can set, and the switcher's choice).
    pub query: Option<String>,
    /// The shopper's own earlier pick from the switcher (a cookie).
    pub picked: Option<String>,
    /// The browser's `Accept-Language`.
    pub accept_language: Option<String>,
}

/// The cookie that remembers the shopper's pick from the language switcher.
pub const LANG_COOKIE: &str = "tl_lang";

/// The store's side of the choice.
#[derive(Debug, Clone)]
pub struct StoreLangs {
    /// The store's default language.
    pub default: Lang,
    /// The languages the store offers (never empty; holds the default).
    pub offered: Vec<Lang>,
}

impl StoreLangs {
    /// A store that offers every language, English by default.
    pub fn all() -> Self {
        Self {
            default: Lang::EN,
            offered: Lang::all().collect(),
        }
    }

    /// From what is stored: the default tag and the offered tags (`de,fr`; none: all).
    /// Unknown tags are dropped; the default is always offered.
    pub fn from_stored(default: Option<&str>, offered: Option<&str>) -> Self {
        let default = default.and_then(Lang::parse).unwrap_or(Lang::EN);
        let mut langs: Vec<Lang> = match offered {
            Some(list) if !list.trim().is_empty() => {
                list.split(',').filter_map(Lang::parse).collect()
            }
            _ => Lang::all().collect(),
        };
        if !langs.contains(&default) {
            langs.push(default);
        }
        langs.sort();
        langs.dedup();
        Self {
            default,
            offered: langs,
        }
    }

    /// The offered tags as stored (`None` when every language is offered).
    pub fn stored_offered(&self) -> Option<String> {
        (self.offered.len() < Lang::all().count()).then(|| {
            self.offered
                .iter()
                .map(|l| l.tag())
                .collect::<Vec<_>>()
                .join(",")
        })
    }
}

/// The language of a shopper's page: `?lang=`, then the shopper's own pick, then the
/// browser's languages, then the language of the destination country (`country`: ISO
/// 3166-1, its most likely language by CLDR), then the store's default. Only languages the
/// store offers are chosen.
pub fn choose(prefs: &LangPrefs, store: &StoreLangs, country: Option<&str>) -> Lang {
    let offered = |tag: &str| Lang::parse(tag).filter(|l| store.offered.contains(l));
    if let Some(lang) = prefs.query.as_deref().and_then(offered) {
        return lang;
    }
    if let Some(lang) = prefs.picked.as_deref().and_then(offered) {
        return lang;
    }
    if let Some(lang) = prefs
        .accept_language
        .as_deref()
        .and_then(|header| best_match(&accepted(header), store))
    {
        return lang;
    }
    #[cfg(feature = "ssr")]
    if let Some(lang) = country
        .and_then(cldr::likely_language)
        .and_then(|likely| best_match(&[likely], store))
    {
        return lang;
    }
    #[cfg(not(feature = "ssr"))]
    let _ = country;
    store.default
}

/// `Accept-Language`'s languages, by their quality (`q=0` ones left out).
fn accepted(header: &str) -> Vec<LanguageIdentifier> {
    let mut weighted: Vec<(f32, usize, LanguageIdentifier)> = header
        .split(',')
        .take(16)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            let id = tag.parse::<LanguageIdentifier>().ok()?;
            (q > 0.0 && tag != "*").then_some((q, i, id))
        })
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    weighted.into_iter().map(|(_, _, id)| id).collect()
}

/// The first of `wanted` the store offers: the same language and region, else the same
/// language (`de-AT` → `de`, `pt-PT` → `pt-BR`).
fn best_match(wanted: &[LanguageIdentifier], store: &StoreLangs) -> Option<Lang> {
    for want in wanted {
        let same_language: Vec<Lang> = store
            .offered
            .iter()
            .copied()
            .filter(|l| l.id().language == want.language)
            .collect();
        if let Some(exact) = same_language.iter().find(|l| {
            l.id().region == want.region || want.region.is_none() && l.id().region.is_none()
        }) {
            return Some(*exact);
        }
        if let Some(first) = same_language.first() {
            return Some(*first);
        }
    }
    None
}

#[cfg(test)]
mod tests;
