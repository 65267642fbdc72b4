//! Shoppers' photos over HTTP (the rules are in `app::ssr::media`):
//!
//! - `POST /t/{token}/photos`: the upload, a multipart form (`media` files, `caption`,
//!   `lang`, `embed`). Read as a stream with every limit enforced while it arrives: the
//!   request's size, the number of files, each file's size. A browser's plain post is
//!   answered with a redirect to the page that says what happened (`?sent=1` or
//!   `?refused={code}`); the widget (`Accept: application/json`) gets JSON with the message
//!   in the page's language and the refusal's status.
//! - `GET /media/{key}/{variant}`: an approved file, to anyone holding its unguessable URL
//!   (cacheable for a day; byte ranges for video players); anything else is 404.
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
    // A few uploads at a time per instance: each may hold its files in memory.
    let Ok(_permit) = state.media.upload_gate.clone().try_acquire_owned() else {
        return answer.refused(&state, Refusal::Busy);
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
                let capped = read_media(field, |head| {
                    use app::ssr::media::decode::{sniff, Sniffed};
                    match sniff(head) {
                        Sniffed::Jpeg | Sniffed::Png | Sniffed::WebP if head.len() >= 16 => {
                            limits.image_bytes
                        }
                        _ => cap,
                    }
                });
                match capped.await {
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
    field: axum::extract::multipart::Field<'_>,
    cap: usize,
) -> Result<Vec<u8>, Refusal> {
    read_media(field, |_| cap).await
}

/// A file's bytes, refused as too big past the cap for what its first bytes claim to be
/// (a photo's is smaller than a video's), without reading the rest.
async fn read_media(
    mut field: axum::extract::multipart::Field<'_>,
    cap_for: impl Fn(&[u8]) -> usize,
) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    let mut cap = None;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                bytes.extend_from_slice(&chunk);
                // Judged once 16 bytes are in (enough for every magic number).
                if cap.is_none() && bytes.len() >= 16 {
                    cap = Some(cap_for(&bytes));
                }
                let limit = cap.unwrap_or_else(|| cap_for(b""));
                if bytes.len() > limit {
                    return Err(Refusal::TooBig);
                }
            }
            Ok(None) => return Ok(bytes),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Refusal::TooBig),
            Err(_) => return Err(Refusal::Damaged),
        }
    }
}

/// A day: an approved file's bytes never change (a new file has a new key), but a file
/// erased with its shopper's data must not live on in shared caches for long.
const MEDIA_CACHE: &str = "public, max-age=86400";

async fn public_file(
    State(state): State<AppState>,
    Path((key, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match moderation::serve_public(&state, &key, &variant).await {
        Ok(Some(file)) => file_response(file, MEDIA_CACHE, &headers),
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
        Ok(Some(file)) => file_response(file, "private, no-store", &headers),
        Ok(None) => (StatusCode::NOT_FOUND, "No such file.").into_response(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "serving a media file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A file, whole or the one byte range asked for (players seek in videos, and Safari asks
/// for ranges before it plays one).
fn file_response(file: moderation::Served, cache: &'static str, headers: &HeaderMap) -> Response {
    let len = file.bytes.len();
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| byte_range(v, len));
    let (status, body, content_range) = match range {
        None => (StatusCode::OK, file.bytes, None),
        Some(Some((start, end))) => (
            StatusCode::PARTIAL_CONTENT,
            file.bytes[start..=end].to_vec(),
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        Some(None) => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{len}"))],
            )
                .into_response()
        }
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::ACCEPT_RANGES, "bytes".to_owned()),
            // A file is never a page: nothing in it runs, even opened directly.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(value) = content_range.and_then(|v| v.parse().ok()) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

/// One `bytes=` range of a file of `len` bytes, inclusive; `None` when it cannot be served.
/// Several ranges are answered with the first.
fn byte_range(value: &str, len: usize) -> Option<(usize, usize)> {
    let spec = value.strip_prefix("bytes=")?.split(',').next()?.trim();
    let (start, end) = spec.split_once('-')?;
    let last = len.checked_sub(1)?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: usize = suffix.parse().ok()?;
            (len.checked_sub(n.min(len))?, last)
        }
        (start, "") => (start.parse().ok()?, last),
        (start, end) => (start.parse().ok()?, end.parse::<usize>().ok()?.min(last)),
    };
    (start <= end && start < len && !(start == 0 && end == 0 && len == 0)).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=0-5000", 1000), Some((0, 999)));
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), Some((0, 1)));
        assert_eq!(byte_range("bytes=1000-", 1000), None);
        assert_eq!(byte_range("bytes=5-2", 1000), None);
        assert_eq!(byte_range("items=0-1", 1000), None);
        assert_eq!(byte_range("bytes=0-0", 0), None);
    }
}
