//! The shopper pages' WebAssembly (`/pkg/widget.{hash}.js` and `_bg.wasm`): what the tracking
//! page and its consent block do with JavaScript on. The server renders both whole, as plain
//! HTML that works without it (a link to refresh, a form that posts); this module only
//! enhances that markup:
//!
//! - **Refresh** (`.refresh-row a`): reads the page again in the background and puts its fresh
//!   shipment parts (`#shipment-summary`, `#shipment-timeline`) and title in place, announcing
//!   the outcome in `.refresh-note`. A form being filled in elsewhere on the page stays as it is.
//! - **Sign up** (`form.consent__form` inside `.consent-signup`): posts the form to its
//!   `action` asking for JSON, shows progress on the button, each error next to its field
//!   (focus on the first), or the confirmation the server rendered into
//!   `template#sms-done-template`, focused.
//! - **Ask again** (`#sms-offer[data-status=checking]`, rendered hidden when the SMS provider
//!   was too slow to say whether the shopper is subscribed): asks `data-status-url` once and
//!   shows the offer, or the confirmation.
//! - **Share photos** (`form[data-photos]`): sends the photos with `XMLHttpRequest` (`fetch`
//!   does not report an upload's progress), showing it in the form's `<progress>` and status
//!   line, then the server's thanks (the form emptied) or its error (focus on the files).
//!
//! Every text it shows comes from the page (`data-` attributes the server rendered, in the
//! page's language); nothing here is worded. Errors from the server are its server functions'
//! JSON (`{"Invalid": {"field", "message"}}` or a name such as `"RateLimited"`); the photo
//! form's are `{"message"}` or `{"error"}`, worded by the server too.
//!
//! It carries no UI framework and no JSON library (the browser's `fetch`, `JSON.parse` and
//! DOM do the work), so the whole widget stays within its size budget (BENCHMARKS.md §2).
//! Once listening it marks the page `<html data-hydrated="true">`: browser tests wait for it.

use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    Document, DomParser, Element, Event, FormData, Headers, HtmlElement, HtmlFormElement,
    HtmlProgressElement, HtmlTemplateElement, MouseEvent, ProgressEvent, RequestInit, Response,
    SupportedType, UrlSearchParams, XmlHttpRequest,
};

/// The form's fields that can carry an error, in the order they are shown; `form` is the
/// error that belongs to no field.
const FIELDS: [&str; 4] = ["country", "phone", "consent", "form"];

/// The page parts a refresh replaces.
const REFRESHED: [&str; 2] = ["shipment-summary", "shipment-timeline"];

#[wasm_bindgen(start)]
pub fn start() {
    let page = document();
    listen(&page, "click", |ev: Event| {
        if let Some(ev) = ev.dyn_ref::<MouseEvent>() {
            on_click(ev);
        }
    });
    listen(&page, "submit", on_submit);
    listen(&page, "submit", on_photos_submit);
    // The module may start before the page is parsed (its script is added early, and may be
    // cached): what reads the page's parts waits for them.
    if page.ready_state() == "loading" {
        let ready = Closure::once_into_js(ready);
        let _ = page.add_event_listener_with_callback("DOMContentLoaded", ready.unchecked_ref());
    } else {
        ready();
    }
}

/// The page is parsed: asks again if needed, and says the page is interactive.
fn ready() {
    ask_again();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page has a document")
}

fn listen(page: &Document, event: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = page.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    // Listens for the page's lifetime.
    handler.forget();
}

fn target_closest(ev: &Event, selector: &str) -> Option<Element> {
    ev.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

fn text_of(el: &Element, attribute: &str) -> String {
    el.get_attribute(attribute).unwrap_or_default()
}

// ---- Refresh --------------------------------------------------------------------------

fn on_click(ev: &MouseEvent) {
    // A click meant to open the link in a new tab or window is the browser's.
    if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0 {
        return;
    }
    let Some(link) = target_closest(ev, ".refresh-row a") else {
        return;
    };
    let Some(row) = link.closest(".refresh-row").ok().flatten() else {
        return;
    };
    ev.prevent_default();
    if link.has_attribute("aria-disabled") {
        return;
    }
    let note = row.query_selector(".refresh-note").ok().flatten();
    let say = move |attribute: &str| {
        if let Some(note) = &note {
            note.set_text_content(Some(&text_of(&row, attribute)));
        }
    };
    let _ = link.set_attribute("aria-disabled", "true");
    say("data-checking");
    spawn_local(async move {
        let fresh = refresh().await;
        let _ = link.remove_attribute("aria-disabled");
        say(if fresh.is_some() {
            "data-done"
        } else {
            "data-failed"
        });
    });
}

/// Reads this page again and swaps in its fresh parts; `None` when it could not (offline, an
/// error answer, a page without them).
async fn refresh() -> Option<()> {
    let page = document();
    let url = page.location()?.href().ok()?;
    let response = fetch(&url, &request("text/html")?).await?;
    if !response.ok() {
        return None;
    }
    let html = text(&response).await?;
    let fresh = DomParser::new()
        .ok()?
        .parse_from_string(&html, SupportedType::TextHtml)
        .ok()?;
    // Both found first, so a failed refresh changes nothing.
    let mut parts = Vec::with_capacity(REFRESHED.len());
    for id in REFRESHED {
        parts.push((page.get_element_by_id(id)?, fresh.get_element_by_id(id)?));
    }
    for (shown, new) in parts {
        shown.replace_with_with_node_1(&new).ok()?;
    }
    page.set_title(&fresh.title());
    Some(())
}

// ---- Sign up --------------------------------------------------------------------------

/// What a failed call answered.
enum Failure {
    /// An error for one field (or `form`), worded by the server.
    Invalid { field: String, message: String },
    /// Any other: the `data-error-{kind}` text of the block says it.
    Other(&'static str),
}

fn on_submit(ev: Event) {
    // Only Tracklight's own form: a provider's form (Yotpo's) handles its own submit.
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        .filter(|f| f.class_list().contains("consent__form"))
    else {
        return;
    };
    let Some(block) = form.closest(".consent-signup").ok().flatten() else {
        return;
    };
    ev.prevent_default();
    if form.has_attribute("aria-busy") || form.has_attribute("data-preview") {
        return;
    }
    let _ = form.set_attribute("aria-busy", "true");
    let button = form.query_selector("button[type=submit]").ok().flatten();
    let label = button.as_ref().and_then(|b| b.text_content());
    if let Some(button) = &button {
        let _ = button.set_attribute("aria-disabled", "true");
        button.set_text_content(Some(&text_of(&block, "data-sending")));
    }
    spawn_local(async move {
        let answer = post_form(&form).await;
        let _ = form.remove_attribute("aria-busy");
        if let Some(button) = &button {
            let _ = button.remove_attribute("aria-disabled");
            button.set_text_content(label.as_deref());
        }
        match answer {
            Ok(outcome) => {
                if let Some(offer) = document().get_element_by_id("sms-offer") {
                    offer.remove();
                }
                confirm(&block, &string_at(&outcome, "phone_masked"));
                focus_soon("sms-done-title");
            }
            Err(failure) => show_errors(&block, &failure),
        }
    });
}

/// Shows `failure` next to its field (clearing the others' errors) and moves focus to it.
fn show_errors(block: &Element, failure: &Failure) {
    let page = document();
    let (field, message) = match failure {
        // A field this form does not show (none should): the whole form's.
        Failure::Invalid { field, message } if FIELDS.contains(&field.as_str()) => {
            (field.as_str(), message.clone())
        }
        Failure::Invalid { message, .. } => ("form", message.clone()),
        Failure::Other(kind) => ("form", text_of(block, &["data-error-", *kind].concat())),
    };
    for name in FIELDS {
        let id = ["sms-", name].concat();
        let shown = (name == field).then_some(message.as_str());
        if let Some(slot) = page.get_element_by_id(&[id.as_str(), "-error"].concat()) {
            slot.set_text_content(shown);
        }
        if let Some(input) = page.get_element_by_id(&id) {
            let _ = match shown {
                Some(_) => input.set_attribute("aria-invalid", "true"),
                None => input.remove_attribute("aria-invalid"),
            };
        }
    }
    if field != "form" {
        focus_soon(&["sms-", field].concat());
    }
}

/// Puts the server-rendered confirmation in the block, with the masked number.
fn confirm(block: &Element, phone_masked: &str) {
    let page = document();
    let Some(template) = page
        .get_element_by_id("sms-done-template")
        .and_then(|t| t.dyn_into::<HtmlTemplateElement>().ok())
    else {
        return;
    };
    let Ok(copy) = template.content().clone_node_with_deep(true) else {
        return;
    };
    if let Some(Ok(Some(number))) = copy
        .dyn_ref::<web_sys::DocumentFragment>()
        .map(|c| c.query_selector(".mono"))
    {
        number.set_text_content(Some(phone_masked));
    }
    let _ = block.append_child(&copy);
}

/// The sign-up was rendered hidden (the provider did not answer in time): asks once more.
fn ask_again() {
    let Some(offer) = document().get_element_by_id("sms-offer") else {
        return;
    };
    if offer.get_attribute("data-status").as_deref() != Some("checking") {
        return;
    }
    let (Some(url), Some(token), Some(block)) = (
        offer.get_attribute("data-status-url"),
        offer.get_attribute("data-token"),
        offer.closest(".consent-signup").ok().flatten(),
    ) else {
        return;
    };
    spawn_local(async move {
        let Some(params) = UrlSearchParams::new().ok() else {
            return;
        };
        params.append("token", &token);
        // `null` when there is nothing to offer any more; otherwise the offer, whose `status`
        // is `"Offer"` or `{"SignedUp": {"phone_masked": …}}`. Unreachable still: stays hidden.
        let Ok(answer) = post(&url, &params).await else {
            return;
        };
        let status = at(&answer, "status");
        if status.as_string().as_deref() == Some("Offer") {
            let _ = offer.set_attribute("data-status", "offer");
            let _ = offer.remove_attribute("hidden");
        } else {
            let signed_up = at(&status, "SignedUp");
            if signed_up.is_object() {
                confirm(&block, &string_at(&signed_up, "phone_masked"));
            }
        }
    });
}

// ---- Share photos ---------------------------------------------------------------------

/// The parts of a photo form that show its upload.
#[derive(Clone)]
struct Upload {
    form: HtmlFormElement,
    button: Option<Element>,
    progress: Option<HtmlProgressElement>,
    status: Option<Element>,
}

impl Upload {
    fn of(form: HtmlFormElement) -> Self {
        let part = |selector: &str| form.query_selector(selector).ok().flatten();
        let button = part("button[type=submit]");
        let progress =
            part(".photos__progress").and_then(|p| p.dyn_into::<HtmlProgressElement>().ok());
        let status = part(".photos__status");
        Self {
            form,
            button,
            progress,
            status,
        }
    }

    /// The upload started (`true`: the button disabled, the progress shown at 0) or ended.
    fn busy(&self, busy: bool) {
        if let Some(button) = &self.button {
            let _ = if busy {
                button
                    .set_attribute("disabled", "")
                    .and_then(|_| button.set_attribute("aria-busy", "true"))
            } else {
                button
                    .remove_attribute("disabled")
                    .and_then(|_| button.remove_attribute("aria-busy"))
            };
        }
        if let Some(progress) = &self.progress {
            progress.set_value(0.0);
            progress.set_hidden(!busy);
        }
        if busy {
            self.progressed(0);
        }
    }

    /// `percent` of the files are sent: the bar follows every percent; the live status line
    /// (read out by screen readers) says only each quarter.
    fn progressed(&self, percent: u32) {
        if let Some(progress) = &self.progress {
            progress.set_value(f64::from(percent));
        }
        if percent.is_multiple_of(25) {
            let text =
                text_of(&self.form, "data-uploading").replace("{percent}", &percent.to_string());
            self.say(&text, None);
        }
    }

    /// Puts `text` in the status line, marked `photos__status--{outcome}` (`done` or `error`)
    /// or, while uploading, neither.
    fn say(&self, text: &str, outcome: Option<&str>) {
        let Some(status) = &self.status else {
            return;
        };
        status.set_text_content(Some(text));
        let classes = status.class_list();
        let _ = classes.remove_2("photos__status--done", "photos__status--error");
        if let Some(outcome) = outcome {
            let _ = classes.add_1(&["photos__status--", outcome].concat());
        }
    }

    /// The request ended with HTTP `status` (0: no answer, for an error, abort or timeout) and
    /// `body`: a 2xx's `{"message"}` empties the form and thanks; any other's `{"error"}` is
    /// shown with focus on the files; anything else is `data-failed`.
    fn ended(&self, status: u16, body: Option<String>) {
        self.busy(false);
        let ok = (200..300).contains(&status);
        let said = body
            .and_then(|text| JSON::parse(&text).ok())
            .and_then(|json| at(&json, if ok { "message" } else { "error" }).as_string());
        match said {
            Some(message) if ok => {
                self.form.reset();
                self.say(&message, Some("done"));
            }
            Some(error) => {
                self.say(&error, Some("error"));
                if let Ok(Some(files)) = self.form.query_selector("input[type=file]") {
                    focus_soon(&files.id());
                }
            }
            None => self.say(&text_of(&self.form, "data-failed"), Some("error")),
        }
    }
}

/// Sends a photo form (`form[data-photos]`) as a plain post would (multipart, to its
/// `action`), asking for JSON, and shows the upload's progress and outcome. Should the request
/// not even start, the browser posts the form itself.
fn on_photos_submit(ev: Event) {
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        .filter(|f| f.has_attribute("data-photos"))
    else {
        return;
    };
    let shown = Upload::of(form.clone());
    if shown
        .button
        .as_ref()
        .is_some_and(|b| b.has_attribute("aria-busy"))
    {
        ev.prevent_default();
        return;
    }
    let (Ok(xhr), Ok(data)) = (XmlHttpRequest::new(), FormData::new_with_form(&form)) else {
        return;
    };
    let Ok(upload) = xhr.upload() else {
        return;
    };
    if xhr.open("POST", &form.action()).is_err()
        || xhr
            .set_request_header("Accept", "application/json")
            .is_err()
    {
        return;
    }
    // Each whole percent once (the status line says each quarter: `Upload::progressed`).
    let mut said = 0;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new({
        let shown = shown.clone();
        move |ev: ProgressEvent| {
            if !ev.length_computable() || ev.total() <= 0.0 {
                return;
            }
            let percent = ((ev.loaded() * 100.0 / ev.total()) as u32).min(100);
            if percent != said {
                said = percent;
                shown.progressed(percent);
            }
        }
    });
    let _ = upload.add_event_listener_with_callback("progress", progress.as_ref().unchecked_ref());
    // `loadend` comes once, after `load`, `error`, `abort` or `timeout`: no progress after it.
    let ended = Closure::once_into_js({
        let (xhr, shown) = (xhr.clone(), shown.clone());
        move || {
            let _ = upload
                .remove_event_listener_with_callback("progress", progress.as_ref().unchecked_ref());
            drop(progress);
            shown.ended(
                xhr.status().unwrap_or(0),
                xhr.response_text().ok().flatten(),
            );
        }
    });
    let _ = xhr.add_event_listener_with_callback("loadend", ended.unchecked_ref());
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        return;
    }
    ev.prevent_default();
    shown.busy(true);
}

// ---- Calls ----------------------------------------------------------------------------

/// Posts every field of `form` (as a plain form post would) to its `action`, asking for JSON.
async fn post_form(form: &HtmlFormElement) -> Result<JsValue, Failure> {
    let params = FormData::new_with_form(form)
        .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
        .map_err(|_| Failure::Other("internal"))?;
    post(&form.action(), &params).await
}

async fn post(url: &str, body: &UrlSearchParams) -> Result<JsValue, Failure> {
    let unavailable = Failure::Other("unavailable");
    let init = request("application/json").ok_or(Failure::Other("internal"))?;
    init.set_method("POST");
    init.set_body(body);
    let response = fetch(url, &init).await.ok_or(unavailable)?;
    let json = text(&response)
        .await
        .and_then(|text| JSON::parse(&text).ok());
    match (response.ok(), json) {
        (true, Some(json)) => Ok(json),
        (true, None) => Err(Failure::Other("unavailable")),
        (false, json) => Err(json
            .and_then(|json| decode_error(&json))
            .unwrap_or(Failure::Other(kind_of_status(response.status())))),
    }
}

/// A server function's error as the server encodes it.
fn decode_error(json: &JsValue) -> Option<Failure> {
    if let Some(name) = json.as_string() {
        return Some(Failure::Other(match name.as_str() {
            "RateLimited" => "rate-limited",
            "NotFound" => "not-found",
            "Internal" => "internal",
            _ => "unavailable",
        }));
    }
    let invalid = at(json, "Invalid");
    Some(Failure::Invalid {
        field: at(&invalid, "field").as_string()?,
        message: at(&invalid, "message").as_string()?,
    })
}

/// An answer that is not a server function's error (a proxy's, say), by its status.
fn kind_of_status(status: u16) -> &'static str {
    match status {
        404 => "not-found",
        429 => "rate-limited",
        500 => "internal",
        _ => "unavailable",
    }
}

/// A GET (unless changed) asking for `accept`.
fn request(accept: &str) -> Option<RequestInit> {
    let headers = Headers::new().ok()?;
    headers.set("Accept", accept).ok()?;
    let init = RequestInit::new();
    init.set_headers(&headers);
    Some(init)
}

/// `None` when offline or the connection dropped.
async fn fetch(url: &str, init: &RequestInit) -> Option<Response> {
    let window = web_sys::window()?;
    JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .ok()?
        .dyn_into::<Response>()
        .ok()
}

async fn text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// The value at `key` of a JSON object (`undefined` when there is none).
fn at(json: &JsValue, key: &str) -> JsValue {
    if !json.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(json, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn string_at(json: &JsValue, key: &str) -> String {
    at(json, key).as_string().unwrap_or_default()
}

/// Moves keyboard focus to the element with this `id` on the next frame (once it is shown).
fn focus_soon(id: &str) {
    let id = id.to_owned();
    let focus = Closure::once_into_js(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(focus.unchecked_ref());
    }
}
