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

/// The ids of the messages a Fluent file defines.
fn defined_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" ="))
        .map(|(key, _)| key.trim().to_owned())
        .collect()
}

/// The Rust sources under `dir`, as (path, text).
fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

/// The message id of every call of `mt` or `mt_with` with a literal id in `text`.
fn merchant_calls(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in ["mt(", "mt_with("] {
        for (at, _) in text.match_indices(call) {
            // Not the end of a longer name (`fmt(`).
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let Some(rest) = text[at + call.len()..].trim_start().strip_prefix('"') else {
                continue; // an id held in a variable: its literal is looked for below
            };
            keys.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    keys
}

/// The merchant pages' texts go through Fluent too (`mt`): every id the code asks for is
/// defined in `locales/en/merchant*.ftl`, every message there is used, and no id is defined
/// twice among all of English's files (Fluent would keep only one).
#[test]
fn every_merchant_text_the_code_asks_for_is_a_message() {
    let locales = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
    let mut defined: Vec<String> = Vec::new();
    let mut merchant: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&locales).unwrap() {
        let path = entry.unwrap().path();
        let keys = defined_keys(&std::fs::read_to_string(&path).unwrap());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("merchant") {
            merchant.extend(keys.iter().cloned());
        }
        defined.extend(keys);
    }
    assert!(merchant.len() > 250, "{} merchant messages", merchant.len());
    let mut seen = std::collections::HashSet::new();
    let twice: Vec<&String> = defined.iter().filter(|k| !seen.insert(*k)).collect();
    assert!(twice.is_empty(), "defined twice: {twice:?}");

    let mut code = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut code,
    );
    code.retain(|(path, _)| !path.ends_with("i18n/tests.rs"));
    let undefined: Vec<(String, &String)> = code
        .iter()
        .flat_map(|(path, text)| merchant_calls(text).into_iter().map(move |k| (k, path)))
        .filter(|(key, _)| !merchant.contains(key))
        .collect();
    assert!(
        undefined.is_empty(),
        "asked for but not in merchant*.ftl: {undefined:?}"
    );
    // Used: called, or named in a table the code reads ids from.
    let unused: Vec<&String> = merchant
        .iter()
        .filter(|key| {
            let literal = format!("\"{key}\"");
            !code.iter().any(|(_, text)| text.contains(&literal))
        })
        .collect();
    assert!(unused.is_empty(), "never asked for: {unused:?}");
    // And a message reads as its English text, not its id.
    assert_eq!(mt("settings-save"), "Save");
    assert_eq!(
        mt_with(
            "settings-signed-in-as",
            &[("email", Arg::from("a@b.example"))]
        ),
        "Signed in as a@b.example"
    );
}
