//! Phone numbers as Klaviyo takes them: E.164 (`^\+[1-9]\d{1,14}$`), and the country a
//! number dials, which decides whether Klaviyo stores SMS consent for it (section 11 of
//! `klaviyo-api.md`: only numbers in supported countries). The country comes from the
//! calling code; inside the North American plan (+1) from the area code (Canada, US
//! territories and the Caribbean members are told apart from the 50 states).

/// A phone number in E.164 form. The only constructor checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phone(String);

impl Phone {
    pub(super) fn parse(text: &str) -> Option<Self> {
        let digits = text.strip_prefix('+')?;
        let ok = (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        ok.then(|| Self(text.to_owned()))
    }

    pub(super) fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 3166 alpha-2 code of the country the number dials, when known.
    pub(super) fn country(&self) -> Option<&'static str> {
        let digits = &self.0[1..];
        if let Some(national) = digits.strip_prefix('1') {
            return nanp_country(national);
        }
        (1..=3)
            .filter_map(|n| digits.get(..n))
            .find_map(|code| CALLING_CODES.iter().find(|(c, _)| *c == code))
            .map(|(_, iso)| *iso)
    }
}

/// Calling codes outside the North American plan (codes are prefix-free).
const CALLING_CODES: &[(&str, &str)] = &[
    ("7", "RU"),
    ("20", "EG"),
    ("27", "ZA"),
    ("30", "GR"),
    ("31", "NL"),
    ("32", "BE"),
    ("33", "FR"),
    ("34", "ES"),
    ("36", "HU"),
    ("39", "IT"),
    ("40", "RO"),
    ("41", "CH"),
    ("43", "AT"),
    ("44", "GB"),
    ("45", "DK"),
    ("46", "SE"),
    ("47", "NO"),
    ("48", "PL"),
    ("49", "DE"),
    ("51", "PE"),
    ("52", "MX"),
    ("54", "AR"),
    ("55", "BR"),
    ("56", "CL"),
    ("57", "CO"),
    ("58", "VE"),
    ("60", "MY"),
    ("61", "AU"),
    ("62", "ID"),
    ("63", "PH"),
    ("64", "NZ"),
    ("65", "SG"),
    ("66", "TH"),
    ("81", "JP"),
    ("82", "KR"),
    ("84", "VN"),
    ("86", "CN"),
    ("90", "TR"),
    ("91", "IN"),
    ("92", "PK"),
    ("212", "MA"),
    ("234", "NG"),
    ("254", "KE"),
    ("351", "PT"),
    ("352", "LU"),
    ("353", "IE"),
    ("354", "IS"),
    ("356", "MT"),
    ("357", "CY"),
    ("358", "FI"),
    ("359", "BG"),
    ("370", "LT"),
    ("371", "LV"),
    ("372", "EE"),
    ("380", "UA"),
    ("385", "HR"),
    ("386", "SI"),
    ("420", "CZ"),
    ("421", "SK"),
    ("852", "HK"),
    ("886", "TW"),
    ("966", "SA"),
    ("971", "AE"),
    ("972", "IL"),
    ("974", "QA"),
];

/// Canadian area codes.
const CANADA: &[&str] = &[
    "204", "226", "236", "249", "250", "257", "263", "273", "289", "306", "343", "354", "365",
    "367", "368", "382", "387", "403", "416", "418", "428", "431", "437", "438", "450", "460",
    "468", "474", "506", "514", "519", "548", "579", "581", "584", "587", "600", "604", "613",
    "639", "647", "672", "683", "705", "709", "742", "753", "778", "780", "782", "807", "819",
    "825", "867", "873", "879", "902", "905", "942",
];

/// Area codes of the plan's other members and of US territories (not "the 50 states").
const OTHER_NANP: &[(&str, &str)] = &[
    ("242", "BS"),
    ("246", "BB"),
    ("264", "AI"),
    ("268", "AG"),
    ("284", "VG"),
    ("340", "VI"),
    ("345", "KY"),
    ("441", "BM"),
    ("473", "GD"),
    ("649", "TC"),
    ("658", "JM"),
    ("664", "MS"),
    ("670", "MP"),
    ("671", "GU"),
    ("684", "AS"),
    ("721", "SX"),
    ("758", "LC"),
    ("767", "DM"),
    ("784", "VC"),
    ("787", "PR"),
    ("809", "DO"),
    ("829", "DO"),
    ("849", "DO"),
    ("868", "TT"),
    ("869", "KN"),
    ("876", "JM"),
    ("939", "PR"),
];

fn nanp_country(national: &str) -> Option<&'static str> {
    if national.len() != 10 || national.starts_with(['0', '1']) {
        return None;
    }
    let area = &national[..3];
    if CANADA.contains(&area) {
        return Some("CA");
    }
    Some(
        OTHER_NANP
            .iter()
            .find(|(a, _)| *a == area)
            .map_or("US", |(_, iso)| *iso),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_e164_parses() {
        for ok in ["+14155552671", "+447911123456", "+12", "+123456789012345"] {
            assert!(Phone::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "14155552671",
            "+04155552671",
            "+1234567890123456",
            "+1 415 555 2671",
            "+1-415-555-2671",
            "+",
            "+1",
            "",
        ] {
            assert!(Phone::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn countries_come_from_calling_and_area_codes() {
        let country = |p: &str| Phone::parse(p).unwrap().country();
        for (phone, iso) in [
            ("+14155552671", Some("US")),
            ("+15005550006", Some("US")),
            ("+16135550123", Some("CA")),
            ("+17875550123", Some("PR")),
            ("+18765550123", Some("JM")),
            ("+447911123456", Some("GB")),
            ("+353851234567", Some("IE")),
            ("+61412345678", Some("AU")),
            ("+5215512345678", Some("MX")),
            ("+4915112345678", Some("DE")),
            ("+141555526", None),
            ("+999123456", None),
        ] {
            assert_eq!(country(phone), iso, "{phone}");
        }
    }
}
