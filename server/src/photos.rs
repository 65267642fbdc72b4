//! Shoppers' photos over HTTP (the rules are in `app::ssr::media`):
//!
//! - `POST /t/{token}/photos`: the upload, a multipart form (`media` files, `caption`,
//!   `lang`, `embed`). Read as a stream with every limit enforced while it arrives: the
//!   request's size, the number of files, each file's size. A browser's plain post is
//!   answered with a redirect to the page that says what happened (`?sent=1` or
//!   `?refused={code}`); the widget (`Accept: application/json`) gets JSON with the message
//!   in the page's language and the refusal's status.
//! - `GET /media/{key}/{variant}`: an approved file, to anyone holding its unguessable URL
//!   (cacheable for a year); anything else is 404.
//! - `GET /settings/media/{key}/{variant}`: any file of the signed-in merchant's store, for
//!   the moderation grid (never cached).

use app::domain::photos::Refusal;
use app::i18n::{Lang, StoreLangs};
use app::ssr::media::{moderation, upload};
use app::ssr::request::{client_ip, session_from};
use app::ssr::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Json, Router};
use serde_json::json;
use std::net::SocketAddr;

/// The files' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/media/{key}/{variant}", get(public_file))
        .route("/settings/media/{key}/{variant}", get(merchant_file))
}

/// `POST` on the photos page's path (whose `GET` is the Leptos page).
pub fn upload(state: &AppState) -> MethodRouter<AppState> {
    post(receive).layer(DefaultBodyLimit::max(state.media.limits.request_bytes()))
}

/// How the upload is answered: to the widget in JSON, to a plain form with a redirect.
struct Answer {
    json: bool,
    token: String,
    lang: Lang,
    embed: bool,
}

impl Answer {
    fn refused(&self, state: &AppState, refusal: Refusal) -> Response {
        if self.json {
            let offer = state.media.limits.offer();
            let message = app::ui::photos::refusal_message(self.lang, refusal, &offer);
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return (
                status,
                Json(json!({ "error": message, "code": refusal.code() })),
            )
                .into_response();
        }
        self.redirect(&format!("refused={}", refusal.code()))
    }

    fn sent(&self, brand: &str) -> Response {
        if self.json {
            let message = self
                .lang
                .t_with("photos-sent", &[("brand", app::i18n::Arg::from(brand))]);
            return Json(json!({ "message": message })).into_response();
        }
        self.redirect("sent=1")
    }

    fn redirect(&self, result: &str) -> Response {
        let embed = if self.embed { "&embed=1" } else { "" };
        Redirect::to(&format!(
            "/t/{}/photos?{result}&lang={}{embed}",
            self.token,
            self.lang.tag()
        ))
        .into_response()
    }
}

async fn receive(
    State(state): State<AppState>,
    Path(token): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"));
    let prefs = app::ssr::request::lang_prefs(&headers, &axum::http::Uri::from_static("/"));
    let mut answer = Answer {
        json,
        // Only a well-formed token goes into a redirect.
        token: app::domain::TrackingToken::parse(&token)
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        lang: app::i18n::choose(&prefs, &StoreLangs::all(), None),
        embed: false,
    };
    if crate::routes::cross_site(&headers, state.public_url.as_str()) {
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site. Use the page itself.",
        )
            .into_response();
    }
    let limits = state.media.limits.clone();
    let target = match upload::target(&state, &token, &limits).await {
        Ok(target) => target,
        Err(refusal) if answer.token.is_empty() => {
            return (StatusCode::NOT_FOUND, refusal.code()).into_response()
        }
        Err(refusal) => return answer.refused(&state, refusal),
    };
    let network = client_ip(
        &state,
        &headers,
        peer.map(|Extension(ConnectInfo(a))| a.ip()),
    )
    .map(app::ssr::limits::network)
    .unwrap_or_default();
    if let Err(refusal) = upload::admit(&state, &answer.token, &network).await {
        return answer.refused(&state, refusal);
    }
    let Ok(mut multipart) = multipart else {
        return answer.refused(&state, Refusal::NoFile);
    };
    let mut form = upload::Upload::default();
    let cap = limits.image_bytes.max(limits.video_bytes);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Over the request's limit, or a broken body.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return answer.refused(&state, Refusal::TooBig)
            }
            Err(_) => return answer.refused(&state, Refusal::Damaged),
        };
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "media" => {
                if form.files.len() >= limits.files_per_upload {
                    return answer.refused(&state, Refusal::TooMany);
                }
                match read_capped(field, cap).await {
                    Ok(bytes) if bytes.is_empty() => {} // An empty file input.
                    Ok(bytes) => form.files.push(bytes),
                    Err(refusal) => return answer.refused(&state, refusal),
                }
            }
            "caption" | "lang" | "embed" => {
                let text = match read_capped(field, 16 * 1024).await {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(_) => return answer.refused(&state, Refusal::Caption),
                };
                match name.as_str() {
                    "caption" => form.caption = Some(text),
                    "lang" => {
                        if let Some(lang) = Lang::parse(text.trim()) {
                            answer.lang = lang;
                        }
                    }
                    _ => answer.embed = text.trim() == "1",
                }
            }
            _ => {}
        }
    }
    form.language = answer.lang.tag().to_string();
    match upload::submit(&state, &target, form).await {
        Ok(_) => {
            // The page's "Share a photo" block depends on the shipment's submissions.
            answer.sent(&target.brand)
        }
        Err(refusal) => answer.refused(&state, refusal),
    }
}

/// A field's bytes, refused as too big past `cap` (without reading the rest).
async fn read_capped(
    mut field: axum::extract::multipart::Field<'_>,
    cap: usize,
) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > cap {
                    return Err(Refusal::TooBig);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Refusal::TooBig),
            Err(_) => return Err(Refusal::Damaged),
        }
    }
}

/// A year: an approved file's bytes never change (a new file has a new key).
const MEDIA_CACHE: &str = "public, max-age=31536000, immutable";

async fn public_file(
    State(state): State<AppState>,
    Path((key, variant)): Path<(String, String)>,
) -> Response {
    match moderation::serve_public(&state, &key, &variant).await {
        Ok(Some(file)) => file_response(file, MEDIA_CACHE),
        Ok(None) => (StatusCode::NOT_FOUND, "No such file.").into_response(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "serving a media file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn merchant_file(
    State(state): State<AppState>,
    Path((key, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let session = match session_from(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return e.status().into_response(),
    };
    match moderation::serve_to_merchant(&state, session.merchant_id.as_str(), &key, &variant).await
    {
        Ok(Some(file)) => file_response(file, "private, no-store"),
        Ok(None) => (StatusCode::NOT_FOUND, "No such file.").into_response(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "serving a media file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn file_response(file: moderation::Served, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CACHE_CONTROL, cache.to_owned()),
            // A file is never a page: nothing in it runs, even opened directly.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        file.bytes,
    )
        .into_response()
}
