//! The list and account endpoints: `GET /api/lists` (filter, sort, pages of 10),
//! `GET /api/lists/{id}` (with `profile_count` on request) and `GET /api/accounts` (the
//! key's own account).

use super::errors::ApiError;
use super::request::{filter, listed, page, page_offset, page_size, sort, sparse, Req};
use super::{account, json_api};
use crate::klaviyo::KlaviyoSandbox;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

/// `GET /api/lists`: at most 10 a page.
pub(super) fn get_lists(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let params = &request.params;
    let size = page_size(params, 10, 10)?;
    let offset = page_offset(params)?;
    let conditions = filter(params, &["id", "name"])?;
    let sort = sort(params, &["created", "id", "name", "updated"])?;
    let fields = listed(
        params,
        "fields[list]",
        &["name", "created", "updated", "opt_in_process"],
    )?;
    let state = sandbox.0.live();
    let lists = account(&state, account_id)?
        .find_lists(&conditions, sort.as_ref(), &request.base)
        .into_iter()
        .map(|l| sparse(l, fields.as_deref()))
        .collect();
    Ok(json_api(
        StatusCode::OK,
        &page(request, lists, offset, size),
    ))
}

/// `GET /api/lists/{id}`
pub(super) fn get_list(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
    list_id: &str,
) -> Result<Response, ApiError> {
    let extras = listed(
        &request.params,
        "additional-fields[list]",
        &["profile_count"],
    )?
    .unwrap_or_default();
    let fields = listed(
        &request.params,
        "fields[list]",
        &[
            "name",
            "created",
            "updated",
            "opt_in_process",
            "profile_count",
        ],
    )?;
    let state = sandbox.0.live();
    let list = account(&state, account_id)?
        .list(list_id, &request.base, !extras.is_empty())
        .ok_or_else(|| {
            ApiError::not_found(format!("A list with id '{list_id}' does not exist."))
        })?;
    Ok(json_api(
        StatusCode::OK,
        &json!({ "data": sparse(list, fields.as_deref()), "links": {"self": request.self_link()} }),
    ))
}

/// `GET /api/accounts`: the one account the key belongs to.
pub(super) fn get_accounts(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let state = sandbox.0.live();
    let resource = account(&state, account_id)?.resource(&request.base);
    Ok(json_api(
        StatusCode::OK,
        &json!({ "data": [resource], "links": {"self": request.self_link(), "next": null, "prev": null} }),
    ))
}
