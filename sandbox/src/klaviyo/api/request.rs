//! What a handler sees of a request (`Req`: the base URL it reached, its path and query,
//! and the links built from them), and reading its query parameters: page size and cursor,
//! `filter`, comma lists such as sparse fieldsets, `sort`; one page of a collection.

use super::errors::ApiError;
use crate::klaviyo::query::{self, Condition, Params};
use crate::klaviyo::state::Sort;
use axum::http::{header, HeaderMap};
use serde_json::{json, Value};

/// What a handler needs of the request.
pub(super) struct Req {
    /// `http://host:port`, for links.
    pub(super) base: String,
    pub(super) path: String,
    pub(super) raw_query: Option<String>,
    pub(super) params: Params,
}

impl Req {
    pub(super) fn self_link(&self) -> String {
        match &self.raw_query {
            Some(q) => format!("{}{}?{q}", self.base, self.path),
            None => format!("{}{}", self.base, self.path),
        }
    }

    fn link_with_cursor(&self, cursor: &str) -> String {
        format!(
            "{}{}?{}",
            self.base,
            self.path,
            self.params.with_cursor(cursor)
        )
    }
}

/// The sandbox as the client reached it (its `Host`, when that is a plain host and port).
pub(super) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}
pub(super) fn page_size(params: &Params, max: usize, default: usize) -> Result<usize, ApiError> {
    match params.get("page[size]") {
        None => Ok(default),
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid_parameter(
                "page[size]",
                format!("'page[size]' must be an integer from 1 to {max}."),
            )),
        },
    }
}

pub(super) fn page_offset(params: &Params) -> Result<usize, ApiError> {
    match params.get("page[cursor]") {
        None => Ok(0),
        Some(cursor) => query::offset_of(cursor).ok_or_else(|| {
            ApiError::invalid_parameter("page[cursor]", "'page[cursor]' is not a valid cursor.")
        }),
    }
}

pub(super) fn filter(params: &Params, fields: &[&str]) -> Result<Vec<Condition>, ApiError> {
    match params.get("filter") {
        None => Ok(Vec::new()),
        Some(text) => query::parse_filter(text, fields).map_err(|e| {
            ApiError::invalid_parameter("filter", format!("Invalid filter provided: {e}."))
        }),
    }
}

/// A comma list parameter whose items (or their part before a `.`) must be in `allowed`.
pub(super) fn listed(
    params: &Params,
    name: &str,
    allowed: &[&str],
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(text) = params.get(name) else {
        return Ok(None);
    };
    let mut items = Vec::new();
    for item in text.split(',').map(str::trim) {
        let top = item.split('.').next().unwrap_or_default();
        if !allowed.contains(&top) {
            return Err(ApiError::invalid_parameter(
                name,
                format!(
                    "'{item}' is not a valid value for '{name}' (allowed: {}).",
                    allowed.join(", ")
                ),
            ));
        }
        items.push(top.to_owned());
    }
    Ok(Some(items))
}

pub(super) fn wants(params: &Params, name: &str, value: &str) -> bool {
    params
        .get(name)
        .is_some_and(|v| v.split(',').any(|i| i.trim() == value))
}

pub(super) fn sort(params: &Params, allowed: &[&str]) -> Result<Option<Sort>, ApiError> {
    let Some(text) = params.get("sort") else {
        return Ok(None);
    };
    let (field, descending) = match text.strip_prefix('-') {
        Some(field) => (field, true),
        None => (text, false),
    };
    if !allowed.contains(&field) {
        return Err(ApiError::invalid_parameter(
            "sort",
            format!(
                "'{text}' is not a valid sort (allowed: {}, each optionally with '-').",
                allowed.join(", ")
            ),
        ));
    }
    Ok(Some(Sort {
        field: field.to_owned(),
        descending,
    }))
}

/// One page of a collection, with `links.self`, `next` and `prev` (full URLs).
pub(super) fn page(request: &Req, items: Vec<Value>, offset: usize, size: usize) -> Value {
    let total = items.len();
    let start = offset.min(total);
    let end = (start + size).min(total);
    let data: Vec<Value> = items.into_iter().skip(start).take(size).collect();
    let next = (end < total).then(|| request.link_with_cursor(&query::cursor(end)));
    let prev =
        (start > 0).then(|| request.link_with_cursor(&query::cursor(start.saturating_sub(size))));
    json!({
        "data": data,
        "links": {"self": request.self_link(), "next": next, "prev": prev},
    })
}

/// Keeps only the named attributes of a resource (a sparse fieldset).
pub(super) fn sparse(mut resource: Value, fields: Option<&[String]>) -> Value {
    if let (Some(fields), Some(Value::Object(attributes))) =
        (fields, resource.get_mut("attributes"))
    {
        attributes.retain(|k, _| fields.iter().any(|f| f == k));
    }
    resource
}
