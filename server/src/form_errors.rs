//! A plain form post's error, on its way back to the page. Without WebAssembly a form posts
//! to its server function, and Leptos redirects back to the page with the error in the URL
//! (`__path`, `__err`), for the page to show next to the field. Anyone could write such a
//! URL, putting words of their choosing inside a real tracking page's consent block. So the
//! router seals the errors this server writes (authenticated encryption with the server's
//! key, bound to the function, for ten minutes), and a page sees only an error that opens;
//! any other is dropped. The seal also carries what the shopper typed (phone, country), so
//! the refused form comes back filled in, without the number appearing in the URL.

use app::ssr::request::FormEcho;
use app::ssr::secrets::SecretBox;
use axum::http::{header, HeaderValue, Uri};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// How long a sealed error can be shown.
const LIFETIME_MS: i64 = 10 * 60 * 1000;
/// The seal's associated data: a sealed merchant secret can never pass for one of these.
const PURPOSE: &str = "form-error";
/// Marks a sealed `__err`.
const SEALED: &str = "s.";

#[derive(Serialize, Deserialize)]
struct Sealed {
    /// The server function's path (`__path`).
    path: String,
    /// Leptos's encoding of the error (`__err`).
    err: String,
    expires_ms: i64,
    #[serde(default)]
    echo: FormEcho,
}

/// What a plain form post sent that is worth giving back: the phone and the country, a
/// look-up's order number.
pub fn echo_of(body: &[u8]) -> FormEcho {
    let mut echo = FormEcho::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value: String = value.chars().take(64).collect();
        match key.as_ref() {
            "phone" => echo.phone = Some(value),
            "country" => echo.country = Some(value),
            "order" => echo.order = Some(value),
            _ => {}
        }
    }
    echo
}

/// Seals the error in a form post's redirect (`Location`), if there is one.
pub fn seal_location(
    secrets: &SecretBox,
    location: &HeaderValue,
    echo: FormEcho,
    now_ms: i64,
) -> Option<HeaderValue> {
    let mut url = url::Url::parse(location.to_str().ok()?).ok()?;
    let (path, err) = error_params(url.query_pairs())?;
    let sealed = Sealed {
        path: path.clone(),
        err,
        expires_ms: now_ms + LIFETIME_MS,
        echo,
    };
    let json = serde_json::to_string(&sealed).ok()?;
    let token = secrets.seal(PURPOSE, &SecretString::from(json)).ok()?;
    let rest = other_params(url.query_pairs());
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        for (k, v) in &rest {
            query.append_pair(k, v);
        }
        query.append_pair("__path", &path);
        query.append_pair("__err", &format!("{SEALED}{token}"));
    }
    HeaderValue::from_str(url.as_str()).ok()
}

/// A page's URI with only an error this server sealed (opened again for Leptos), and what
/// the form sent; any other `__err` is dropped.
pub fn open_uri(secrets: &SecretBox, uri: &Uri, now_ms: i64) -> Option<(Uri, Option<FormEcho>)> {
    let query = uri.query()?;
    let pairs = || url::form_urlencoded::parse(query.as_bytes());
    let (path, err) = error_params(pairs())?;
    let opened = err
        .strip_prefix(SEALED)
        .and_then(|token| secrets.open(PURPOSE, token).ok())
        .and_then(|json| serde_json::from_str::<Sealed>(json.expose_secret()).ok())
        .filter(|s| s.path == path && s.expires_ms > now_ms);
    let mut rest: Vec<(String, String)> = other_params(pairs());
    let echo = opened.map(|s| {
        rest.push(("__path".into(), s.path));
        rest.push(("__err".into(), s.err));
        s.echo
    });
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(rest)
        .finish();
    let path_and_query = if query.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{query}", uri.path())
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Some((Uri::from_parts(parts).ok()?, echo))
}

fn error_params<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Option<(String, String)> {
    let (mut path, mut err) = (None, None);
    for (k, v) in pairs {
        match k.as_ref() {
            "__path" => path = Some(v.into_owned()),
            "__err" => err = Some(v.into_owned()),
            _ => {}
        }
    }
    Some((path?, err?))
}

fn other_params<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Vec<(String, String)> {
    pairs
        .filter(|(k, _)| k != "__path" && k != "__err")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `Location` of a response, for [`seal_location`].
pub fn location(response: &axum::response::Response) -> Option<&HeaderValue> {
    response.headers().get(header::LOCATION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretBox {
        SecretBox::from_base64(&SecretBox::generate_key()).unwrap()
    }

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_sealed_error_opens_once_for_its_page_and_a_forged_one_is_dropped() {
        let secrets = key();
        let location = HeaderValue::from_static(
            "http://h/t/TOKEN?lang=de&__path=%2Fapi%2Ffn%2Fsms_subscribe&__err=RVJS",
        );
        let echo = FormEcho {
            phone: Some("+1 415 555 0132".into()),
            country: Some("US".into()),
            order: None,
        };
        let sealed = seal_location(&secrets, &location, echo.clone(), NOW).unwrap();
        let sealed = sealed.to_str().unwrap();
        assert!(
            !sealed.contains("555"),
            "the phone is not readable in the URL"
        );
        assert!(sealed.contains("lang=de"), "other parameters stay");

        let uri: Uri = sealed.trim_start_matches("http://h").parse().unwrap();
        let (opened, got) = open_uri(&secrets, &uri, NOW + 1).unwrap();
        assert_eq!(got, Some(echo));
        let q = opened.query().unwrap();
        assert!(q.contains("__err=RVJS") && q.contains("lang=de"), "{q}");

        // Expired, another key, or written by hand: dropped, the rest kept.
        assert_eq!(
            open_uri(&secrets, &uri, NOW + LIFETIME_MS + 1).unwrap().1,
            None
        );
        assert_eq!(open_uri(&key(), &uri, NOW).unwrap().1, None);
        let forged: Uri = "/t/TOKEN?lang=de&__path=%2Fapi%2Ffn%2Fsms_subscribe&__err=Q2FsbCB1cw"
            .parse()
            .unwrap();
        let (cleaned, echo) = open_uri(&secrets, &forged, NOW).unwrap();
        assert_eq!(echo, None);
        assert_eq!(cleaned.to_string(), "/t/TOKEN?lang=de");
    }

    #[test]
    fn the_echo_takes_the_phone_and_country_only() {
        let echo = echo_of(b"token=t&phone=%2B1+415+555+0132&country=US&consent=yes");
        assert_eq!(echo.phone.as_deref(), Some("+1 415 555 0132"));
        assert_eq!(echo.country.as_deref(), Some("US"));
    }
}
