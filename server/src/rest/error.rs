//! The REST API's error: a status and a JSON body that names the offending field. Unexpected
//! errors are logged once, here, and answered with a generic 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `unauthorized`, `not_found`, `method_not_allowed`, `invalid_json`,
    /// `invalid_field`, `conflict`, `payload_too_large`, `unsupported_media_type`, `internal`.
    pub code: &'static str,
    pub message: String,
    /// The JSON path of the offending field, e.g. `customer.email` or `shipments[1].id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every invalid field, when there is more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldProblem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            detail: ErrorDetail {
                code,
                message: message.into(),
                field: None,
                details: Vec::new(),
            },
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send a valid API key as `Authorization: Bearer <key>`",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    pub fn invalid_json(field: Option<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "invalid_json", message);
        e.detail.field = field;
        e
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::CONFLICT, "conflict", message);
        e.detail.field = Some(field.into());
        e
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not support that method; see /api/docs",
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request body is larger than {limit} bytes"),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send JSON with `Content-Type: application/json`",
        )
    }

    /// One or more invalid fields (422). `problems` must not be empty.
    pub fn invalid_fields(problems: Vec<FieldProblem>) -> Self {
        let first = problems.first().cloned().unwrap_or(FieldProblem {
            field: "body".into(),
            message: "is invalid".into(),
        });
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("{} {}", first.field, first.message),
        );
        e.detail.field = Some(first.field);
        if problems.len() > 1 {
            e.detail.details = problems;
        }
        e
    }

    pub fn internal(err: anyhow::Error) -> Self {
        tracing::error!(error = format!("{err:#}"), "internal error in the REST API");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; the request was not applied",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(err)
    }
}
