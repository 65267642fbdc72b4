//! The store's languages: its default language, the languages its shoppers are offered, and
//! its consent heading and extra text in each language but the default (whose texts are the
//! heading and extra text saved with the provider). Tracking pages speak the language each
//! shopper is chosen (`i18n::choose`), among the offered ones.

use super::optional_text;
use crate::domain::settings::{LanguageChoiceView, LanguagesView};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg, Lang, StoreLangs};
use crate::ssr::consent::settings::{self, ConsentSettings, LangTexts};
use crate::ssr::merchants::MerchantId;
use crate::ssr::AppState;
use std::collections::HashMap;

/// What the settings page shows of the store's languages.
pub fn view(settings: &ConsentSettings) -> LanguagesView {
    LanguagesView {
        default: settings.langs.default.tag(),
        choices: Lang::all()
            .map(|lang| {
                let own = settings
                    .texts
                    .iter()
                    .find(|t| Lang::parse(&t.language) == Some(lang));
                LanguageChoiceView {
                    tag: lang.tag(),
                    name: lang.name(),
                    offered: settings.langs.offered.contains(&lang),
                    heading: own.and_then(|t| t.heading.clone()),
                    extra: own.and_then(|t| t.extra.clone()),
                    default_heading: lang.t_with(
                        "consent-heading",
                        &[("brand", settings.brand.as_str().into())],
                    ),
                }
            })
            .collect(),
    }
}

/// Saves the store's languages. `default` and every `offered` tag must be a language
/// Tracklight speaks; the default is always offered. Texts are plain text on one line
/// (headings up to 120 characters, extra texts up to 300, as in the provider section);
/// blank ones fall back to the default language's.
pub async fn save(
    state: &AppState,
    merchant: &MerchantId,
    default: &str,
    offered: &[String],
    headings: &HashMap<String, String>,
    extras: &HashMap<String, String>,
) -> Result<String, AppError> {
    let default_lang = Lang::parse(default)
        .ok_or_else(|| AppError::invalid("default_language", mt("error-default-language")))?;
    let mut langs = vec![default_lang];
    for tag in offered {
        let lang = Lang::parse(tag).ok_or_else(|| {
            AppError::invalid(
                "offered",
                mt_with(
                    "error-language-unknown",
                    &[("tag", Arg::from(format!("{tag:?}")))],
                ),
            )
        })?;
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    langs.sort();
    // The form holds the texts of every language but the current default, whose texts are
    // the provider section's. When the default changes, those move to the old default's
    // row, and the new default's become the provider section's.
    let current = settings::load(&state.db, &state.secrets, merchant)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)?;
    let old_default = current.langs.default;
    let mut all = Vec::new();
    for lang in Lang::all() {
        let tag = lang.tag();
        let texts = if lang == old_default {
            LangTexts {
                heading: current.heading.clone(),
                extra: current.extra.clone(),
                language: tag,
            }
        } else {
            let heading = headings.get(&tag).map(String::as_str).unwrap_or_default();
            let extra = extras.get(&tag).map(String::as_str).unwrap_or_default();
            LangTexts {
                heading: optional_text(&format!("heading_{tag}"), heading, 120)?,
                extra: optional_text(&format!("extra_{tag}"), extra, 300)?,
                language: tag,
            }
        };
        all.push((lang, texts));
    }
    let default_texts = (default_lang != old_default)
        .then(|| {
            all.iter()
                .find(|(l, _)| *l == default_lang)
                .map(|(_, t)| t.clone())
        })
        .flatten();
    let texts: Vec<LangTexts> = all
        .into_iter()
        .filter(|(l, _)| *l != default_lang)
        .map(|(_, t)| t)
        .collect();
    let count = langs.len();
    let store = StoreLangs {
        default: default_lang,
        offered: langs,
    };
    settings::save_languages(&state.db, merchant, &store, &texts, default_texts.as_ref())
        .await
        .map_err(AppError::internal)?;
    state.consent_settings.forget(merchant).await;
    Ok(mt_with(
        "done-languages-saved",
        &[
            ("offered", Arg::from(count)),
            ("total", Arg::from(Lang::all().count())),
            ("language", Arg::from(default_lang.name())),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    #[tokio::test]
    async fn a_store_offers_its_languages_with_its_texts() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let headings = HashMap::from([
            ("fr".to_owned(), "Des SMS d'Acme".to_owned()),
            ("de".to_owned(), "SMS von Acme".to_owned()),
        ]);
        save(
            &env.state,
            &merchant,
            "de",
            &["fr".into(), "de".into()],
            &headings,
            &HashMap::new(),
        )
        .await
        .unwrap();
        let settings = settings::load(&env.state.db, &env.state.secrets, &merchant)
            .await
            .unwrap()
            .unwrap();
        let (de, fr) = (Lang::parse("de").unwrap(), Lang::parse("fr").unwrap());
        assert_eq!(settings.langs.default, de);
        assert_eq!(settings.langs.offered, vec![de, fr]);
        assert_eq!(settings.texts_in(fr).0, Some("Des SMS d'Acme"));
        assert_eq!(
            settings.texts_in(de).0,
            Some("SMS von Acme"),
            "the new default's texts are the provider section's"
        );
        assert_eq!(settings.heading.as_deref(), Some("SMS von Acme"));
        let shown = view(&settings);
        assert_eq!(shown.default, "de");
        assert!(shown.choices.iter().any(|c| c.tag == "fr" && c.offered));
        assert!(shown.choices.iter().any(|c| c.tag == "ja" && !c.offered));

        for (default, offered, field) in [
            ("xx", vec![], "default_language"),
            ("en", vec!["klingon".to_owned()], "offered"),
        ] {
            match save(
                &env.state,
                &merchant,
                default,
                &offered,
                &HashMap::new(),
                &HashMap::new(),
            )
            .await
            {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{default} {offered:?}: {other:?}"),
            }
        }
        // A new default takes its texts along, and the old default keeps its own.
        let headings = HashMap::from([("fr".to_owned(), "Des SMS d'Acme".to_owned())]);
        save(
            &env.state,
            &merchant,
            "fr",
            &["de".into()],
            &headings,
            &HashMap::new(),
        )
        .await
        .unwrap();
        let after = settings::load(&env.state.db, &env.state.secrets, &merchant)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.langs.default, fr);
        assert_eq!(after.heading.as_deref(), Some("Des SMS d'Acme"));
        assert_eq!(after.texts_in(fr).0, Some("Des SMS d'Acme"));
        assert_eq!(
            after.texts_in(de).0,
            Some("SMS von Acme"),
            "German keeps its texts"
        );

        let long = HashMap::from([("ja".to_owned(), "x".repeat(121))]);
        assert!(matches!(
            save(&env.state, &merchant, "en", &[], &long, &HashMap::new()).await,
            Err(AppError::Invalid { field, .. }) if field == "heading_ja"
        ));
    }
}
