//! Stand-ins for Yotpo's own SMS sign-up forms. A real published form is a script at
//! `https://forms.smsbump.com/{user}/form_{id}.js` that renders the form where it is
//! included and sends sign-ups to Yotpo itself. Here `{user}` is the store ID:
//!
//! - `GET /forms/{store_id}/form_{id}.js`: a small script that renders a sign-up form
//!   right after itself (marked "Yotpo sandbox form").
//! - `POST /forms/{store_id}/form_{id}/subscribe` (`phone=+…`, form-encoded, CORS open):
//!   subscribes the phone to the form's list with SMS consent, as Yotpo's form would.
//!
//! A form whose `script_source` is blank in the store's spec is listed by the API with the
//! sandbox's own script address.

use super::state::{unix_ms, Recorded, SignupFormSpec};
use super::yotpo::is_e164;
use super::Sandbox;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub(super) fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/forms/{store_id}/{file}", get(script))
        .route("/forms/{store_id}/{form}/subscribe", post(subscribe))
        .with_state(sandbox)
}

/// The address a sandbox form's script is listed under, seen from a client that reached
/// the sandbox at `host`.
pub(super) fn script_source(host: Option<&str>, store_id: &str, form: &SignupFormSpec) -> String {
    if !form.script_source.is_empty() {
        return form.script_source.clone();
    }
    format!(
        "http://{}/forms/{store_id}/form_{}.js",
        safe_host(host),
        form.form_id
    )
}

/// The request's `Host`, when it is a plain host and port (it is echoed into a script).
fn safe_host(host: Option<&str>) -> &str {
    host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    })
    .unwrap_or("127.0.0.1")
}

fn host(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST).and_then(|h| h.to_str().ok())
}

fn form_of(sandbox: &Sandbox, store_id: &str, id: Option<&str>) -> Option<SignupFormSpec> {
    let id: u64 = id?.parse().ok()?;
    sandbox
        .0
        .forms(store_id)
        .into_iter()
        .find(|f| f.form_id == id)
}

fn record(sandbox: &Sandbox, method: &str, path: String, store_id: &str, status: StatusCode) {
    sandbox.0.record(Recorded {
        seq: 0,
        at_ms: unix_ms(),
        method: method.into(),
        path,
        query: None,
        store_id: Some(store_id.to_owned()),
        status: status.as_u16(),
        body: None,
    });
}

async fn script(
    State(sandbox): State<Sandbox>,
    Path((store_id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let id = file
        .strip_prefix("form_")
        .and_then(|f| f.strip_suffix(".js"));
    let path = format!("/forms/{store_id}/{file}");
    let Some(form) = form_of(&sandbox, &store_id, id) else {
        record(&sandbox, "GET", path, &store_id, StatusCode::NOT_FOUND);
        return (StatusCode::NOT_FOUND, "// no such Yotpo form\n").into_response();
    };
    record(&sandbox, "GET", path, &store_id, StatusCode::OK);
    let action = format!(
        "http://{}/forms/{store_id}/form_{}/subscribe",
        safe_host(host(&headers)),
        form.form_id
    );
    let js = FORM_SCRIPT
        .replace("__ACTION__", &json!(action).to_string())
        .replace("__FORM_ID__", &json!(form.form_id.to_string()).to_string());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        js,
    )
        .into_response()
}

async fn subscribe(
    State(sandbox): State<Sandbox>,
    Path((store_id, form)): Path<(String, String)>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let path = format!("/forms/{store_id}/{form}/subscribe");
    let answer = |status: StatusCode, body: Value| {
        record(&sandbox, "POST", path.clone(), &store_id, status);
        (
            status,
            [(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            )],
            Json(body),
        )
            .into_response()
    };
    let Some(spec) = form_of(&sandbox, &store_id, form.strip_prefix("form_")) else {
        return answer(
            StatusCode::NOT_FOUND,
            json!({"message": "This form does not exist."}),
        );
    };
    let phone: String = fields
        .get("phone")
        .map(|p| p.chars().filter(|c| !" -().".contains(*c)).collect())
        .unwrap_or_default();
    if !is_e164(&phone) {
        return answer(
            StatusCode::BAD_REQUEST,
            json!({"message": "Enter your mobile number with its country code, e.g. +15555550123."}),
        );
    }
    let Some(list_id) = spec.list_id.or_else(|| sandbox.0.default_list(&store_id)) else {
        return answer(
            StatusCode::BAD_REQUEST,
            json!({"message": "This form has no list."}),
        );
    };
    let mut subscriber = Map::new();
    subscriber.insert("phone".into(), json!(phone));
    subscriber.insert("list_id".into(), json!(list_id));
    subscriber.insert("source".into(), json!(format!("form_{}", spec.form_id)));
    subscriber.insert("channels".into(), json!({"sms": {"consent": "subscribed"}}));
    sandbox.0.upsert_subscriber(&store_id, subscriber);
    answer(StatusCode::OK, json!({"subscribed": true}))
}

/// What the sandbox's stand-in form does in the shopper's browser.
const FORM_SCRIPT: &str = r#"(function () {
  var action = __ACTION__;
  var formId = __FORM_ID__;
  var here = document.currentScript;
  if (!here || !here.parentNode) return;
  var el = function (tag, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  };
  var form = el('form');
  form.className = 'yotpo-sandbox-form';
  form.setAttribute('data-yotpo-form', formId);
  form.noValidate = true;
  form.style.cssText = 'border:2px dashed #7c3aed;border-radius:8px;padding:12px 16px;margin:0';
  var title = el('h3', 'Join our text club');
  title.style.margin = '0 0 8px';
  var label = el('label', 'Mobile number, with country code');
  label.style.display = 'block';
  var input = el('input');
  input.type = 'tel';
  input.name = 'phone';
  input.autocomplete = 'tel';
  input.placeholder = '+15555550123';
  input.id = 'yotpo-sandbox-phone-' + formId;
  input.style.cssText = 'display:block;min-height:44px;margin:4px 0 8px;font:inherit;padding:0 8px';
  label.htmlFor = input.id;
  var terms = el('p', 'By subscribing you agree to receive recurring automated marketing text messages. Consent is not a condition of purchase. Msg & data rates may apply. Reply STOP to cancel. (Yotpo sandbox form ' + formId + ')');
  terms.style.fontSize = '0.85em';
  var button = el('button', 'Subscribe');
  button.type = 'submit';
  button.style.cssText = 'min-height:44px;padding:0 16px;font:inherit';
  var status = el('p');
  status.setAttribute('role', 'status');
  [title, label, input, terms, button, status].forEach(function (c) { form.appendChild(c); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    status.textContent = 'Subscribing…';
    fetch(action, { method: 'POST', body: new URLSearchParams({ phone: input.value }) })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) {
          form.replaceChildren(el('p', 'Thanks! You are subscribed to our texts.'));
          form.firstChild.setAttribute('role', 'status');
        } else {
          status.textContent = res.body.message || 'Something went wrong.';
          button.disabled = false;
        }
      })
      .catch(function () {
        status.textContent = 'Could not reach Yotpo. Try again.';
        button.disabled = false;
      });
  });
  here.parentNode.insertBefore(form, here.nextSibling);
})();
"#;
