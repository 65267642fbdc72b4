//! Query strings as Klaviyo reads them: form-decoded (a raw `+` is a space, as in Django;
//! brackets may come raw or percent-encoded), `filter` expressions (`equals` and `any`, joined
//! by `and(...)` or commas, strings in `"…"` or `'…'`), the opaque paging cursors, and the
//! request log's copy of a query with the people in its filters masked.

use crate::mask;
use base64::Engine;

/// The decoded parameters of one query string, in order, each with its raw text.
#[derive(Debug, Default)]
pub(super) struct Params {
    pairs: Vec<(String, String, String)>,
}

impl Params {
    pub(super) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v), pair.to_owned())
            })
            .collect();
        Self { pairs }
    }

    /// The first value of `key`.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }

    /// The first parameter whose name is not in `allowed`.
    pub(super) fn unknown(&self, allowed: &[&str]) -> Option<&str> {
        self.pairs
            .iter()
            .map(|(k, _, _)| k.as_str())
            .find(|k| !allowed.contains(k))
    }

    /// This query with `page[cursor]` replaced by `cursor` (raw text otherwise kept).
    pub(super) fn with_cursor(&self, cursor: &str) -> String {
        self.pairs
            .iter()
            .filter(|(k, _, _)| k != "page[cursor]")
            .map(|(_, _, raw)| raw.clone())
            .chain(std::iter::once(format!("page%5Bcursor%5D={cursor}")))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-decoding with `+` as a space; malformed escapes stay as they are.
pub(super) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match bytes.get(i + 1..i + 3) {
                Some(&[h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                    out.push(hex_value(h) * 16 + hex_value(l));
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

/// One condition of a filter: `field` equals one of `values` (`equals` gives one value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Condition {
    pub field: String,
    pub values: Vec<String>,
}

/// Parses a filter whose conditions may only name `fields` (all of them ANDed).
pub(super) fn parse_filter(text: &str, fields: &[&str]) -> Result<Vec<Condition>, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        fields,
    };
    let mut out = Vec::new();
    loop {
        parser.expression(&mut out)?;
        parser.spaces();
        if parser.eat(',') {
            continue;
        }
        if parser.pos == parser.chars.len() {
            return Ok(out);
        }
        return Err(parser.unexpected());
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    fields: &'a [&'a str],
}

impl Parser<'_> {
    fn spaces(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.spaces();
        let found = self.chars.get(self.pos) == Some(&c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{c}' {}", self.at()))
        }
    }

    fn at(&self) -> String {
        match self.chars.get(self.pos) {
            Some(c) => format!("at '{c}' (position {})", self.pos),
            None => "at the end".to_owned(),
        }
    }

    fn unexpected(&self) -> String {
        format!("unexpected text {}", self.at())
    }

    fn word(&mut self) -> String {
        self.spaces();
        let start = self.pos;
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn expression(&mut self, out: &mut Vec<Condition>) -> Result<(), String> {
        let operator = self.word();
        if operator.is_empty() {
            return Err(format!("expected an operator {}", self.at()));
        }
        self.expect('(')?;
        match operator.as_str() {
            "and" => loop {
                self.expression(out)?;
                if self.eat(')') {
                    return Ok(());
                }
                self.expect(',')?;
            },
            "equals" => {
                let field = self.field()?;
                self.expect(',')?;
                let value = self.string()?;
                self.expect(')')?;
                out.push(Condition {
                    field,
                    values: vec![value],
                });
                Ok(())
            }
            "any" => {
                let field = self.field()?;
                self.expect(',')?;
                self.expect('[')?;
                let mut values = vec![self.string()?];
                while self.eat(',') {
                    values.push(self.string()?);
                }
                self.expect(']')?;
                self.expect(')')?;
                out.push(Condition { field, values });
                Ok(())
            }
            other => Err(format!(
                "the operator '{other}' is not supported here (use equals or any)"
            )),
        }
    }

    fn field(&mut self) -> Result<String, String> {
        let field = self.word();
        if self.fields.contains(&field.as_str()) {
            Ok(field)
        } else {
            Err(format!(
                "'{field}' is not a field this filter accepts (allowed: {})",
                self.fields.join(", ")
            ))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.spaces();
        let quote = match self.chars.get(self.pos) {
            Some(q @ ('"' | '\'')) => *q,
            _ => return Err(format!("expected a quoted string {}", self.at())),
        };
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.chars.get(self.pos) {
                None => return Err("a string is not closed".to_owned()),
                Some('\\') => {
                    if let Some(c) = self.chars.get(self.pos + 1) {
                        value.push(*c);
                    }
                    self.pos += 2;
                }
                Some(c) if *c == quote => {
                    self.pos += 1;
                    return Ok(value);
                }
                Some(c) => {
                    value.push(*c);
                    self.pos += 1;
                }
            }
        }
    }
}

const CURSOR_ENGINE: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The opaque `page[cursor]` for a page starting at `offset`.
pub(super) fn cursor(offset: usize) -> String {
    CURSOR_ENGINE.encode(format!("next::offset::{offset}"))
}

pub(super) fn offset_of(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(CURSOR_ENGINE.decode(cursor.trim_end_matches('=')).ok()?).ok()?;
    text.strip_prefix("next::offset::")?.parse().ok()
}

/// The query as the request log keeps it: filter values naming a person (email, phone)
/// masked inside the decoded `filter`; other personal parameters masked as [`mask::query`]
/// does.
pub(super) fn mask_query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if decode(k) == "filter" => format!("filter={}", mask_filter(&decode(v))),
            _ => mask::query(pair),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks every quoted value that follows the field name `email` or `phone_number`, even in
/// a filter that does not parse.
fn mask_filter(filter: &str) -> String {
    let mut out = String::with_capacity(filter.len());
    let mut field = String::new();
    let mut word = String::new();
    let mut chars = filter.chars();
    while let Some(c) = chars.next() {
        if c == '"' || c == '\'' {
            if !word.is_empty() {
                field = std::mem::take(&mut word);
            }
            let mut value = String::new();
            let mut closed = false;
            while let Some(v) = chars.next() {
                if v == '\\' {
                    value.push(v);
                    if let Some(escaped) = chars.next() {
                        value.push(escaped);
                    }
                } else if v == c {
                    closed = true;
                    break;
                } else {
                    value.push(v);
                }
            }
            let shown = match field.as_str() {
                "email" | "phone_number" => mask::field(&field, &value),
                _ => value,
            };
            out.push(c);
            out.push_str(&shown);
            if closed {
                out.push(c);
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if !word.is_empty() {
            field = std::mem::take(&mut word);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE_FIELDS: &[&str] = &["id", "email", "phone_number", "external_id"];

    fn cond(field: &str, values: &[&str]) -> Condition {
        Condition {
            field: field.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn filters_parse() {
        for (text, expected) in [
            (
                r#"equals(external_id,"cust_123")"#,
                vec![cond("external_id", &["cust_123"])],
            ),
            ("equals(email,'a@b.com')", vec![cond("email", &["a@b.com"])]),
            (
                r#" any( phone_number , ["+1415", '+44'] ) "#,
                vec![cond("phone_number", &["+1415", "+44"])],
            ),
            (
                r#"and(equals(id,"X"),equals(email,"a@b.com"))"#,
                vec![cond("id", &["X"]), cond("email", &["a@b.com"])],
            ),
            (
                r#"equals(id,"X"),equals(email,"it\"s")"#,
                vec![cond("id", &["X"]), cond("email", &["it\"s"])],
            ),
        ] {
            assert_eq!(parse_filter(text, PROFILE_FIELDS), Ok(expected), "{text}");
        }
    }

    #[test]
    fn bad_filters_are_refused() {
        for text in [
            "",
            "equals(external_id,cust_123)",
            r#"equals(first_name,"Ann")"#,
            r#"greater-than(created,2026-01-01T00:00:00Z)"#,
            r#"or(equals(id,"X"),equals(id,"Y"))"#,
            r#"equals(id,"X""#,
            r#"equals(id,"X)"#,
            r#"any(id,[])"#,
            r#"equals(id,"X") trailing"#,
        ] {
            assert!(parse_filter(text, PROFILE_FIELDS).is_err(), "{text}");
        }
    }

    #[test]
    fn queries_decode_raw_or_encoded() {
        let raw = Params::parse(Some(r#"filter=equals(email,"a@b.com")&page[size]=5"#));
        let encoded = Params::parse(Some(
            "filter=equals%28email%2C%22a%40b.com%22%29&page%5Bsize%5D=5",
        ));
        for p in [raw, encoded] {
            assert_eq!(p.get("filter"), Some(r#"equals(email,"a@b.com")"#));
            assert_eq!(p.get("page[size]"), Some("5"));
        }
        assert_eq!(decode("a+b%2Bc%zz%4"), "a b+c%zz%4");
        let p = Params::parse(Some("page%5Bcursor%5D=old&page[size]=2"));
        assert_eq!(p.with_cursor("new"), "page[size]=2&page%5Bcursor%5D=new");
        assert_eq!(p.unknown(&["page[size]"]), Some("page[cursor]"));
    }

    #[test]
    fn cursors_round_trip() {
        assert_eq!(offset_of(&cursor(40)), Some(40));
        assert_eq!(offset_of("bogus"), None);
    }

    #[test]
    fn the_log_masks_people_in_filters() {
        assert_eq!(
            mask_query("filter=equals%28phone_number%2C%22%2B14155552671%22%29&page[size]=1"),
            r#"filter=equals(phone_number,"+1*******671")&page[size]=1"#
        );
        assert_eq!(
            mask_query(r#"filter=any(email,["ana@example.com",'bo@example.com'])"#),
            r#"filter=any(email,["a***@example.com",'b***@example.com'])"#
        );
        assert_eq!(
            mask_query(r#"filter=equals(external_id,"cust_1")"#),
            r#"filter=equals(external_id,"cust_1")"#
        );
    }
}
