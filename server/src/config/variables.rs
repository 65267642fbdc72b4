//! Every variable Tracklight reads, with its default and meaning: the one place defaults are
//! written (the README's table is checked against it, and `Settings::from_lookup` reads its
//! defaults here).

use super::DEFAULT_FORMS_URL;

/// Every variable Tracklight reads, with its default and meaning (the README's table).
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "TRACKLIGHT_BIND",
        "127.0.0.1:3000",
        "Address and port to listen on.",
    ),
    (
        "TRACKLIGHT_PUBLIC_URL",
        "http://<bind>",
        "Base URL shoppers reach this server at; used in tracking links.",
    ),
    (
        "TRACKLIGHT_DATA_DIR",
        "./data",
        "Where the SQLite database, shoppers' photos and videos (`media/`) and demo files live (created if missing).",
    ),
    (
        "TRACKLIGHT_DATABASE_URL",
        "sqlite://<data dir>/tracklight.db",
        "`sqlite:…` or `postgres://…` (PostgreSQL for several instances).",
    ),
    ("TRACKLIGHT_DB_MAX_CONNECTIONS", "10", "Database pool size."),
    (
        "TRACKLIGHT_SITE_ROOT",
        "target/site",
        "Folder with the built assets (`pkg/`, favicon).",
    ),
    (
        "TRACKLIGHT_DEMO",
        "true",
        "Create a demo merchant with demo shipments when the database is empty.",
    ),
    (
        "TRACKLIGHT_LOG",
        "info,sqlx=warn",
        "Log filter, `RUST_LOG` syntax.",
    ),
    ("TRACKLIGHT_LOG_FORMAT", "text", "`text` or `json`."),
    (
        "TRACKLIGHT_REQUEST_TIMEOUT_SECS",
        "30",
        "Longest a request may take.",
    ),
    (
        "TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS",
        "20",
        "Grace period for in-flight requests on SIGTERM/Ctrl-C.",
    ),
    (
        "TRACKLIGHT_API_BODY_LIMIT_BYTES",
        "262144",
        "Largest accepted REST API request body.",
    ),
    (
        "TRACKLIGHT_SECRET_KEY",
        "(a key file in the data dir)",
        "32 random bytes, base64 (`openssl rand -base64 32`), that encrypt merchants' Yotpo API secrets. Required with PostgreSQL; every instance needs the same key.",
    ),
    (
        "TRACKLIGHT_OPTIN_DELAY_SECS",
        "60",
        "Wait between sending the shopper's details to Yotpo (step 1) and the opt-in (step 2).",
    ),
    (
        "TRACKLIGHT_TRUSTED_PROXIES",
        "0",
        "The reverse proxies in front of Tracklight whose `X-Forwarded-For` hops are believed, for rate limits and consent records: how many (`1` for one nginx; the client is the hop they appended, counted from the right), or their networks (`10.0.0.0/8, 192.168.1.7`). `0`: the header is ignored.",
    ),
    (
        "TRACKLIGHT_CONSENTS_PER_NETWORK_PER_HOUR",
        "10",
        "Text sign-ups accepted from one network (an IPv4 address or IPv6 /64) an hour, against SMS pumping. Raise it when many shoppers share an address.",
    ),
    (
        "TRACKLIGHT_SIGN_INS_PER_NETWORK",
        "20",
        "Merchant sign-ins and sign-ups tried from one network (an IPv4 address or IPv6 /64) in ten minutes, against password guessing. Each email has its own limit too.",
    ),
    (
        "TRACKLIGHT_PUBLIC_SIGNUP",
        "true",
        "Anyone may create a merchant account at `/signup`. `false`: only operators add merchants and users (`tracklight merchant create`, `tracklight merchant user`).",
    ),
    (
        "TRACKLIGHT_PAGE_CACHE_MB",
        "64",
        "Memory for shoppers' tracking pages kept rendered and compressed (each copy is found by what it shows, so a change shows at once). 0 turns the cache off.",
    ),
    (
        "TRACKLIGHT_MEDIA_S3_URL",
        "(none: the data directory)",
        "Where shoppers' photos and videos are kept when several instances share them: an S3-compatible bucket, `s3://bucket` or `s3://bucket/prefix`. Unset: `media/` in the data directory.",
    ),
    (
        "TRACKLIGHT_MEDIA_S3_ENDPOINT",
        "(none: Amazon S3)",
        "An S3-compatible server's URL (MinIO, Cloudflare R2, Ceph…), e.g. `https://s3.example.com`; plain http is allowed for a local one.",
    ),
    (
        "TRACKLIGHT_MEDIA_S3_REGION",
        "(AWS_DEFAULT_REGION)",
        "The bucket's region.",
    ),
    (
        "TRACKLIGHT_MEDIA_S3_ACCESS_KEY_ID",
        "(AWS_ACCESS_KEY_ID)",
        "The access key for the bucket; unset, the usual `AWS_*` variables or the instance's role are used.",
    ),
    (
        "TRACKLIGHT_MEDIA_S3_SECRET_ACCESS_KEY",
        "(AWS_SECRET_ACCESS_KEY)",
        "Its secret.",
    ),
    (
        "TRACKLIGHT_CONSENT_RETENTION_DAYS",
        "1826",
        "How long a consent is kept, with its proofs and history, once its delivery is over (subscribed or failed): five years by default. Older ones are deleted daily.",
    ),
    (
        "TRACKLIGHT_KLAVIYO_API_URL",
        "(none: sandbox)",
        "Klaviyo's API, e.g. `https://a.klaviyo.com`. Unset: the built-in Klaviyo sandbox is used and the UI says so.",
    ),
    (
        "TRACKLIGHT_KLAVIYO_SANDBOX_BIND",
        "127.0.0.1:0",
        "Where the built-in Klaviyo sandbox listens when no Klaviyo API URL is set (port 0: any free port).",
    ),
    (
        "TRACKLIGHT_KLAVIYO_REVISION",
        "2026-07-15",
        "The `revision` header sent with every Klaviyo call (the API version Tracklight was checked against).",
    ),
    (
        "TRACKLIGHT_KLAVIYO_REQUESTS_PER_SECOND",
        "10",
        "Tracklight's request budget per Klaviyo account and endpoint, 1 to 75 (Klaviyo allows 75/s in bursts, 750 a minute).",
    ),
    (
        "TRACKLIGHT_KLAVIYO_READ_DELAY_SECS",
        "60",
        "How long Klaviyo takes to show a subscription to reads (it applies them asynchronously); see `TRACKLIGHT_YOTPO_READ_DELAY_SECS`.",
    ),
    (
        "TRACKLIGHT_KLAVIYO_OPTIN_DELAY_SECS",
        "0",
        "Wait between sending the shopper's profile to Klaviyo and the subscription (Klaviyo needs none).",
    ),
    (
        "TRACKLIGHT_YOTPO_API_URL",
        "(none: sandbox)",
        "Yotpo's API, e.g. `https://api.yotpo.com`. Unset: the built-in Yotpo sandbox is used and the UI says so.",
    ),
    (
        "TRACKLIGHT_YOTPO_SANDBOX_BIND",
        "127.0.0.1:0",
        "Where the built-in sandbox listens when no Yotpo API URL is set (port 0: any free port).",
    ),
    (
        "TRACKLIGHT_YOTPO_READ_DELAY_SECS",
        "60",
        "How long Yotpo takes to show a write to reads. An opt-in whose outcome is unknown (the call timed out, the connection was cut, the instance died mid-call) is sent again only after reading the shopper's state back, this long after it left.",
    ),
    (
        "TRACKLIGHT_YOTPO_TIMEOUT_SECS",
        "10",
        "Bound on every Yotpo call.",
    ),
    (
        "TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND",
        "4",
        "Tracklight's request budget per Yotpo store, 1 to 5 (Yotpo allows 5).",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_ACCESS_TOKENS",
        "/core/v3/stores/{store_id}/access_tokens",
        "Token exchange path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_CUSTOMERS",
        "/core/v3/stores/{store_id}/customers",
        "Retrieve customers (GET) and Create or update customer (PATCH) path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS",
        "/messaging/v3/stores/{store_id}/subscribers",
        "Create or update subscriber path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_LISTS",
        "/messaging/v3/stores/{store_id}/lists",
        "SMS lists path (unconfirmed in Yotpo's docs; a 404 means the list ID is typed instead).",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_SUBSCRIPTION_FORMS",
        "/messaging/v3/stores/{store_id}/subscription-forms",
        "Published SMS forms path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_CUSTOM_EVENTS",
        "/core/v3/stores/{store_id}/custom_events",
        "Create or update custom customer event path, for shipment milestone events (unconfirmed in Yotpo's docs).",
    ),
    (
        "TRACKLIGHT_YOTPO_FORMS_URL",
        DEFAULT_FORMS_URL,
        "Where Yotpo's SMS sign-up form scripts load from; a merchant's form must be a script below it. In sandbox mode the sandbox serves its own.",
    ),
    (
        "TRACKLIGHT_YOTPO_LOYALTY_URL",
        "(sandbox, or https://loyalty.yotpo.com)",
        "Yotpo Loyalty & Referrals' API. Unset: the built-in sandbox when Yotpo is the sandbox, else `https://loyalty.yotpo.com`.",
    ),
    (
        "TRACKLIGHT_YOTPO_LOYALTY_PATH_ACTIONS",
        "/api/v2/actions",
        "Yotpo Loyalty's record a customer action path.",
    ),
    (
        "TRACKLIGHT_YOTPO_LOYALTY_PATH_CUSTOMERS",
        "/api/v2/customers",
        "Yotpo Loyalty's fetch customer details path (read with `with_history=true` before every send).",
    ),
    (
        "TRACKLIGHT_YOTPO_LOYALTY_PATH_CHECK",
        "/api/v2/vip_tiers",
        "A Yotpo Loyalty read that needs valid credentials only, to check a GUID and key before saving (the VIP tiers; unconfirmed as the check Yotpo intends).",
    ),
    (
        "TRACKLIGHT_YOTPO_REVIEWS_PATH_TOKEN",
        "/oauth/token",
        "Yotpo Reviews' v1 token exchange (form `client_id` = store ID, `client_secret` = API secret), for importing approved shopper photos.",
    ),
    (
        "TRACKLIGHT_YOTPO_REVIEWS_PATH_IMAGES",
        "/v1/apps/{store_id}/images/import",
        "Yotpo Reviews' import images path (unconfirmed in Yotpo's docs).",
    ),
    (
        "TRACKLIGHT_YOTPO_REVIEWS_PATH_VIDEOS",
        "/v1/apps/{store_id}/videos/import",
        "Yotpo Reviews' import videos path (unconfirmed in Yotpo's docs).",
    ),
    (
        "TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM",
        "external_ids",
        "Query parameter that filters Retrieve customers by external ID.",
    ),
];

/// The default of `var` as [`VARIABLES`] gives it. Only for variables whose default is a
/// value (not a description such as "(none: sandbox)").
pub fn default_of(var: &str) -> &'static str {
    VARIABLES
        .iter()
        .find(|(v, _, _)| *v == var)
        .map(|(_, default, _)| *default)
        .unwrap_or_else(|| panic!("{var} is not in VARIABLES"))
}
