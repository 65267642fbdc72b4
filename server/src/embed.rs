//! `/embed/v1.js`, the loader merchants put on their pages. Compiled into the binary (it is
//! a kilobyte), versioned by its path, cacheable for a day. The widget it frames is the
//! `/embed/t/{token}` page, whose `frame-ancestors` lists the merchant's allowed sites.

use axum::http::header;
use axum::response::IntoResponse;

pub const LOADER: &str = include_str!("../../public/embed/v1.js");

pub async fn loader() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        LOADER,
    )
}
