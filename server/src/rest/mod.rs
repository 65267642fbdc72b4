//! The REST API for the platform that feeds shipments (`/api/v1/`), and its OpenAPI
//! document. Routes and the document come from the same `routes!` calls, so a handler cannot
//! be served without being documented; `tests/openapi.rs` checks the document against
//! real responses.

pub mod docs;
pub mod error;
pub mod extract;
mod fields;
pub mod orders;
pub mod shipments;
pub mod subjects;

use app::ssr::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use axum::{Extension, Json};
use error::ApiError;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tracklight API",
        description = "Feed orders, shipments and tracking checkpoints into Tracklight. \
            Authenticate with a merchant API key: `Authorization: Bearer tl_…`. \
            Errors are JSON `{\"error\": {\"code\", \"message\", \"field\"}}`; `field` is the \
            JSON path of the offending value.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "orders", description = "Orders, their customer and shipments"),
        (name = "shipments", description = "Shipments and their tracking checkpoints"),
        (name = "data subjects", description = "A shopper's data: export it, or erase it")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A merchant API key, `tl_…`"))
                    .build(),
            ),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(orders::put_order, orders::get_order))
        .routes(routes!(shipments::get_shipment))
        .routes(routes!(shipments::post_checkpoints))
        .routes(routes!(subjects::erase_customer))
        .routes(routes!(subjects::export_customer))
        .routes(routes!(subjects::erase_phone))
        .routes(routes!(subjects::export_phone))
}

/// The `/api/v1` routes, the OpenAPI document and the docs page.
pub fn router(body_limit: usize) -> axum::Router<AppState> {
    let (routes, doc) = api_router().split_for_parts();
    let docs_html = docs::render(&doc);
    routes
        // Unknown paths and methods under the API answer JSON, like every other API error.
        .route(
            "/api/v1/{*rest}",
            any(|| async { ApiError::not_found("endpoint") }),
        )
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(Extension(extract::BodyLimit(body_limit)))
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(doc) }),
        )
        .route(
            "/api/docs",
            get(move || async move { axum::response::Html(docs_html) }),
        )
}
