//! What the shopper widget's islands do in the browser besides Leptos views: post a
//! server-rendered form to its server function, read the JSON answer, fetch a fresh copy of
//! the page, show a field's error on server-rendered markup.
//!
//! It uses the browser's own `fetch` and JSON parser rather than the server-function client
//! and serde_json: the requests and answers are the same (`/api/fn/...`, form-encoded in,
//! JSON out), and the widget's WebAssembly stays small (serde_json alone would add about
//! 24 KB gzip to it; see BENCHMARKS.md). Only the `hydrate` build has this module.

use crate::domain::AppError;
use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, FormData, Headers, HtmlFormElement, RequestInit, Response,
    SupportedType, UrlSearchParams,
};

/// Posts `form` (every field, as a plain form post would) to its `action`, asking for JSON.
/// The answer's JSON on success; the server's [`AppError`] otherwise.
pub async fn post_form(form: &HtmlFormElement) -> Result<JsValue, AppError> {
    let data = FormData::new_with_form(form).map_err(|_| AppError::Internal)?;
    let params =
        UrlSearchParams::new_with_str_sequence_sequence(&data).map_err(|_| AppError::Internal)?;
    post(&form.action(), &params).await
}

/// Posts `fields`, form-encoded, to a server function's `path`, asking for JSON.
pub async fn post_fields(path: &str, fields: &[(&str, &str)]) -> Result<JsValue, AppError> {
    let params = UrlSearchParams::new().map_err(|_| AppError::Internal)?;
    for (name, value) in fields {
        params.append(name, value);
    }
    post(path, &params).await
}

async fn post(url: &str, body: &UrlSearchParams) -> Result<JsValue, AppError> {
    // JSON, not the redirect a plain (JavaScript-less) form post gets.
    let init = request("application/json")?;
    init.set_method("POST");
    init.set_body(body);
    let response = fetch(url, &init).await?;
    let status = response.status();
    let text = text(&response).await?;
    let json = js_sys::JSON::parse(&text).ok();
    match (response.ok(), json) {
        (true, Some(json)) => Ok(json),
        (true, None) => Err(AppError::Unavailable),
        (false, json) => Err(json
            .and_then(|json| decode_error(&json))
            .unwrap_or_else(|| error_for_status(status))),
    }
}

/// Reads the current page again and puts the fresh copies of the elements with these `ids`
/// in place of the shown ones (and the fresh title). What is outside them, such as a form
/// being filled in, stays as it is.
pub async fn refresh_parts(ids: &[&str]) -> Result<(), AppError> {
    let url = document()
        .location()
        .and_then(|l| l.href().ok())
        .ok_or(AppError::Internal)?;
    let response = fetch(&url, &request("text/html")?).await?;
    if !response.ok() {
        return Err(error_for_status(response.status()));
    }
    let html = text(&response).await?;
    let fresh: Document = DomParser::new()
        .and_then(|p| p.parse_from_string(&html, SupportedType::TextHtml))
        .map_err(|_| AppError::Unavailable)?;
    let page = document();
    for id in ids {
        match (page.get_element_by_id(id), fresh.get_element_by_id(id)) {
            (Some(shown), Some(new)) => shown
                .replace_with_with_node_1(&new)
                .map_err(|_| AppError::Internal)?,
            _ => return Err(AppError::Unavailable),
        }
    }
    page.set_title(&fresh.title());
    Ok(())
}

/// The value at `key` of a JSON object (`undefined` when there is none).
pub fn at(json: &JsValue, key: &str) -> JsValue {
    if !json.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(json, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The string at `key` of a JSON object.
pub fn string_at(json: &JsValue, key: &str) -> Option<String> {
    at(json, key).as_string()
}

/// Shows `message` (or nothing) as the error of the field `{prefix}-{field}`: the text of
/// `#{prefix}-{field}-error` (announced, `aria-live`) and `aria-invalid` on the field.
pub fn show_field_error(prefix: &str, field: &str, message: Option<&str>) {
    let page = document();
    if let Some(slot) = page.get_element_by_id(&format!("{prefix}-{field}-error")) {
        slot.set_text_content(message);
    }
    if let Some(input) = page.get_element_by_id(&format!("{prefix}-{field}")) {
        let _ = match message {
            Some(_) => input.set_attribute("aria-invalid", "true"),
            None => input.remove_attribute("aria-invalid"),
        };
    }
}

/// Moves keyboard focus to the element with this `id`.
pub fn focus(id: &str) {
    if let Some(el) = element(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The element with this `id`, if the page has it.
pub fn element(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// A request (GET unless changed) asking for `accept`.
fn request(accept: &str) -> Result<RequestInit, AppError> {
    let headers = Headers::new().map_err(|_| AppError::Internal)?;
    headers
        .set("Accept", accept)
        .map_err(|_| AppError::Internal)?;
    let init = RequestInit::new();
    init.set_headers(&headers);
    Ok(init)
}

async fn fetch(url: &str, init: &RequestInit) -> Result<Response, AppError> {
    let window = leptos::prelude::window();
    JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .ok()
        .and_then(|r| r.dyn_into::<Response>().ok())
        // Offline, or the connection dropped.
        .ok_or(AppError::Unavailable)
}

async fn text(response: &Response) -> Result<String, AppError> {
    let promise = response.text().map_err(|_| AppError::Unavailable)?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(AppError::Unavailable)
}

/// A server function's error as the server encodes it (serde's JSON of [`AppError`]):
/// `"RateLimited"`, or `{"Invalid": {"field": …, "message": …}}`.
fn decode_error(json: &JsValue) -> Option<AppError> {
    if let Some(name) = json.as_string() {
        return AppError::unit_variant(&name);
    }
    let invalid = at(json, "Invalid");
    Some(AppError::invalid(
        string_at(&invalid, "field")?,
        string_at(&invalid, "message")?,
    ))
}

/// An answer that is not a server function's error (a proxy's, say), by its status.
fn error_for_status(status: u16) -> AppError {
    match status {
        404 => AppError::NotFound,
        401 | 403 => AppError::Unauthorized,
        429 => AppError::RateLimited,
        500 => AppError::Internal,
        _ => AppError::Unavailable,
    }
}
