//! The shopper's language, through HTTP: which language a page speaks, what it remembers,
//! that a consent is recorded in the language it was shown in, and a scan of every shopper
//! page in every language for untranslated keys or English left behind.

mod common;

use app::i18n::{cldr, Lang};
use app::ssr::merchants;
use common::*;
use serde_json::json;
use std::collections::HashMap;

on_both_backends!(
    pages_speak_the_shoppers_language,
    a_consent_is_kept_in_its_language
);

fn lang(tag: &str) -> Lang {
    Lang::parse(tag).unwrap()
}

/// An order shipping to Berlin, with a checkpoint at Berlin's local time.
async fn berlin_order(app: &TestApp, id: &str) -> serde_json::Value {
    let mut body = order_body(&format!("{id}-1"));
    body["customer"]["id"] = json!(format!("cust-{id}"));
    body["customer"]["shipping_country"] = json!("DE");
    body["customer"]["shipping_city"] = json!("Berlin");
    body["customer"]["phone"] = json!("+49 1512 3456789");
    let order = app.put_order(id, &body).await;
    let cp = json!({"checkpoints": [{"time": "2026-11-24T14:05:00+01:00", "location": "Berlin", "message": "Paketzentrum 0815", "status": "in_transit"}]});
    let resp = app
        .post_json(
            &format!("/api/v1/shipments/{id}-1/checkpoints"),
            &app.api_key,
            &cp,
        )
        .await;
    assert!(resp.status().is_success(), "checkpoint: {}", resp.status());
    order
}

async fn page(
    app: &TestApp,
    url: &str,
    headers: &[(&str, &str)],
) -> (reqwest::header::HeaderMap, String) {
    let mut req = app.client.get(url);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200, "{url}");
    let headers = resp.headers().clone();
    (headers, resp.text().await.unwrap())
}

fn html_lang(html: &str) -> (String, String) {
    let re = regex::Regex::new(r#"<html lang="([^"]+)" dir="([^"]+)""#).unwrap();
    let caps = re.captures(html).expect("<html lang dir>");
    (caps[1].to_owned(), caps[2].to_owned())
}

async fn store_languages(app: &TestApp, default: &str, offered: &[&str]) {
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let offered: Vec<String> = offered.iter().map(|t| (*t).to_owned()).collect();
    app::ssr::merchant_settings::languages::save(
        &app.state,
        &merchant,
        default,
        &offered,
        &HashMap::new(),
        &HashMap::new(),
    )
    .await
    .unwrap();
}

async fn pages_speak_the_shoppers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    let order = berlin_order(&app, "501").await;
    let url = order["shipments"][0]["tracking_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let de = lang("de");

    // A German browser: German words, German dates, the checkpoint at Berlin's time with
    // its offset.
    let (headers, html) = page(
        &app,
        &url,
        &[("accept-language", "de-DE,de;q=0.9,en;q=0.5")],
    )
    .await;
    assert_eq!(html_lang(&html), ("de".into(), "ltr".into()));
    for expected in [
        de.t("shipment-updates"),
        de.t("status-in-transit"),
        cldr::long_date(de, time::macros::date!(2026 - 11 - 27)),
        cldr::local_moment(de, time::macros::datetime!(2026-11-24 14:05 +01:00)).1,
        "Berlin, Deutschland".to_owned(),
        de.disclosure_statement("Acme"),
    ] {
        assert!(
            html.contains(&expected),
            "the German page lacks {expected:?}"
        );
    }
    assert!(html.contains("14:05"), "a 24-hour clock in German");
    assert!(
        html.contains(r#"name="lang" value="de""#),
        "the form says its language"
    );
    let vary = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(",");
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{vary}"
    );

    // The link's ?lang= wins over the browser; Arabic is right to left.
    let (_, html) = page(
        &app,
        &format!("{url}?lang=fr"),
        &[("accept-language", "de")],
    )
    .await;
    assert_eq!(html_lang(&html).0, "fr");
    assert!(html.contains(&lang("fr").t("shipment-updates")));
    let (_, html) = page(&app, &format!("{url}?lang=ar"), &[]).await;
    assert_eq!(html_lang(&html), ("ar".into(), "rtl".into()));
    // "Refresh" stays in the language (and, in the widget, in the widget).
    assert!(
        html.contains("?lang=ar\" class=\"button button--quiet\""),
        "the refresh link keeps the language"
    );
    // The widget takes its host page's ?lang= (a merchant's email links to that page).
    let token = token_of(&order);
    let host_page = "https://shop.example/track?tracklight=x&lang=fr";
    let embed = app.url(&format!(
        "/embed/t/{token}?host=https%3A%2F%2Fshop.example&page={}",
        url::form_urlencoded::byte_serialize(host_page.as_bytes()).collect::<String>()
    ));
    let (_, html) = page(&app, &embed, &[("accept-language", "de")]).await;
    assert_eq!(html_lang(&html).0, "fr");
    assert!(
        html.contains(&format!("href=\"/embed/t/{token}?lang=fr&amp;page=")),
        "refresh stays in the widget"
    );

    // Nothing said: the destination country's language.
    let (_, html) = page(&app, &url, &[]).await;
    assert_eq!(html_lang(&html).0, "de");

    // The switcher's pick is remembered, and comes before the browser's languages.
    let resp = app
        .client
        .get(format!("{url}?lang=sv&pick=1"))
        .send()
        .await
        .unwrap();
    let cookie = resp
        .headers()
        .get("set-cookie")
        .expect("the pick is remembered")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("tl_lang=sv;") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let (_, html) = page(
        &app,
        &url,
        &[("cookie", "tl_lang=sv"), ("accept-language", "de")],
    )
    .await;
    assert_eq!(html_lang(&html).0, "sv");

    // A store offering English and German only: other choices fall through to what it offers.
    store_languages(&app, "en", &["de"]).await;
    let (_, html) = page(
        &app,
        &format!("{url}?lang=ja"),
        &[("accept-language", "fr, de;q=0.5")],
    )
    .await;
    assert_eq!(html_lang(&html).0, "de");
    let (_, html) = page(&app, &url, &[("accept-language", "ja")]).await;
    assert_eq!(
        html_lang(&html).0,
        "de",
        "the destination's language, offered"
    );
    assert!(html.contains(r#"<option value="en""#) && !html.contains(r#"<option value="fr""#));

    // The look-up page speaks it too, and so does "not found".
    let store = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let (_, html) = page(
        &app,
        &app.url(&format!("/track/{}", store.as_str())),
        &[("accept-language", "de")],
    )
    .await;
    assert_eq!(html_lang(&html).0, "de");
    assert!(html.contains(&de.t("lookup-title")));
    let resp = app
        .client
        .get(app.url("/t/AAAAAAAAAAAAAAAAAAAAAA"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let html = resp.text().await.unwrap();
    assert_eq!(html_lang(&html).0, "fr");
    assert!(html.contains(&lang("fr").t("not-found-title")));
}

/// The form's hidden fields and the country, as the page renders them.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r#"<input type="hidden" name="([a-z_]+)" value="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .filter(|(name, _)| ["token", "key", "disclosure", "lang"].contains(&name.as_str()))
        .collect()
}

async fn a_consent_is_kept_in_its_language(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    let order = berlin_order(&app, "502").await;
    let url = order["shipments"][0]["tracking_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let de = lang("de");
    let (_, html) = page(&app, &url, &[("accept-language", "de")]).await;
    let mut fields = form_fields(&html);
    assert_eq!(fields.len(), 4, "{fields:?}");
    fields.push(("country".into(), "DE".into()));
    fields.push(("phone".into(), "01512 3456780".into()));
    // Unticked: refused in German.
    let resp = app.subscribe(&fields).await;
    assert_eq!(resp.status(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["Invalid"]["message"], de.t("error-consent-unticked"));
    fields.push(("consent".into(), "yes".into()));
    let resp = app.subscribe(&fields).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    #[derive(sqlx::FromRow)]
    struct Kept {
        language: String,
        disclosure: String,
        disclosure_sha256: String,
    }
    let kept: Kept =
        sqlx::query_as("SELECT language, disclosure, disclosure_sha256 FROM consent_proofs")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(kept.language, "de");
    assert!(
        kept.disclosure.contains(&de.disclosure_statement("Acme")),
        "{}",
        kept.disclosure
    );
    let shown_hash = fields
        .iter()
        .find(|(n, _)| n == "disclosure")
        .unwrap()
        .1
        .clone();
    assert_eq!(
        kept.disclosure_sha256, shown_hash,
        "the hash of the text shown"
    );

    // The consent log's CSV says the language.
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let entries = app::ssr::consent_log::entries(&app.state.db, &merchant, None, 10)
        .await
        .unwrap();
    let csv = app::ssr::consent_log::to_csv(&entries);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",language"));
    assert!(lines.next().unwrap().ends_with(",de"), "{csv}");
}

/// What a page says: its text and the texts in its attributes, without tags, and without what
/// is not Tracklight's to translate (carriers' messages, brand, places).
fn said(html: &str) -> String {
    let body = html.split("<body>").nth(1).unwrap_or(html);
    let attrs =
        regex::Regex::new(r#"(?:aria-label|data-[a-z-]+|placeholder|title|content)="([^"]*)""#)
            .unwrap();
    let mut out: Vec<String> = attrs.captures_iter(html).map(|c| c[1].to_owned()).collect();
    let script = regex::Regex::new(r"(?s)<script.*?</script>").unwrap();
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    out.push(
        tags.replace_all(&script.replace_all(body, " "), " \n ")
            .into_owned(),
    );
    out.join("\n")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

/// Every English message's literal words (its text between placeables), long enough to mean
/// something: none of them may show on another language's page unless that language says
/// the same.
fn marked(lang: Lang, key: &str) -> String {
    lang.t_marked(key, |_| "\u{1}".to_owned())
}

fn english_phrases() -> Vec<(String, String)> {
    let mut phrases = Vec::new();
    for key in Lang::EN.keys() {
        for part in marked(Lang::EN, &key).split('\u{1}') {
            let part = part.trim().trim_matches(|c: char| !c.is_alphanumeric());
            if part.contains(' ') && part.len() >= 10 && part != "Tracking by Tracklight" {
                phrases.push((key.clone(), part.to_owned()));
            }
        }
    }
    phrases
}

/// Every shopper page (the tracking page with the sign-up, a multi-parcel order, a delivered
/// parcel, a signed-up shopper's page, the embed, the look-up page, "not found"), in every
/// language: no message id shows, and no English phrase is left behind.
#[tokio::test]
async fn every_shopper_page_in_every_language_is_translated() {
    let app = spawn_app(Backend::Sqlite).await;
    app.connect_sms(&app.api_key).await;
    let offer = berlin_order(&app, "601").await;
    let mut multi = order_body("602-1");
    multi["customer"]["id"] = json!("cust-602");
    multi["shipments"] = json!([
        {"id": "602-1", "carrier": "DHL", "tracking_number": "JJD01", "estimated_delivery": "2026-11-27"},
        {"id": "602-2", "carrier": "DHL", "tracking_number": "JJD02"}
    ]);
    let multi = app.put_order("602", &multi).await;
    let delivered = berlin_order(&app, "603").await;
    let cp = json!({"checkpoints": [{"time": "2026-11-25T16:20:00+01:00", "message": "Zugestellt 1", "status": "delivered"}]});
    app.post_json("/api/v1/shipments/603-1/checkpoints", &app.api_key, &cp)
        .await;
    let signed = berlin_order(&app, "604").await;
    let token = token_of(&signed);
    let form = app.consent_form(&token, "+49 1512 3456781").await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    let store = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();

    let url = |order: &serde_json::Value| {
        order["shipments"][0]["tracking_url"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let pages = [
        (url(&offer), 200),
        (url(&multi), 200),
        (url(&delivered), 200),
        (url(&signed), 200),
        (app.url(&format!("/embed/t/{}", token_of(&offer))), 200),
        (app.url(&format!("/track/{}", store.as_str())), 200),
        (app.url("/t/AAAAAAAAAAAAAAAAAAAAAA"), 404),
    ];
    let phrases = english_phrases();
    assert!(phrases.len() > 60, "{} phrases", phrases.len());
    // Ids that are not also words ("carrier" is both).
    let keys: Vec<(String, regex::Regex)> = Lang::EN
        .keys()
        .into_iter()
        .filter(|k| k.contains('-'))
        .map(|k| {
            let word = regex::Regex::new(&format!(r"(^|[^\w-]){}($|[^\w-])", regex::escape(&k)));
            (k, word.unwrap())
        })
        .collect();
    let scan = |page_url: &str, language: Lang, html: &str| {
        let tag = language.tag();
        assert_eq!(html_lang(html).0, tag, "{page_url}");
        let text = said(html);
        for (key, word) in &keys {
            assert!(
                !word.is_match(&text),
                "{page_url} in {tag} shows the id {key}"
            );
        }
        assert!(
            !text.contains("Unknown localization"),
            "{page_url} in {tag}"
        );
        if language == Lang::EN {
            return;
        }
        for (key, phrase) in &phrases {
            let own = marked(language, key);
            if text.contains(phrase.as_str()) && !own.contains(phrase.as_str()) {
                panic!("{page_url} in {tag}: English left behind ({key}): {phrase:?}");
            }
        }
    };
    let refusal = regex::Regex::new(r#"id="sms-phone-error"[^>]*>([^<]*)<"#).unwrap();
    for language in Lang::all() {
        let tag = language.tag();
        for (page_url, status) in &pages {
            let sep = if page_url.contains('?') { '&' } else { '?' };
            let resp = app
                .client
                .get(format!("{page_url}{sep}lang={tag}"))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), *status, "{page_url} in {tag}");
            scan(page_url, language, &resp.text().await.unwrap());
        }
        // A refused plain form post comes back with its error, in the page's language.
        let page_url = format!("{}?lang={tag}", url(&offer));
        let html = app
            .client
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut fields = form_fields(&html);
        fields.extend([
            ("country".to_owned(), "DE".to_owned()),
            ("phone".to_owned(), "12".to_owned()),
            ("consent".to_owned(), "yes".to_owned()),
        ]);
        let resp = app
            .client
            .post(app.url("/api/fn/sms_subscribe"))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", &page_url)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "back on the page");
        let html = resp.text().await.unwrap();
        let shown = refusal
            .captures(&html)
            .map(|c| c[1].to_owned())
            .unwrap_or_default();
        let expected = app::domain::inputs::PhoneE164::parse_mobile(
            "12",
            app::domain::inputs::CountryCode::parse("DE").unwrap(),
        )
        .unwrap_err()
        .message(language);
        assert_eq!(
            shown.replace("&#x27;", "'"),
            expected,
            "the refusal in {tag}"
        );
        scan(&page_url, language, &html);
    }
}
