//! What CLDR says about a language (ICU4X's compiled data): how dates and times are written,
//! with the checkpoint's own UTC offset; the countries' names; the most likely language of a
//! country. And libphonenumber's example mobile number of a country. Formatters are made
//! once per language.

use super::Lang;
use icu_calendar::{Date, Iso};
use icu_datetime::fieldsets::{self, zone::LocalizedOffsetShort, Combo};
use icu_datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu_locale::names::RegionDisplayName;
use icu_locale::Locale;
use icu_time::zone::UtcOffset;
use icu_time::{Time, ZonedDateTime, ZonedTime};
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// One language's formatters.
struct Formatters {
    /// "Friday, 27 November 2026" (an estimated delivery: a date only).
    long_date: DateTimeFormatter<fieldsets::YMDE>,
    /// "Tue, 24 Nov" (a checkpoint's day).
    short_date: DateTimeFormatter<fieldsets::MDE>,
    /// "14:05 GMT+1" (a checkpoint's time, where it happened, with its offset).
    time_zone: NoCalendarFormatter<Combo<fieldsets::T, LocalizedOffsetShort>>,
    /// "Tue, Nov 24, 2:05 PM GMT+1" (when a parcel was delivered, where it was).
    moment: DateTimeFormatter<Combo<fieldsets::MDET, LocalizedOffsetShort>>,
}

static FORMATTERS: LazyLock<Vec<OnceLock<Formatters>>> =
    LazyLock::new(|| Lang::all().map(|_| OnceLock::new()).collect());

fn locale(lang: Lang) -> Locale {
    Locale::try_from_str(&lang.tag()).unwrap_or(icu_locale::locale!("en"))
}

fn formatters(lang: Lang) -> &'static Formatters {
    FORMATTERS[usize::from(lang.0)].get_or_init(|| {
        let locale = locale(lang);
        Formatters {
            long_date: DateTimeFormatter::try_new((&locale).into(), fieldsets::YMDE::long())
                .expect("compiled data has every locale's date formats"),
            short_date: DateTimeFormatter::try_new((&locale).into(), fieldsets::MDE::medium())
                .expect("compiled data has every locale's date formats"),
            time_zone: NoCalendarFormatter::try_new(
                (&locale).into(),
                fieldsets::T::hm().with_zone(LocalizedOffsetShort),
            )
            .expect("compiled data has every locale's time formats"),
            moment: DateTimeFormatter::try_new(
                (&locale).into(),
                fieldsets::MDET::medium()
                    .with_time_precision(icu_datetime::options::TimePrecision::Minute)
                    .with_zone(LocalizedOffsetShort),
            )
            .expect("compiled data has every locale's date and time formats"),
        }
    })
}

fn iso_date(date: time::Date) -> Option<Date<Iso>> {
    Date::try_new_iso(date.year(), date.month() as u8, date.day()).ok()
}

/// A date as the language writes it in full, with its weekday.
pub fn long_date(lang: Lang, date: time::Date) -> String {
    match iso_date(date) {
        Some(d) => formatters(lang).long_date.format(&d).to_string(),
        None => date.to_string(),
    }
}

/// A moment where it happened: its short date ("Tue, 24 Nov"), and its time with the UTC
/// offset it happened at ("14:05 GMT+1").
pub fn local_moment(lang: Lang, at: time::OffsetDateTime) -> (String, String) {
    let f = formatters(lang);
    let Some(date) = iso_date(at.date()) else {
        return (at.date().to_string(), at.time().to_string());
    };
    let time =
        Time::try_new(at.hour(), at.minute(), at.second(), 0).unwrap_or(Time::start_of_day());
    let offset =
        UtcOffset::try_from_seconds(at.offset().whole_seconds()).unwrap_or(UtcOffset::zero());
    let zoned = ZonedTime { time, zone: offset };
    (
        f.short_date.format(&date).to_string(),
        f.time_zone.format(&zoned).to_string(),
    )
}

/// A moment where it happened, whole, as the language writes a date with a time and its UTC
/// offset ("Tue, Nov 24, 2:05 PM GMT+1").
pub fn local_date_time(lang: Lang, at: time::OffsetDateTime) -> String {
    let Some(date) = iso_date(at.date()) else {
        return at.to_string();
    };
    let time =
        Time::try_new(at.hour(), at.minute(), at.second(), 0).unwrap_or(Time::start_of_day());
    let zone =
        UtcOffset::try_from_seconds(at.offset().whole_seconds()).unwrap_or(UtcOffset::zero());
    formatters(lang)
        .moment
        .format(&ZonedDateTime { date, time, zone })
        .to_string()
}

/// A country's name in the language (its code when CLDR has none).
pub fn country_name(lang: Lang, code: &str) -> String {
    let Ok(region) = icu_locale::subtags::Region::try_from_str(code) else {
        return code.to_owned();
    };
    RegionDisplayName::new_light_with_fallback((&locale(lang)).into(), region).to_string()
}

/// The phone field's countries in the language: (code, "Deutschland (+49)"), sorted by name
/// as the language's readers look for it (accents and case aside).
pub fn country_options(lang: Lang) -> &'static [(&'static str, String)] {
    type Options = Vec<(&'static str, String)>;
    static OPTIONS: LazyLock<Vec<OnceLock<Options>>> =
        LazyLock::new(|| Lang::all().map(|_| OnceLock::new()).collect());
    OPTIONS[usize::from(lang.0)].get_or_init(|| {
        let collator = icu_collator::CollatorBorrowed::try_new(
            (&locale(lang)).into(),
            icu_collator::options::CollatorOptions::default(),
        )
        .expect("compiled data has every locale's collation");
        let mut options: Vec<(String, &'static str, String)> = crate::domain::countries::COUNTRIES
            .iter()
            .map(|(code, _, calling)| {
                let name = country_name(lang, code);
                let label = format!("{name} (+{calling})");
                (name, *code, label)
            })
            .collect();
        options.sort_by(|a, b| collator.compare(&a.0, &b.0));
        options
            .into_iter()
            .map(|(_, code, label)| (code, label))
            .collect()
    })
}

/// The most likely language of a country, by CLDR's likely subtags (`BR` → `pt-BR`).
pub fn likely_language(country: &str) -> Option<fluent_templates::LanguageIdentifier> {
    static EXPANDER: LazyLock<icu_locale::LocaleExpander> =
        LazyLock::new(icu_locale::LocaleExpander::new_common);
    static CACHE: LazyLock<std::sync::Mutex<HashMap<String, Option<String>>>> =
        LazyLock::new(Default::default);
    let country = country.trim().to_ascii_uppercase();
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let tag = cache
        .entry(country.clone())
        .or_insert_with(|| {
            let mut id: icu_locale::LanguageIdentifier = format!("und-{country}").parse().ok()?;
            EXPANDER.maximize(&mut id);
            (id.language != icu_locale::subtags::Language::UNKNOWN)
                .then(|| format!("{}-{}", id.language, country))
        })
        .clone();
    tag?.parse().ok()
}

/// An example mobile number of the country, as its people write it ("01512 3456789").
pub fn phone_example(country: &str) -> Option<String> {
    static CACHE: LazyLock<std::sync::Mutex<HashMap<String, Option<String>>>> =
        LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(country.to_owned())
        .or_insert_with(|| {
            let meta = phonenumber::metadata::DATABASE.by_id(country)?;
            let example = meta.descriptors().mobile()?.example()?;
            let id: phonenumber::country::Id = country.parse().ok()?;
            let number = phonenumber::parse(Some(id), example).ok()?;
            Some(
                number
                    .format()
                    .mode(phonenumber::Mode::National)
                    .to_string(),
            )
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_names_follow_cldr() {
        let de = Lang::parse("de").unwrap();
        let date = time::macros::date!(2026 - 11 - 27);
        assert_eq!(long_date(de, date), "Freitag, 27. November 2026");
        assert_eq!(long_date(Lang::EN, date), "Friday, November 27, 2026");
        let at = time::macros::datetime!(2026-11-24 14:05 +01:00);
        let (day, time) = local_moment(de, at);
        assert_eq!(day, "Di., 24. Nov.");
        assert_eq!(time, "14:05 MEZ".replace("MEZ", "GMT+1"));
        let (_, time) = local_moment(Lang::EN, time::macros::datetime!(2026-11-24 14:05 -05:00));
        assert_eq!(time, "2:05\u{202f}PM GMT-5");
        assert_eq!(country_name(de, "DE"), "Deutschland");
        assert_eq!(country_name(Lang::parse("ja").unwrap(), "DE"), "ドイツ");
        let options = country_options(de);
        let austria = options.iter().position(|(c, _)| *c == "AT").unwrap();
        let oman = options.iter().position(|(c, _)| *c == "OM").unwrap();
        let pakistan = options.iter().position(|(c, _)| *c == "PK").unwrap();
        assert!(
            oman < austria && austria < pakistan,
            "Österreich sorts with the O's"
        );
        // Swedish puts Å, Ä, Ö after Z: Österrike after Zimbabwe.
        let sv = country_options(Lang::parse("sv").unwrap());
        let at = sv.iter().position(|(c, _)| *c == "AT").unwrap();
        let zw = sv.iter().position(|(c, _)| *c == "ZW").unwrap();
        assert!(
            sv[at].1.starts_with("Österrike") && zw < at,
            "{:?}",
            &sv[zw..]
        );
        assert_eq!(
            local_date_time(Lang::EN, time::macros::datetime!(2026-11-24 14:05 +01:00)),
            "Tue, Nov 24, 2:05\u{202f}PM GMT+1"
        );
        assert_eq!(
            local_date_time(de, time::macros::datetime!(2026-11-24 14:05 +01:00)),
            "Di., 24. Nov., 14:05 GMT+1"
        );
        assert!(options[austria].1.starts_with("Österreich (+43)"));
    }

    #[test]
    fn a_country_has_a_likely_language_and_an_example_number() {
        assert_eq!(likely_language("DE").unwrap().to_string(), "de-DE");
        assert_eq!(likely_language("br").unwrap().to_string(), "pt-BR");
        assert_eq!(likely_language("EG").unwrap().to_string(), "ar-EG");
        assert!(likely_language("not a country").is_none());
        let example = phone_example("DE").unwrap();
        assert!(example.starts_with("015"), "{example}");
        assert!(phone_example("ZZ").is_none());
    }
}
