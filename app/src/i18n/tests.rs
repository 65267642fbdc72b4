use super::*;

/// A placeable's value that cannot be mistaken for text.
fn marker(name: &str) -> String {
    format!("⟦{name}⟧")
}

fn render(lang: Lang, key: &str) -> String {
    lang.t_marked(key, marker)
}

fn placeables(text: &str) -> Vec<&'static str> {
    PLACEABLES
        .iter()
        .copied()
        .filter(|name| text.contains(&marker(name)))
        .collect()
}

#[test]
fn the_languages_the_issue_asks_for_are_there() {
    let tags: Vec<String> = Lang::all().map(Lang::tag).collect();
    for wanted in [
        "en", "de", "fr", "es", "it", "nl", "pt-BR", "pl", "sv", "ja", "ar",
    ] {
        assert!(
            tags.contains(&wanted.to_owned()),
            "{wanted} missing: {tags:?}"
        );
    }
    assert_eq!(Lang::all().next(), Some(Lang::EN));
    assert_eq!(Lang::parse("ar").unwrap().dir(), "rtl");
    assert_eq!(Lang::parse("de").unwrap().dir(), "ltr");
    assert_eq!(Lang::parse("pt-br"), Lang::parse("pt-BR"));
    assert_eq!(Lang::parse("xx"), None);
}

/// Every language has every message English has, and no other; each with the same
/// placeables.
#[test]
fn every_language_has_every_message_with_its_placeables() {
    let english = Lang::EN.keys();
    assert!(
        english.len() > 100,
        "English has {} messages",
        english.len()
    );
    for lang in Lang::all() {
        let keys = lang.keys();
        let missing: Vec<_> = english.iter().filter(|k| !keys.contains(k)).collect();
        let extra: Vec<_> = keys.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty(), "{lang} misses {missing:?}");
        assert!(extra.is_empty(), "{lang} has unknown messages {extra:?}");
        for key in &english {
            let text = render(lang, key);
            assert_ne!(&text, key, "{lang} cannot read {key}");
            assert!(!text.trim().is_empty(), "{lang} {key} is empty");
            assert_eq!(
                placeables(&text),
                placeables(&render(Lang::EN, key)),
                "{lang} {key}: {text}"
            );
        }
    }
}

/// The consent disclosure has all its required elements in every language.
#[test]
fn every_language_has_the_whole_disclosure() {
    for lang in Lang::all() {
        let recurring = render(lang, "disclosure-recurring");
        assert!(recurring.contains(&marker("brand")), "{lang}: {recurring}");
        for key in [
            "disclosure-not-a-condition",
            "disclosure-frequency",
            "disclosure-rates",
            "disclosure-terms",
            "disclosure-privacy",
        ] {
            assert!(
                render(lang, key).chars().any(char::is_alphabetic),
                "{lang} {key}"
            );
        }
        let help_stop = render(lang, "disclosure-help-stop");
        assert!(
            help_stop.contains("HELP") && help_stop.contains("STOP"),
            "{lang}: the keywords carriers act on: {help_stop}"
        );
        let links = render(lang, "disclosure-links");
        assert!(
            links.contains(&marker("terms")) && links.contains(&marker("privacy")),
            "{lang}: {links}"
        );
    }
}

/// Messages whose word is the same in English and in the language.
const SAME_WORD: [(&str, &str); 1] = [("nl", "lookup-postcode")];

/// No message is left in English in another language (beyond placeables and the product's
/// name).
#[test]
fn no_language_is_english_in_disguise() {
    let english = Lang::EN.keys();
    for lang in Lang::all().filter(|l| *l != Lang::EN) {
        for key in &english {
            let en = render(Lang::EN, key);
            let words: String = en
                .replace("Tracklight", "")
                .split('⟦')
                .map(|part| part.split_once('⟧').map_or(part, |(_, rest)| rest))
                .collect();
            if !words.chars().any(char::is_alphabetic)
                || SAME_WORD.contains(&(lang.tag().as_str(), key.as_str()))
            {
                continue;
            }
            assert_ne!(render(lang, key), en, "{lang} {key} is English");
        }
    }
}

fn prefs(query: Option<&str>, picked: Option<&str>, accept: Option<&str>) -> LangPrefs {
    LangPrefs {
        query: query.map(str::to_owned),
        picked: picked.map(str::to_owned),
        accept_language: accept.map(str::to_owned),
    }
}

#[test]
fn the_language_is_chosen_in_the_order_the_issue_gives() {
    let all = StoreLangs::all();
    let lang = |tag: &str| Lang::parse(tag).unwrap();
    // ?lang= first, then the shopper's pick, then the browser, then the country, then the
    // store's default.
    assert_eq!(
        choose(&prefs(Some("fr"), Some("de"), Some("es")), &all, Some("IT")),
        lang("fr")
    );
    assert_eq!(
        choose(&prefs(None, Some("de"), Some("es")), &all, Some("IT")),
        lang("de")
    );
    assert_eq!(
        choose(&prefs(None, None, Some("es-MX,es;q=0.9")), &all, Some("IT")),
        lang("es")
    );
    assert_eq!(
        choose(&prefs(None, None, None), &all, Some("IT")),
        lang("it")
    );
    assert_eq!(
        choose(&prefs(None, None, None), &all, Some("BR")),
        lang("pt-BR")
    );
    assert_eq!(choose(&prefs(None, None, None), &all, None), Lang::EN);
    // Unknown or unoffered choices fall through.
    assert_eq!(
        choose(
            &prefs(Some("xx"), Some("??"), Some("zz, *")),
            &all,
            Some("DE")
        ),
        lang("de")
    );
    let store = StoreLangs::from_stored(Some("de"), Some("de,fr"));
    assert_eq!(store.offered.len(), 2);
    assert_eq!(
        choose(&prefs(Some("es"), None, Some("ja")), &store, Some("JP")),
        lang("de")
    );
    assert_eq!(
        choose(&prefs(None, None, Some("fr-CA")), &store, None),
        lang("fr")
    );
    // Quality decides, not order; q=0 means "not this".
    assert_eq!(
        choose(&prefs(None, None, Some("de;q=0.2, sv;q=0.8")), &all, None),
        lang("sv")
    );
    assert_eq!(
        choose(&prefs(None, None, Some("de;q=0")), &all, Some("SE")),
        lang("sv")
    );
    // pt-PT readers get the Portuguese there is.
    assert_eq!(
        choose(&prefs(None, None, Some("pt-PT")), &all, None),
        lang("pt-BR")
    );
    // The default is always offered.
    let store = StoreLangs::from_stored(Some("ja"), Some("de"));
    assert!(store.offered.contains(&lang("ja")));
    assert_eq!(store.stored_offered().as_deref(), Some("de,ja"));
    assert_eq!(StoreLangs::all().stored_offered(), None);
}
