//! Parsed values of what the feeding platform sends. Each type's only constructor validates,
//! so code holding one never re-checks it. Errors are short sentences meant for an API client;
//! the caller adds the field path.

use std::fmt;
use time::{Date, OffsetDateTime};

/// Why a value was refused; the REST layer names the field.
pub type ParseResult<T> = Result<T, String>;

fn clean_text(input: &str, max_chars: usize) -> ParseResult<String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(trimmed.to_owned())
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(input: &str) -> ParseResult<Self> {
                clean_text(input, $max).map(Self)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_newtype!(
    /// An ID from the merchant's own systems (order, shipment, ecommerce customer).
    ExternalId, 128);
text_newtype!(PersonName, 100);
text_newtype!(Carrier, 64);
text_newtype!(TrackingNumber, 64);
text_newtype!(City, 100);
text_newtype!(Location, 200);
text_newtype!(CheckpointMessage, 500);
text_newtype!(BrandName, 80);

/// A postal code as the shopper or the platform writes it: letters, digits, spaces and
/// hyphens, at most 16 characters (`SW1A 1AA`, `10115`, `94103-1234`, `1234 AB`). Compared
/// by [`Postcode::normalized`], so `sw1a1aa` matches `SW1A 1AA`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let s = input.trim();
        if s.is_empty() {
            return Err("must not be empty".into());
        }
        if s.chars().count() > 16
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            return Err("must be a postal code such as 10115 or SW1A 1AA".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Upper case, letters and digits only: what a look-up compares.
    pub fn normalized(&self) -> String {
        self.0
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    }
}

/// The carrier's own tracking page for a parcel: an http(s) address of at most 2,048
/// characters, without credentials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CarrierUrl(String);

impl CarrierUrl {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let s = input.trim();
        let bad = || {
            "must be an http(s) address such as https://www.ups.com/track?tracknum=1Z…".to_owned()
        };
        if s.is_empty() || s.len() > 2048 {
            return Err(bad());
        }
        let url = reqwest::Url::parse(s).map_err(|_| bad())?;
        if !matches!(url.scheme(), "http" | "https")
            || !url.has_host()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(bad());
        }
        Ok(Self(url.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ISO 3166-1 alpha-2, upper case, and a region `phonenumber` knows (so it can be the default
/// region for the shopper's phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode(phonenumber::country::Id);

impl CountryCode {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err("must be a two-letter ISO 3166-1 country code, such as US or DE".into());
        }
        code.parse::<phonenumber::country::Id>()
            .map(Self)
            .map_err(|_| format!("is not a known country code ({code})"))
    }

    pub fn id(self) -> phonenumber::country::Id {
        self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }
}

/// An email address, lightly checked (one `@`, a dotted domain, no spaces). Deliverability is
/// the SMS/email platform's business.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let s = input.trim();
        let bad = || Err("must be an email address such as ana@example.com".to_owned());
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad();
        }
        match s.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Self(s.to_owned()))
            }
            _ => bad(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", super::mask::email(&self.0))
    }
}

/// A phone number in E.164 form, parsed with the shipping country as the default region.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneE164(String);

impl PhoneE164 {
    pub fn parse(input: &str, default_region: Option<CountryCode>) -> ParseResult<Self> {
        let s = input.trim();
        if s.is_empty() || s.len() > 32 {
            return Err("must be a phone number".into());
        }
        // A leading + names the country; see `parse_mobile` for why the region must then
        // not be given.
        let default_region = default_region.filter(|_| !s.starts_with('+'));
        let number = phonenumber::parse(default_region.map(CountryCode::id), s).map_err(|_| {
            "is not a phone number we can read; include the country code, e.g. +1 415 555 2671"
                .to_owned()
        })?;
        if !phonenumber::is_valid(&number) {
            return Err("is not a valid phone number for its country".into());
        }
        Ok(Self(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `input` with the decimal digits of other scripts (Arabic-Indic, Devanagari, full-width,
/// ...) and the full-width plus as their ASCII forms, the way libphonenumber reads them.
fn ascii_digits(input: &str) -> String {
    /// The zero of each Unicode block of decimal digits a phone number is written in.
    const ZEROS: [u32; 22] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0xFF10,
    ];
    input
        .chars()
        .map(|c| {
            if c == '\u{FF0B}' {
                return '+';
            }
            let code = c as u32;
            ZEROS
                .iter()
                .find(|zero| (**zero..**zero + 10).contains(&code))
                .and_then(|zero| char::from_digit(code - zero, 10))
                .unwrap_or(c)
        })
        .collect()
}

impl fmt::Debug for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneE164({})", super::mask::phone(&self.0))
    }
}

/// Why a number a shopper typed cannot receive texts; [`PhoneError::message`] says it in
/// the shopper's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    TooShort,
    TooLong,
    Unreadable,
    /// Not a valid number of this country (ISO 3166-1, when known).
    InvalidFor(Option<String>),
    Landline,
    TollFree,
    PremiumRate,
    SharedCost,
    Uan,
    Voicemail,
    Pager,
    NotMobile,
}

impl PhoneError {
    /// Its message's id in `app/locales/`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "phone-empty",
            Self::TooShort => "phone-too-short",
            Self::TooLong => "phone-too-long",
            Self::Unreadable | Self::InvalidFor(None) => "phone-unreadable",
            Self::InvalidFor(Some(_)) => "phone-invalid-for",
            Self::Landline => "phone-landline",
            Self::TollFree => "phone-toll-free",
            Self::PremiumRate => "phone-premium-rate",
            Self::SharedCost => "phone-shared-cost",
            Self::Uan => "phone-uan",
            Self::Voicemail => "phone-voicemail",
            Self::Pager => "phone-pager",
            Self::NotMobile => "phone-not-mobile",
        }
    }

    /// The whole sentence for the shopper, in `lang`.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Self::InvalidFor(Some(country)) => lang.t_with(
                self.key(),
                &[(
                    "country",
                    crate::i18n::cldr::country_name(lang, country).into(),
                )],
            ),
            _ => lang.t(self.key()),
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(crate::i18n::Lang::EN))
    }
}

impl PhoneE164 {
    /// A number a shopper typed to receive text messages, read with `region` (the country
    /// picked next to the field) as the default. Only numbers that can receive texts pass:
    /// mobile numbers, and numbers a country does not tell apart from mobile ones.
    pub fn parse_mobile(input: &str, region: CountryCode) -> Result<Self, PhoneError> {
        use phonenumber::{ParseError, Type};
        // What libphonenumber reads, it reads here too: extensions, vanity letters
        // (1-800-FLOWERS), `tel:` and stray symbols around the number; digits of other
        // scripts (٤١٥, ४१५, full-width) are read as the digits they are.
        let s = ascii_digits(input.trim());
        if s.is_empty() {
            return Err(PhoneError::Empty);
        }
        if s.chars().count() > 64 {
            return Err(PhoneError::TooLong);
        }
        // With a leading +, the number names its own country. (The default region must not
        // be given then: phonenumber 0.3 would strip a leading 1 after +49 as if it were
        // the US trunk prefix.)
        let default_region = (!s.starts_with('+')).then(|| region.id());
        let number = phonenumber::parse(default_region, &s).map_err(|e| match e {
            ParseError::TooShortNsn | ParseError::TooShortAfterIdd => PhoneError::TooShort,
            ParseError::TooLong => PhoneError::TooLong,
            _ => PhoneError::Unreadable,
        })?;
        if !phonenumber::is_valid(&number) {
            let code = number.country().code();
            let country = crate::domain::countries::COUNTRIES
                .iter()
                .find(|(c, _, calling)| *c == region.as_str() && *calling == code)
                .map(|(c, _, _)| (*c).to_owned())
                .or_else(|| number.country().id().map(|id| id.as_ref().to_owned()));
            return Err(PhoneError::InvalidFor(country));
        }
        // Typed from the E.164 form: the number's own country decides, not the picked one.
        let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
        let number = phonenumber::parse(None, &e164).map_err(|_| PhoneError::Unreadable)?;
        match number.number_type(&phonenumber::metadata::DATABASE) {
            Type::Mobile | Type::FixedLineOrMobile | Type::PersonalNumber | Type::Voip => Ok(Self(
                number.format().mode(phonenumber::Mode::E164).to_string(),
            )),
            Type::FixedLine => Err(PhoneError::Landline),
            Type::TollFree => Err(PhoneError::TollFree),
            Type::PremiumRate => Err(PhoneError::PremiumRate),
            Type::SharedCost => Err(PhoneError::SharedCost),
            Type::Uan => Err(PhoneError::Uan),
            Type::Voicemail => Err(PhoneError::Voicemail),
            Type::Pager => Err(PhoneError::Pager),
            _ => Err(PhoneError::NotMobile),
        }
    }

    /// The country the number belongs to.
    pub fn country(&self) -> Option<CountryCode> {
        phonenumber::parse(None, &self.0)
            .ok()?
            .country()
            .id()
            .map(CountryCode)
    }
}

/// A calendar date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryDate(Date);

impl DeliveryDate {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(input.trim(), &format)
            .map(Self)
            .map_err(|_| "must be a date in the form YYYY-MM-DD".to_owned())
    }

    pub fn date(self) -> Date {
        self.0
    }

    pub fn to_iso(self) -> String {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        self.0.format(&format).expect("date formats")
    }
}

/// When a checkpoint happened: RFC 3339 with an offset, which is kept so the shopper sees the
/// carrier's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointTime(OffsetDateTime);

impl CheckpointTime {
    pub fn parse(input: &str) -> ParseResult<Self> {
        OffsetDateTime::parse(input.trim(), &time::format_description::well_known::Rfc3339)
            .map(Self)
            .map_err(|_| {
                "must be an RFC 3339 time with an offset, e.g. 2026-11-24T14:05:00+01:00".to_owned()
            })
    }

    pub fn from_parts(unix_ms: i64, offset_minutes: i64) -> Option<Self> {
        let offset = time::UtcOffset::from_whole_seconds((offset_minutes * 60) as i32).ok()?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(unix_ms as i128 * 1_000_000).ok()?;
        Some(Self(at.to_offset(offset)))
    }

    pub fn unix_ms(self) -> i64 {
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    pub fn offset_minutes(self) -> i64 {
        i64::from(self.0.offset().whole_minutes())
    }

    pub fn at(self) -> OffsetDateTime {
        self.0
    }
}

/// A CSS colour `#rrggbb`, safe to put into a style attribute, and dark enough to read on
/// white: headings, links and buttons use it as text, so it must reach WCAG's 4.5:1 contrast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccentColor(String);

/// WCAG 2.x minimum contrast for normal text (level AA).
const MIN_CONTRAST: f64 = 4.5;

impl AccentColor {
    pub fn parse(input: &str) -> ParseResult<Self> {
        let s = input.trim();
        let ok =
            s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !ok {
            return Err("must be a colour in the form #rrggbb".into());
        }
        let contrast = contrast_on_white(s);
        if contrast < MIN_CONTRAST {
            return Err(format!(
                "is too light to read on white (contrast {contrast:.1}:1, needs {MIN_CONTRAST}:1); pick a darker shade"
            ));
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// WCAG contrast ratio of `#rrggbb` against white.
fn contrast_on_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(code: &str) -> CountryCode {
        CountryCode::parse(code).unwrap()
    }

    #[test]
    fn shopper_phones_that_can_receive_texts() {
        let ok = [
            ("(415) 555-2671", "US", "+14155552671"),
            ("415.555.2671", "US", "+14155552671"),
            ("+1 415 555 2671", "DE", "+14155552671"),
            ("0151 12345678", "DE", "+4915112345678"),
            ("+49 151 12345678", "US", "+4915112345678"),
            ("07911 123456", "GB", "+447911123456"),
            ("+44 7911 123456", "GB", "+447911123456"),
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("  +33 6 12 34 56 78  ", "FR", "+33612345678"),
            // What libphonenumber accepts: an extension (dropped: texts go to the line),
            // digits of other scripts, stray symbols around the number.
            ("+1 (415) 555-0132 ext. 12", "US", "+14155550132"),
            ("٤١٥٥٥٥٠١٣٢", "US", "+14155550132"),
            ("۴۱۵۵۵۵۰۱۳۲", "US", "+14155550132"),
            ("＋１ ４１５ ５５５ ０１３２", "DE", "+14155550132"),
            ("tel: +1 415-555-0132 !", "US", "+14155550132"),
            ("(415) 555-0132.", "US", "+14155550132"),
        ];
        for (input, region, e164) in ok {
            assert_eq!(
                PhoneE164::parse_mobile(input, cc(region)).map(|p| p.as_str().to_owned()),
                Ok(e164.to_owned()),
                "{input} in {region}"
            );
        }
    }

    #[test]
    fn shopper_phones_that_cannot_receive_texts_say_why() {
        let bad = [
            ("", "US", "Enter your mobile number"),
            ("   ", "US", "Enter your mobile number"),
            (
                "1-800-FLOWERS",
                "US",
                "toll-free number, which cannot receive text",
            ),
            ("+1 900 555 0199", "US", "premium-rate number"),
            ("call me", "US", "could not read"),
            ("12", "US", "too short"),
            ("415 555", "US", "not a valid number for United States"),
            ("+1 415 555 2671 1234 5678", "US", "too long"),
            ("0151 12345678", "US", "United States"),
            ("(800) 555-0199", "US", "toll-free number"),
            ("0800 800 150", "GB", "toll-free number"),
            ("0844 800 1234", "GB", "cannot receive text messages"),
            ("030 12345678", "DE", "landline"),
            ("020 7946 0018", "GB", "landline"),
            ("01 42 68 53 00", "FR", "landline"),
            ("+999 1234567", "US", "could not read"),
            ("++--()", "US", "could not read"),
        ];
        for (input, region, says) in bad {
            let err = PhoneE164::parse_mobile(input, cc(region))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(says),
                "{input:?} in {region}: {err:?} lacks {says:?}"
            );
        }
    }

    #[test]
    fn text_fields_reject_empty_long_and_control() {
        assert!(ExternalId::parse("  ").is_err());
        assert!(ExternalId::parse(&"x".repeat(129)).is_err());
        assert!(ExternalId::parse("a\u{0}b").is_err());
        assert_eq!(ExternalId::parse(" 1001 ").unwrap().as_str(), "1001");
    }

    #[test]
    fn carrier_urls_are_web_addresses() {
        assert!(CarrierUrl::parse("https://www.ups.com/track?tracknum=1Z1").is_ok());
        for bad in [
            "",
            "javascript:alert(1)",
            "ftp://x.example",
            "https://u:p@x.example",
            "track",
        ] {
            assert!(CarrierUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn postcodes_compare_without_case_or_spacing() {
        let a = Postcode::parse(" sw1a 1aa ").unwrap();
        assert_eq!(a.as_str(), "sw1a 1aa");
        assert_eq!(a.normalized(), "SW1A1AA");
        assert_eq!(
            Postcode::parse("94103-1234").unwrap().normalized(),
            "941031234"
        );
        for bad in ["", "  ", "10115!", "<script>", &"1".repeat(17)] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::parse("de").unwrap().as_str(), "DE");
        for bad in ["", "D", "DEU", "1A", "ZZ", "d e"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn emails() {
        assert!(Email::parse("ana@example.com").is_ok());
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "a@b@c.com",
            "ana@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phones_use_the_shipping_country_as_default_region() {
        let us = CountryCode::parse("US").ok();
        let de = CountryCode::parse("DE").ok();
        assert_eq!(
            PhoneE164::parse("(415) 555-2671", us).unwrap().as_str(),
            "+14155552671"
        );
        assert_eq!(
            PhoneE164::parse("0151 23456789", de).unwrap().as_str(),
            "+4915123456789"
        );
        assert_eq!(
            PhoneE164::parse("+44 7400 123456", us).unwrap().as_str(),
            "+447400123456"
        );
        for bad in ["", "12", "hello", "+1 555", "0151 23456789"] {
            assert!(PhoneE164::parse(bad, us).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phone_and_email_debug_are_masked() {
        let p = PhoneE164::parse("+14155552671", None).unwrap();
        assert!(!format!("{p:?}").contains("5552671"));
        let e = Email::parse("ana.lopez@example.com").unwrap();
        assert!(!format!("{e:?}").contains("ana.lopez"));
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            DeliveryDate::parse("2026-11-27").unwrap().to_iso(),
            "2026-11-27"
        );
        for bad in ["", "27/11/2026", "2026-13-01", "2026-02-30"] {
            assert!(DeliveryDate::parse(bad).is_err(), "{bad:?}");
        }
        let t = CheckpointTime::parse("2026-11-24T14:05:00+01:00").unwrap();
        assert_eq!(t.offset_minutes(), 60);
        let back = CheckpointTime::from_parts(t.unix_ms(), t.offset_minutes()).unwrap();
        assert_eq!(back, t);
        for bad in ["", "2026-11-24 14:05", "2026-11-24T14:05:00", "yesterday"] {
            assert!(CheckpointTime::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn accent_colors() {
        assert_eq!(AccentColor::parse("#0F766E").unwrap().as_str(), "#0f766e");
        assert!(AccentColor::parse("#1d4ed8").is_ok());
        assert!(AccentColor::parse("#000000").is_ok());
        for bad in ["", "red", "#fff", "#ggg000", "#a1b2c3;x"] {
            assert!(AccentColor::parse(bad).is_err(), "{bad:?}");
        }
        // Readable on white or refused: yellow, light grey, white, a mid blue under 4.5:1.
        for light in ["#ffff00", "#a1b2c3", "#ffffff", "#3b82f6"] {
            let err = AccentColor::parse(light).unwrap_err();
            assert!(err.contains("too light"), "{light}: {err}");
        }
        assert!((contrast_on_white("#000000") - 21.0).abs() < 0.01);
        assert!((contrast_on_white("#ffffff") - 1.0).abs() < 0.01);
        assert!((contrast_on_white("#767676") - 4.54).abs() < 0.01);
    }
}
