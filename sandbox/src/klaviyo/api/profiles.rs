//! The profile endpoints: `GET /api/profiles` (filter, sort, pages, sparse fieldsets,
//! `subscriptions` on request) and `POST /api/profile-import` (create or update by
//! identifiers: 201, 200, or 409 `duplicate_profile`).

use super::body::{data, object, only, optional_text, profile_attributes};
use super::errors::ApiError;
use super::request::{filter, listed, page, page_offset, page_size, sort, Req};
use super::{account, account_mut, json_api};
use crate::klaviyo::state::{ProfileError, Render};
use crate::klaviyo::KlaviyoSandbox;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

/// Attributes (and extras) a profile's sparse fieldset may name.
const PROFILE_FIELDS: &[&str] = &[
    "email",
    "phone_number",
    "external_id",
    "first_name",
    "last_name",
    "organization",
    "locale",
    "title",
    "image",
    "created",
    "updated",
    "last_event_date",
    "location",
    "properties",
    "subscriptions",
    "predictive_analytics",
];
/// `GET /api/profiles`
pub(super) fn get_profiles(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let params = &request.params;
    let size = page_size(params, 100, 20)?;
    let offset = page_offset(params)?;
    let conditions = filter(params, &["id", "email", "phone_number", "external_id"])?;
    let extras = listed(
        params,
        "additional-fields[profile]",
        &["subscriptions", "predictive_analytics"],
    )?
    .unwrap_or_default();
    let fields = listed(params, "fields[profile]", PROFILE_FIELDS)?;
    let sort = sort(params, &["id", "created", "updated", "email"])?;
    let state = sandbox.0.live();
    let render = Render {
        base: &request.base,
        subscriptions: extras.iter().any(|e| e == "subscriptions"),
        sms_null: state.faults.sms_null,
        fields: fields.as_deref(),
    };
    let found = account(&state, account_id)?.find_profiles(&conditions, sort.as_ref(), &render);
    Ok(json_api(
        StatusCode::OK,
        &page(request, found, offset, size),
    ))
}

/// `POST /api/profile-import`: 201 created, 200 updated, 409 `duplicate_profile`.
pub(super) fn import_profile(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
    body: &Value,
) -> Result<Response, ApiError> {
    let extras = listed(
        &request.params,
        "additional-fields[profile]",
        &["subscriptions", "predictive_analytics"],
    )?
    .unwrap_or_default();
    let fields = listed(&request.params, "fields[profile]", PROFILE_FIELDS)?;
    let data = data(body, "profile")?;
    only(
        data,
        &["type", "id", "attributes", "meta"],
        "/data",
        "profile",
    )?;
    let id = optional_text(data, "id", "/data")?;
    let empty = Map::new();
    let attributes = match data.get("attributes") {
        None if id.is_some() => &empty,
        value => object(value, "/data/attributes")?,
    };
    let attributes = profile_attributes(attributes, "/data/attributes", &[])?;
    if !matches!(
        data.get("meta"),
        None | Some(Value::Null | Value::Object(_))
    ) {
        return Err(ApiError::invalid("/data/meta", "'meta' must be an object."));
    }
    let given = |k: &str| attributes.get(k).is_some_and(Value::is_string);
    if id.is_none()
        && !["email", "phone_number", "external_id"]
            .iter()
            .any(|k| given(k))
    {
        return Err(ApiError::invalid(
            "/data/attributes",
            "A profile needs at least one identifier: 'email', 'phone_number', 'external_id' or 'id'.",
        ));
    }
    let mut state = sandbox.0.live();
    let now = state.now_ms();
    let sms_null = state.faults.sms_null;
    let account = account_mut(&mut state, account_id)?;
    if !account.spec().sms_enabled
        && given("phone_number")
        && !given("email")
        && !given("external_id")
        && id.is_none()
    {
        return Err(ApiError::invalid(
            "/data/attributes/phone_number",
            "SMS configuration is required to create profiles with only a phone number.",
        ));
    }
    match account.import_profile(id, &attributes, now) {
        Ok((index, created)) => {
            let render = Render {
                base: &request.base,
                subscriptions: extras.iter().any(|e| e == "subscriptions"),
                sms_null,
                fields: fields.as_deref(),
            };
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(json_api(
                status,
                &json!({ "data": account.profile(index, &render) }),
            ))
        }
        Err(ProfileError::UnknownId(id)) => Err(ApiError::not_found(format!(
            "A profile with id '{id}' does not exist."
        ))
        .pointer("/data/id")),
        Err(ProfileError::Duplicate(other)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_profile",
            "Conflict.",
            "A profile already exists with one of these identifiers.",
        )
        .pointer("/data/attributes")
        .meta(json!({ "duplicate_profile_id": other }))),
    }
}
