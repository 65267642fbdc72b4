//! The operations the sandbox serves (`Op`, named after Klaviyo's operationIds): which path
//! and method reach each (else 404 or 405), the scopes it needs, the rate-limit counter and
//! tier it counts against, and the query parameters it takes.

use super::errors::ApiError;
use super::request::wants;
use crate::klaviyo::query::Params;
use crate::klaviyo::KlaviyoLimits;
use axum::http::{Method, StatusCode};

const L_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 75,
    steady: 750,
};
const XS_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 1,
    steady: 15,
};
const XL_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 350,
    steady: 3500,
};
/// The operations the sandbox serves (Klaviyo's operationIds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Op {
    GetProfiles,
    ImportProfile,
    Subscribe,
    GetLists,
    GetList(String),
    GetAccounts,
    CreateEvent,
}

impl Op {
    /// The operation at `path` (a trailing slash is fine), or 404 / 405.
    pub(super) fn resolve(method: &Method, path: &str) -> Result<Self, ApiError> {
        let rest = path.strip_prefix("/api").unwrap_or(path).trim_matches('/');
        let segments: Vec<&str> = rest.split('/').collect();
        let (op, allowed) = match segments.as_slice() {
            ["profiles"] => (Self::GetProfiles, Method::GET),
            ["profile-import"] => (Self::ImportProfile, Method::POST),
            ["profile-subscription-bulk-create-jobs"] => (Self::Subscribe, Method::POST),
            ["lists"] => (Self::GetLists, Method::GET),
            ["lists", id] if !id.is_empty() => (Self::GetList((*id).to_owned()), Method::GET),
            ["accounts"] => (Self::GetAccounts, Method::GET),
            ["events"] => (Self::CreateEvent, Method::POST),
            _ => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "Not found.",
                    format!("The path {path} does not exist (the Klaviyo sandbox serves profiles, profile-import, profile-subscription-bulk-create-jobs, lists, accounts and events)."),
                ))
            }
        };
        if *method != allowed {
            return Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed.",
                format!("Method \"{method}\" not allowed."),
            ));
        }
        Ok(op)
    }

    pub(super) fn scopes(&self) -> &'static [&'static str] {
        match self {
            Self::GetProfiles => &["profiles:read"],
            Self::ImportProfile => &["profiles:write"],
            Self::Subscribe => &["lists:write", "profiles:write", "subscriptions:write"],
            Self::GetLists | Self::GetList(_) => &["lists:read"],
            Self::GetAccounts => &["accounts:read"],
            Self::CreateEvent => &["events:write"],
        }
    }

    /// The rate-limit counter this request counts against, and its limits (2026-07-15).
    pub(super) fn rate(&self, params: &Params) -> (&'static str, KlaviyoLimits) {
        match self {
            Self::GetProfiles => ("get_profiles", L_TIER),
            Self::ImportProfile => ("create_or_update_profile", L_TIER),
            Self::Subscribe => ("bulk_subscribe_profiles", L_TIER),
            Self::GetLists => ("get_lists", L_TIER),
            Self::GetList(_) if wants(params, "additional-fields[list]", "profile_count") => {
                ("get_list:profile_count", XS_TIER)
            }
            Self::GetList(_) => ("get_list", L_TIER),
            Self::GetAccounts => ("get_accounts", XS_TIER),
            Self::CreateEvent => ("create_event", XL_TIER),
        }
    }

    pub(super) fn parameters(&self) -> &'static [&'static str] {
        match self {
            Self::GetProfiles => &[
                "filter",
                "page[size]",
                "page[cursor]",
                "additional-fields[profile]",
                "fields[profile]",
                "sort",
            ],
            Self::ImportProfile => &["additional-fields[profile]", "fields[profile]"],
            Self::GetLists => &[
                "filter",
                "page[size]",
                "page[cursor]",
                "fields[list]",
                "sort",
            ],
            Self::GetList(_) => &["additional-fields[list]", "fields[list]"],
            Self::GetAccounts => &["fields[account]"],
            Self::Subscribe | Self::CreateEvent => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_operations() {
        let get = Method::GET;
        let post = Method::POST;
        assert_eq!(Op::resolve(&get, "/api/profiles").unwrap(), Op::GetProfiles);
        assert_eq!(
            Op::resolve(&get, "/api/profiles/").unwrap(),
            Op::GetProfiles
        );
        assert_eq!(
            Op::resolve(&get, "/api/lists/TrkSub/").unwrap(),
            Op::GetList("TrkSub".into())
        );
        assert_eq!(Op::resolve(&post, "/api/events").unwrap(), Op::CreateEvent);
        assert_eq!(
            Op::resolve(&get, "/api/events").unwrap_err().status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
        for missing in [
            "/api",
            "/api/",
            "/api/profile",
            "/api/lists/a/b",
            "/api/webhooks",
        ] {
            assert_eq!(
                Op::resolve(&get, missing).unwrap_err().status(),
                StatusCode::NOT_FOUND,
                "{missing}"
            );
        }
    }
}
