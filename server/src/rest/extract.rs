//! Extractors for the REST API: the authenticated merchant, and JSON bodies whose errors
//! name the field (`customer.email`, `shipments[1].carrier`).

use super::error::ApiError;
use app::ssr::merchants::{self, MerchantId};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The merchant whose API key authenticated the request.
pub struct AuthMerchant(pub MerchantId);

impl FromRequestParts<AppState> for AuthMerchant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let (scheme, key) = header.split_once(' ').ok_or_else(ApiError::unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::unauthorized());
        }
        merchants::authenticate(&state.db, key.trim())
            .await?
            .map(AuthMerchant)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// The largest body the REST API accepts; set from the settings as a request extension.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON body. Syntax and type errors answer 400 with the path of the bad field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::unsupported_media_type());
        }
        let limit = req.extensions().get::<BodyLimit>().map_or(262_144, |l| l.0);
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(_) => ApiError::payload_too_large(limit),
            other => ApiError::invalid_json(None, other.body_text()),
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(ApiJson)
            .map_err(|err| {
                let path = err.path().to_string();
                let field = (path != ".").then_some(path);
                ApiError::invalid_json(field, err.into_inner().to_string())
            })
    }
}
