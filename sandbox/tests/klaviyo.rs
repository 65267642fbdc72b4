//! The Klaviyo sandbox over real HTTP, as a client sees it: auth, revision, media types,
//! JSON:API validation, profiles, subscribe jobs (single and double opt-in, unsupported
//! countries, STOP), lists, events, rate limits, fault switches, the masked request log and
//! the control API. Time moves only by `advance` (the clock is frozen where windows matter).

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use sandbox::klaviyo::{
    spawn_klaviyo, standard_klaviyo_account, KlaviyoAccountSpec, KlaviyoConfig, KlaviyoFaultsPatch,
    KlaviyoKeySpec, KlaviyoLimits, KlaviyoListSpec, KlaviyoSandbox, KlaviyoSandboxHandle,
    STANDARD_KLAVIYO_LIST_ID, STANDARD_KLAVIYO_NEWSLETTER_ID,
};
use serde_json::{json, Value};
use std::time::Duration;

const ACCOUNT: &str = "AbC123";
const KEY: &str = "pk_test_0123456789abcdef";
const REVISION: &str = "2026-07-15";
const PHONE: &str = "+14155552671";
const JSON_API: &str = "application/vnd.api+json";

struct Kit {
    handle: KlaviyoSandboxHandle,
    http: Client,
}

impl Kit {
    async fn start() -> Self {
        Self::with(KlaviyoConfig {
            accounts: vec![standard_klaviyo_account(ACCOUNT, KEY)],
            ..KlaviyoConfig::default()
        })
        .await
    }

    async fn with(config: KlaviyoConfig) -> Self {
        let handle = spawn_klaviyo(config, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("the sandbox starts");
        Self {
            handle,
            http: Client::new(),
        }
    }

    fn sandbox(&self) -> &KlaviyoSandbox {
        &self.handle.sandbox
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.url())
    }

    /// A request as a correct client sends it.
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Authorization", format!("Klaviyo-API-Key {KEY}"))
            .header("revision", REVISION)
            .header("accept", JSON_API)
    }

    async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path)
            .header(CONTENT_TYPE, JSON_API)
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    async fn import(&self, attributes: Value) -> Response {
        self.post(
            "/api/profile-import",
            json!({"data": {"type": "profile", "attributes": attributes}}),
        )
        .await
    }

    /// Imports a profile and returns its ID.
    async fn profile(&self, attributes: Value) -> String {
        let response = self.import(attributes).await;
        assert!(response.status().is_success(), "{}", response.status());
        body(response).await["data"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn subscribe(&self, profile: Value, list: Option<&str>) -> Response {
        self.post(
            "/api/profile-subscription-bulk-create-jobs",
            subscribe_body(profile, list),
        )
        .await
    }

    async fn subscribe_phone(&self, phone: &str, list: &str) -> Response {
        self.subscribe(sms_profile(phone), Some(list)).await
    }

    /// The SMS marketing consent the API shows for the profile with this phone.
    async fn sms_consent(&self, phone: &str) -> Value {
        let path = format!(
            "/api/profiles?filter=equals(phone_number,\"{}\")&additional-fields[profile]=subscriptions",
            phone.replace('+', "%2B")
        );
        let found = body(self.get(&path).await).await;
        found["data"][0]["attributes"]["subscriptions"]["sms"]["marketing"].clone()
    }
}

fn subscribe_body(profile: Value, list: Option<&str>) -> Value {
    let mut body = json!({"data": {
        "type": "profile-subscription-bulk-create-job",
        "attributes": {
            "custom_source": "Tracklight tracking page",
            "profiles": {"data": [{"type": "profile", "attributes": profile}]},
        },
    }});
    if let Some(list) = list {
        body["data"]["relationships"] = json!({"list": {"data": {"type": "list", "id": list}}});
    }
    body
}

fn sms_profile(phone: &str) -> Value {
    json!({"phone_number": phone, "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}}})
}

fn event_body(metric: &str, unique_id: Option<&str>, time: &str) -> Value {
    let mut body = json!({"data": {"type": "event", "attributes": {
        "properties": {"tracking_number": "1Z999", "status": "out_for_delivery"},
        "time": time,
        "metric": {"data": {"type": "metric", "attributes": {"name": metric}}},
        "profile": {"data": {"type": "profile", "attributes": {"external_id": "cust_9", "email": "ann@example.com"}}},
    }}});
    if let Some(id) = unique_id {
        body["data"]["attributes"]["unique_id"] = json!(id);
    }
    body
}

async fn body(response: Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The status and the first error of an error answer, checking its JSON:API shape.
async fn error(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    assert_eq!(content_type(response.headers()), JSON_API);
    let body = body(response).await;
    let errors = body["errors"].as_array().expect("an errors array");
    assert_eq!(errors.len(), 1, "{body}");
    let error = errors[0].clone();
    assert_eq!(error["status"], status.as_u16(), "{error}");
    for field in ["id", "code", "title", "detail"] {
        assert!(error[field].is_string(), "{field} in {error}");
    }
    (status, error)
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_key_is_required_and_a_missing_scope_is_named() {
    let kit = Kit::start().await;
    let url = kit.url("/api/profiles");
    let no_key = kit
        .http
        .get(&url)
        .header("revision", REVISION)
        .send()
        .await
        .unwrap();
    let (status, e) = error(no_key).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(e["code"], "not_authenticated");
    assert_eq!(e["title"], "Authentication credentials were not provided.");

    let bearer = kit
        .http
        .get(&url)
        .header("Authorization", format!("Bearer {KEY}"))
        .header("revision", REVISION)
        .send()
        .await
        .unwrap();
    assert_eq!(error(bearer).await.0, StatusCode::UNAUTHORIZED);

    let unknown = kit
        .http
        .get(&url)
        .header("Authorization", "Klaviyo-API-Key pk_nobody")
        .header("revision", REVISION)
        .send()
        .await
        .unwrap();
    assert_eq!(error(unknown).await.0, StatusCode::UNAUTHORIZED);

    kit.sandbox().add_account(KlaviyoAccountSpec {
        account_id: "ReadOnly".into(),
        keys: vec![KlaviyoKeySpec {
            key: "pk_read_only".into(),
            scopes: vec!["profiles:read".into(), "lists:read".into()],
        }],
        ..standard_klaviyo_account("ReadOnly", "unused")
    });
    let read_only = |method: Method, path: &str| {
        kit.http
            .request(method, kit.url(path))
            .header("Authorization", "Klaviyo-API-Key pk_read_only")
            .header("revision", REVISION)
    };
    let allowed = read_only(Method::GET, "/api/lists").send().await.unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);
    let denied = read_only(Method::POST, "/api/profile-subscription-bulk-create-jobs")
        .header(CONTENT_TYPE, JSON_API)
        .body(subscribe_body(sms_profile(PHONE), None).to_string())
        .send()
        .await
        .unwrap();
    let (status, e) = error(denied).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(e["code"], "permission_denied");
    let detail = e["detail"].as_str().unwrap();
    for scope in ["lists:write", "profiles:write", "subscriptions:write"] {
        assert!(detail.contains(scope), "{detail}");
    }
    assert!(
        kit.sandbox().profiles("ReadOnly").is_empty(),
        "nothing was done"
    );
}

#[tokio::test]
async fn the_revision_header_is_required_and_checked() {
    let kit = Kit::start().await;
    let bare = |revision: Option<&str>| {
        let request = kit
            .http
            .get(kit.url("/api/lists"))
            .header("Authorization", format!("Klaviyo-API-Key {KEY}"));
        match revision {
            Some(r) => request.header("revision", r),
            None => request,
        }
    };
    for revision in [None, Some("2023-02-22"), Some("latest")] {
        let (status, e) = error(bare(revision).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{revision:?}");
        assert_eq!(e["code"], "invalid");
        assert_eq!(e["source"]["parameter"], "revision");
    }
    for revision in ["2026-07-15", "2026-10-15"] {
        let ok = bare(Some(revision)).send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{revision}");
        assert_eq!(content_type(ok.headers()), JSON_API);
    }
}

#[tokio::test]
async fn posts_need_a_json_media_type_and_valid_json() {
    let kit = Kit::start().await;
    let attributes = json!({"data": {"type": "profile", "attributes": {"external_id": "c1"}}});
    let post = |content_type: &'static str, body: String| {
        kit.request(Method::POST, "/api/profile-import")
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let (status, e) = error(post("text/plain", attributes.to_string()).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(e["code"], "unsupported_media_type");
    let plain_json = post("application/json", attributes.to_string())
        .await
        .unwrap();
    assert_eq!(plain_json.status(), StatusCode::CREATED, "[fake policy]");
    let broken = post(JSON_API, "{\"data\": ".into()).await.unwrap();
    assert_eq!(error(broken).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_errors() {
    let kit = Kit::start().await;
    for path in ["/api/webhooks", "/api", "/v1/profiles"] {
        let (status, e) = error(kit.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(e["code"], "not_found");
    }
    let wrong_method = kit
        .request(Method::DELETE, "/api/profiles")
        .send()
        .await
        .unwrap();
    assert_eq!(error(wrong_method).await.0, StatusCode::METHOD_NOT_ALLOWED);
    let typo = kit.get("/api/profiles?page[sise]=2").await;
    let (status, e) = error(typo).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["source"]["parameter"], "page[sise]");
}

#[tokio::test]
async fn json_api_validation_points_at_the_bad_field() {
    let kit = Kit::start().await;
    let cases = [
        (
            "/api/profile-import",
            json!({"data": {"type": "profile", "attributes": {"external_id": "c1", "phone_number": "415-555-2671"}}}),
            "/data/attributes/phone_number",
        ),
        (
            "/api/profile-import",
            json!({"data": {"type": "profile", "attributes": {"first_name": "Ann"}}}),
            "/data/attributes",
        ),
        (
            "/api/profile-import",
            json!({"data": {"type": "customer", "attributes": {"external_id": "c1"}}}),
            "/data/type",
        ),
        (
            "/api/profile-import",
            json!({"data": {"type": "profile", "attributes": {"email": "not-an-email"}}}),
            "/data/attributes/email",
        ),
        (
            "/api/profile-import",
            json!({"data": {"type": "profile", "attributes": {"external_id": "c1", "subscriptions": {}}}}),
            "/data/attributes/subscriptions",
        ),
        (
            "/api/profile-subscription-bulk-create-jobs",
            subscribe_body(
                json!({"email": "ann@example.com", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}}}),
                None,
            ),
            "/data/attributes/profiles/data/0/attributes/phone_number",
        ),
        (
            "/api/profile-subscription-bulk-create-jobs",
            subscribe_body(
                json!({"phone_number": PHONE, "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED", "consented_at": "2026-01-01T00:00:00Z"}}}}),
                None,
            ),
            "/data/attributes/profiles/data/0/attributes/subscriptions/sms/marketing/consented_at",
        ),
        (
            "/api/profile-subscription-bulk-create-jobs",
            subscribe_body(
                json!({"phone_number": PHONE, "external_id": "c1", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}}}),
                None,
            ),
            "/data/attributes/profiles/data/0/attributes/external_id",
        ),
        (
            "/api/events",
            {
                let mut e = event_body("", None, "2026-01-01T00:00:00Z");
                e["data"]["attributes"]["metric"]["data"]["attributes"]["name"] = json!("");
                e
            },
            "/data/attributes/metric/data/attributes/name",
        ),
        (
            "/api/events",
            event_body("Shipment Delivered", None, "1989-12-31T00:00:00Z"),
            "/data/attributes/time",
        ),
        (
            "/api/events",
            {
                let mut e = event_body("Shipment Delivered", None, "2026-01-01T00:00:00Z");
                e["data"]["attributes"]["profile"]["data"]["attributes"] =
                    json!({"first_name": "Ann"});
                e
            },
            "/data/attributes/profile/data/attributes",
        ),
    ];
    for (path, request, pointer) in cases {
        let (status, e) = error(kit.post(path, request.clone()).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{request}");
        assert_eq!(e["code"], "invalid", "{e}");
        assert_eq!(e["title"], "Invalid input.");
        assert_eq!(e["source"]["pointer"], pointer, "{e}");
    }
    let phone_message = error(
        kit.post(
            "/api/profile-subscription-bulk-create-jobs",
            subscribe_body(json!({"email": "ann@example.com", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}}}), None),
        )
        .await,
    )
    .await
    .1;
    assert_eq!(
        phone_message["detail"],
        "'phone_number' must not be empty when the sms channel is included in 'subscriptions'."
    );
    assert!(kit.sandbox().profiles(ACCOUNT).is_empty(), "nothing stored");
    assert!(kit.sandbox().events(ACCOUNT).is_empty());
}

#[tokio::test]
async fn profiles_are_created_updated_and_conflicts_are_named() {
    let kit = Kit::start().await;
    let created = kit
        .import(
            json!({"external_id": "cust_1", "email": "ann@example.com", "first_name": "Ann",
            "last_name": "Lee", "location": {"city": "Boston", "zip": "02110"}}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let profile = body(created).await["data"].clone();
    let id = profile["id"].as_str().unwrap().to_owned();
    assert_eq!(profile["type"], "profile");
    assert_eq!(id.len(), 26);
    assert_eq!(profile["attributes"]["location"]["city"], "Boston");
    assert!(profile["attributes"].get("subscriptions").is_none());

    let updated = kit
        .import(
            json!({"external_id": "cust_1", "phone_number": PHONE, "last_name": null,
            "location": {"zip": null}}),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    let profile = body(updated).await["data"].clone();
    assert_eq!(profile["id"], id.as_str());
    let a = &profile["attributes"];
    assert_eq!(a["first_name"], "Ann", "a missing field stays");
    assert_eq!(a["last_name"], Value::Null, "null clears");
    assert_eq!(a["phone_number"], PHONE);
    assert_eq!(a["location"]["city"], "Boston");
    assert_eq!(a["location"]["zip"], Value::Null);

    let with_consent = kit
        .request(
            Method::POST,
            "/api/profile-import?additional-fields[profile]=subscriptions",
        )
        .header(CONTENT_TYPE, JSON_API)
        .body(
            json!({"data": {"type": "profile", "id": id, "attributes": {"title": "Dr"}}})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(with_consent.status(), StatusCode::OK);
    let profile = body(with_consent).await["data"].clone();
    assert_eq!(
        profile["attributes"]["subscriptions"]["sms"]["marketing"]["consent"],
        "NEVER_SUBSCRIBED"
    );

    let other = kit.profile(json!({"email": "bo@example.com"})).await;
    let clash = kit
        .import(json!({"external_id": "cust_1", "email": "bo@example.com"}))
        .await;
    let (status, e) = error(clash).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(e["code"], "duplicate_profile");
    assert_eq!(e["meta"]["duplicate_profile_id"], other.as_str());
    assert_eq!(e["source"]["pointer"], "/data/attributes");
    assert_eq!(kit.sandbox().profiles(ACCOUNT).len(), 2);

    let unknown_id = kit
        .post(
            "/api/profile-import",
            json!({"data": {"type": "profile", "id": "01NOPE", "attributes": {"first_name": "X"}}}),
        )
        .await;
    assert_eq!(error(unknown_id).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn profiles_are_found_by_external_id_with_or_without_consent() {
    let kit = Kit::start().await;
    let id = kit
        .profile(
            json!({"external_id": "cust_1", "email": "Ann@Example.com", "phone_number": PHONE}),
        )
        .await;

    let plain = body(
        kit.get("/api/profiles?filter=equals(external_id,\"cust_1\")")
            .await,
    )
    .await;
    assert_eq!(plain["data"].as_array().unwrap().len(), 1);
    assert_eq!(plain["data"][0]["id"], id.as_str());
    assert!(plain["data"][0]["attributes"]
        .get("subscriptions")
        .is_none());
    assert!(plain["links"]["self"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));

    let encoded = "/api/profiles?filter=equals%28external_id%2C%27cust_1%27%29&additional-fields%5Bprofile%5D=subscriptions";
    let found = body(kit.get(encoded).await).await;
    let marketing = &found["data"][0]["attributes"]["subscriptions"]["sms"]["marketing"];
    assert_eq!(
        *marketing,
        json!({"consent": "NEVER_SUBSCRIBED", "can_receive_sms_marketing": false,
            "consent_timestamp": null, "method": null, "method_detail": "", "last_updated": null})
    );

    for (query, expected) in [
        ("filter=equals(email,\"ann@example.com\")", 1),
        ("filter=equals(phone_number,\"%2B14155552671\")", 1),
        // A raw `+` is a space in a query string.
        ("filter=equals(phone_number,\"+14155552671\")", 0),
        ("filter=any(external_id,[\"cust_0\",\"cust_1\"])", 1),
        (
            "filter=and(equals(id,\"nope\"),equals(external_id,\"cust_1\"))",
            0,
        ),
        ("filter=equals(external_id,\"cust_2\")", 0),
    ] {
        let found = body(kit.get(&format!("/api/profiles?{query}")).await).await;
        assert_eq!(found["data"].as_array().unwrap().len(), expected, "{query}");
    }

    kit.sandbox()
        .seed_profile(ACCOUNT, json!({"external_id": "twin"}));
    kit.sandbox()
        .seed_profile(ACCOUNT, json!({"external_id": "twin"}));
    let twins = body(
        kit.get("/api/profiles?filter=equals(external_id,\"twin\")")
            .await,
    )
    .await;
    assert_eq!(twins["data"].as_array().unwrap().len(), 2);

    for query in [
        "filter=equals(first_name,\"Ann\")",
        "filter=equals(external_id,cust_1)",
        "filter=greater-than(created,2026-01-01T00:00:00Z)",
    ] {
        let (status, e) = error(kit.get(&format!("/api/profiles?{query}")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(e["source"]["parameter"], "filter");
    }
    for size in ["0", "101", "ten"] {
        let (status, e) = error(kit.get(&format!("/api/profiles?page[size]={size}")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{size}");
        assert_eq!(e["source"]["parameter"], "page[size]");
    }

    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        sms_null: Some(true),
        ..Default::default()
    });
    let nulled = body(kit.get(encoded).await).await;
    assert_eq!(
        nulled["data"][0]["attributes"]["subscriptions"]["sms"],
        Value::Null
    );
}

#[tokio::test]
async fn profiles_page_by_cursor() {
    let kit = Kit::start().await;
    for n in 0..5 {
        kit.sandbox()
            .seed_profile(ACCOUNT, json!({"external_id": format!("c{n}")}));
    }
    let mut url = kit.url("/api/profiles?page%5Bsize%5D=2");
    let mut seen = Vec::new();
    loop {
        let response = kit
            .http
            .get(&url)
            .header("Authorization", format!("Klaviyo-API-Key {KEY}"))
            .header("revision", REVISION)
            .send()
            .await
            .unwrap();
        let page = body(response).await;
        for p in page["data"].as_array().unwrap() {
            seen.push(p["attributes"]["external_id"].as_str().unwrap().to_owned());
        }
        match page["links"]["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ["c0", "c1", "c2", "c3", "c4"]);
    let (status, e) = error(kit.get("/api/profiles?page[cursor]=garbage").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["source"]["parameter"], "page[cursor]");
}

#[tokio::test]
async fn a_single_opt_in_subscribe_shows_once_applied() {
    let kit = Kit::start().await;
    kit.sandbox().freeze_clock(true);
    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        subscribe_delay_ms: Some(5_000),
        ..Default::default()
    });
    let id = kit
        .profile(json!({"external_id": "cust_1", "phone_number": PHONE}))
        .await;
    let accepted = kit
        .subscribe(
            json!({"phone_number": PHONE, "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}}}),
            Some(STANDARD_KLAVIYO_LIST_ID),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    assert!(
        accepted.bytes().await.unwrap().is_empty(),
        "202 has no body"
    );

    assert_eq!(
        kit.sms_consent(PHONE).await["consent"],
        "NEVER_SUBSCRIBED",
        "not yet applied"
    );
    assert!(kit
        .sandbox()
        .list_members(ACCOUNT, STANDARD_KLAVIYO_LIST_ID)
        .is_empty());

    kit.sandbox().advance(Duration::from_secs(5));
    let consent = kit.sms_consent(PHONE).await;
    assert_eq!(consent["consent"], "SUBSCRIBED");
    assert_eq!(consent["can_receive_sms_marketing"], true);
    assert_eq!(consent["method"], "API");
    assert_eq!(consent["method_detail"], "Tracklight tracking page");
    assert!(consent["consent_timestamp"].is_string());
    assert_eq!(
        kit.sandbox()
            .list_members(ACCOUNT, STANDARD_KLAVIYO_LIST_ID),
        [id.as_str()]
    );
    assert!(
        kit.sandbox().outbox(ACCOUNT).is_empty(),
        "single opt-in sends no text"
    );

    // Subscribing again changes nothing [fake policy].
    kit.sandbox().advance(Duration::from_secs(30));
    let again = kit.subscribe_phone(PHONE, STANDARD_KLAVIYO_LIST_ID).await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    kit.sandbox().advance(Duration::from_secs(5));
    let repeat = kit.sms_consent(PHONE).await;
    assert_eq!(repeat["consent_timestamp"], consent["consent_timestamp"]);
    assert_eq!(
        kit.sandbox()
            .list_members(ACCOUNT, STANDARD_KLAVIYO_LIST_ID)
            .len(),
        1
    );
    assert_eq!(
        kit.sandbox().profiles(ACCOUNT).len(),
        1,
        "found by phone, not duplicated"
    );
}

#[tokio::test]
async fn double_opt_in_texts_the_shopper_and_waits_for_yes() {
    let kit = Kit::start().await;
    for _ in 0..2 {
        let r = kit
            .subscribe_phone(PHONE, STANDARD_KLAVIYO_NEWSLETTER_ID)
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    assert_eq!(kit.sms_consent(PHONE).await["consent"], "NEVER_SUBSCRIBED");
    let outbox = kit.sandbox().outbox(ACCOUNT);
    assert_eq!(
        outbox.len(),
        2,
        "every confirmation text is recorded, repeats too"
    );
    assert_eq!(outbox[0]["phone_number"], PHONE);
    assert_eq!(outbox[0]["list_id"], STANDARD_KLAVIYO_NEWSLETTER_ID);
    assert!(outbox[0]["at_ms"].is_i64());
    assert!(kit
        .sandbox()
        .list_members(ACCOUNT, STANDARD_KLAVIYO_NEWSLETTER_ID)
        .is_empty());

    assert!(kit.sandbox().confirm(ACCOUNT, PHONE));
    let consent = kit.sms_consent(PHONE).await;
    assert_eq!(consent["consent"], "SUBSCRIBED");
    assert_eq!(consent["can_receive_sms_marketing"], true);
    assert_eq!(
        kit.sandbox()
            .list_members(ACCOUNT, STANDARD_KLAVIYO_NEWSLETTER_ID)
            .len(),
        1
    );
    assert!(
        !kit.sandbox().confirm(ACCOUNT, PHONE),
        "nothing left to confirm"
    );

    // Without a list, the account default (double opt-in) applies.
    let other = "+14155550199";
    kit.subscribe(sms_profile(other), None).await;
    assert_eq!(kit.sandbox().outbox(ACCOUNT).len(), 3);
    assert_eq!(kit.sandbox().outbox(ACCOUNT)[2]["list_id"], Value::Null);

    // Over HTTP, as a sandbox in its own process is driven.
    let confirmed: Value = kit
        .http
        .post(kit.url(&format!("/sandbox/klaviyo/accounts/{ACCOUNT}/confirm")))
        .json(&json!({"phone_number": other}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed, json!({"confirmed": true}));
    assert_eq!(kit.sms_consent(other).await["consent"], "SUBSCRIBED");
}

#[tokio::test]
async fn an_unsupported_country_stores_no_sms_consent() {
    let kit = Kit::start().await;
    let mexico = "+5215512345678";
    let r = kit.subscribe_phone(mexico, STANDARD_KLAVIYO_LIST_ID).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED, "still 202");
    let profiles = kit.sandbox().profiles(ACCOUNT);
    assert_eq!(profiles.len(), 1);
    assert_eq!(
        profiles[0]["attributes"]["subscriptions"]["sms"]["marketing"]["consent"],
        "NEVER_SUBSCRIBED"
    );
    assert!(kit
        .sandbox()
        .list_members(ACCOUNT, STANDARD_KLAVIYO_LIST_ID)
        .is_empty());
    assert!(kit.sandbox().outbox(ACCOUNT).is_empty());

    // An account that sends there stores it.
    kit.sandbox().add_account(KlaviyoAccountSpec {
        supported_countries: vec!["MX".into()],
        ..standard_klaviyo_account(ACCOUNT, KEY)
    });
    kit.subscribe_phone(mexico, STANDARD_KLAVIYO_LIST_ID).await;
    assert_eq!(kit.sms_consent(mexico).await["consent"], "SUBSCRIBED");

    // An invalid phone beside a valid email, for the email channel only, is dropped.
    let partial = kit
        .subscribe(
            json!({"email": "ann@example.com", "phone_number": "12345",
                "subscriptions": {"email": {"marketing": {"consent": "SUBSCRIBED"}}}}),
            Some(STANDARD_KLAVIYO_LIST_ID),
        )
        .await;
    assert_eq!(partial.status(), StatusCode::ACCEPTED);
    assert_eq!(
        header(&partial, "X-Klaviyo-Partial-Failure"),
        Some("phone_number")
    );

    let unknown_list = kit.subscribe_phone(PHONE, "NoSuch").await;
    let (status, e) = error(unknown_list).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "[fake policy]");
    assert_eq!(e["source"]["pointer"], "/data/relationships/list/data/id");
}

#[tokio::test]
async fn stop_unsubscribes_and_a_later_subscribe_resubscribes() {
    let kit = Kit::start().await;
    kit.subscribe_phone(PHONE, STANDARD_KLAVIYO_LIST_ID).await;
    assert_eq!(kit.sms_consent(PHONE).await["consent"], "SUBSCRIBED");

    assert!(kit.sandbox().stop(ACCOUNT, PHONE));
    let stopped = kit.sms_consent(PHONE).await;
    assert_eq!(stopped["consent"], "UNSUBSCRIBED");
    assert_eq!(stopped["can_receive_sms_marketing"], false);
    assert!(
        !kit.sandbox().stop(ACCOUNT, "+14155550000"),
        "no such profile"
    );

    // [fake policy]: a replayed subscribe after STOP re-subscribes.
    kit.subscribe_phone(PHONE, STANDARD_KLAVIYO_LIST_ID).await;
    let again = kit.sms_consent(PHONE).await;
    assert_eq!(again["consent"], "SUBSCRIBED");
    assert_eq!(again["can_receive_sms_marketing"], true);

    // STOP voids a confirmation still waiting.
    let other = "+14155550123";
    kit.subscribe_phone(other, STANDARD_KLAVIYO_NEWSLETTER_ID)
        .await;
    assert_eq!(kit.sandbox().outbox(ACCOUNT).len(), 1);
    assert!(kit.sandbox().stop(ACCOUNT, other));
    assert!(!kit.sandbox().confirm(ACCOUNT, other));
    assert_eq!(kit.sms_consent(other).await["consent"], "UNSUBSCRIBED");
}

#[tokio::test]
async fn lists_page_by_ten_at_most() {
    let mut spec = standard_klaviyo_account(ACCOUNT, KEY);
    for n in 0..10 {
        spec.lists.push(KlaviyoListSpec {
            id: format!("Extra{n}"),
            name: format!("Extra list {n}"),
            opt_in_process: "double_opt_in".into(),
        });
    }
    let kit = Kit::with(KlaviyoConfig {
        accounts: vec![spec],
        ..KlaviyoConfig::default()
    })
    .await;
    let first = body(kit.get("/api/lists").await).await;
    let data = first["data"].as_array().unwrap();
    assert_eq!(data.len(), 10, "default and maximum page: 10");
    assert_eq!(data[0]["type"], "list");
    assert_eq!(data[0]["id"], STANDARD_KLAVIYO_LIST_ID);
    assert_eq!(data[0]["attributes"]["opt_in_process"], "single_opt_in");
    assert_eq!(data[1]["attributes"]["opt_in_process"], "double_opt_in");
    let next = first["links"]["next"].as_str().expect("a next page");
    let second = kit
        .http
        .get(next)
        .header("Authorization", format!("Klaviyo-API-Key {KEY}"))
        .header("revision", REVISION)
        .send()
        .await
        .unwrap();
    let second = body(second).await;
    assert_eq!(second["data"].as_array().unwrap().len(), 2);
    assert_eq!(second["links"]["next"], Value::Null);

    let (status, e) = error(kit.get("/api/lists?page[size]=11").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["source"]["parameter"], "page[size]");

    let named = body(
        kit.get("/api/lists?filter=equals(name,\"Newsletter\")")
            .await,
    )
    .await;
    assert_eq!(named["data"][0]["id"], STANDARD_KLAVIYO_NEWSLETTER_ID);

    let one = body(
        kit.get(&format!("/api/lists/{STANDARD_KLAVIYO_LIST_ID}"))
            .await,
    )
    .await;
    assert_eq!(
        one["data"]["attributes"]["name"],
        "Tracking page subscribers"
    );
    assert_eq!(
        error(kit.get("/api/lists/NoSuch").await).await.0,
        StatusCode::NOT_FOUND
    );

    let accounts = body(kit.get("/api/accounts").await).await;
    assert_eq!(accounts["data"].as_array().unwrap().len(), 1);
    assert_eq!(accounts["data"][0]["type"], "account");
    assert_eq!(accounts["data"][0]["id"], ACCOUNT);
    assert_eq!(accounts["data"][0]["attributes"]["public_api_key"], ACCOUNT);
}

#[tokio::test]
async fn events_are_deduplicated() {
    let kit = Kit::start().await;
    let time = "2026-08-01T12:00:00Z";
    for _ in 0..2 {
        let r = kit
            .post(
                "/api/events",
                event_body("Shipment Out For Delivery", Some("shp_42:ofd"), time),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        assert!(r.bytes().await.unwrap().is_empty());
    }
    assert_eq!(
        kit.sandbox().events(ACCOUNT).len(),
        1,
        "same unique_id: stored once"
    );
    kit.post(
        "/api/events",
        event_body("Shipment Out For Delivery", Some("shp_43:ofd"), time),
    )
    .await;
    kit.post(
        "/api/events",
        event_body("Shipment Delivered", Some("shp_42:ofd"), time),
    )
    .await;
    assert_eq!(
        kit.sandbox().events(ACCOUNT).len(),
        3,
        "other unique_id or metric: stored"
    );
    // Without unique_id, the second is the key.
    kit.post(
        "/api/events",
        event_body("Shipment Delayed", None, "2026-08-01T12:00:00.100Z"),
    )
    .await;
    kit.post(
        "/api/events",
        event_body("Shipment Delayed", None, "2026-08-01T12:00:00.900Z"),
    )
    .await;
    kit.post(
        "/api/events",
        event_body("Shipment Delayed", None, "2026-08-01T12:00:01Z"),
    )
    .await;
    let events = kit.sandbox().events(ACCOUNT);
    assert_eq!(events.len(), 5);
    assert_eq!(events[0]["metric"], "Shipment Out For Delivery");
    assert_eq!(events[0]["properties"]["tracking_number"], "1Z999");
    assert_eq!(events[0]["datetime"], "2026-08-01T12:00:00+00:00");
    let profiles = kit.sandbox().profiles(ACCOUNT);
    assert_eq!(profiles.len(), 1, "the event's profile was created once");
    assert_eq!(profiles[0]["attributes"]["external_id"], "cust_9");
    assert_eq!(events[0]["profile_id"], profiles[0]["id"]);
}

#[tokio::test]
async fn a_burst_gets_429_with_retry_after_until_the_clock_moves() {
    let kit = Kit::start().await;
    kit.sandbox().freeze_clock(true);
    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        limits: Some(Some(KlaviyoLimits {
            burst: 2,
            steady: 5,
        })),
        ..Default::default()
    });
    for remaining in ["4", "3"] {
        let ok = kit.get("/api/profiles").await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(header(&ok, "RateLimit-Limit"), Some("5"));
        assert_eq!(header(&ok, "RateLimit-Remaining"), Some(remaining));
        assert_eq!(header(&ok, "RateLimit-Reset"), Some("60"));
    }
    let throttled = kit.get("/api/profiles").await;
    assert_eq!(header(&throttled, "Retry-After"), Some("1"));
    assert_eq!(
        header(&throttled, "RateLimit-Limit"),
        None,
        "a 429 has only Retry-After"
    );
    assert_eq!(header(&throttled, "RateLimit-Remaining"), None);
    let (status, e) = error(throttled).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(e["code"], "throttled");
    assert_eq!(
        e["detail"],
        "Request was throttled. Expected available in 1 second."
    );

    let other_endpoint = kit.get("/api/lists").await;
    assert_eq!(
        other_endpoint.status(),
        StatusCode::OK,
        "limits are per endpoint"
    );

    kit.sandbox().advance(Duration::from_millis(999));
    assert_eq!(
        kit.get("/api/profiles").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    kit.sandbox().advance(Duration::from_millis(1));
    let recovered = kit.get("/api/profiles").await;
    assert_eq!(recovered.status(), StatusCode::OK);
    assert_eq!(header(&recovered, "RateLimit-Reset"), Some("59"));

    // The steady window: 5 a minute.
    kit.sandbox().advance(Duration::from_secs(1));
    assert_eq!(kit.get("/api/profiles").await.status(), StatusCode::OK);
    kit.sandbox().advance(Duration::from_secs(1));
    let last = kit.get("/api/profiles").await;
    assert_eq!(header(&last, "RateLimit-Remaining"), Some("0"));
    assert_eq!(header(&last, "RateLimit-Reset"), Some("57"));
    let minute = kit.get("/api/profiles").await;
    assert_eq!(minute.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&minute, "Retry-After"), Some("57"));
    assert_eq!(
        error(minute).await.1["detail"],
        "Request was throttled. Expected available in 57 seconds."
    );
    kit.sandbox().advance(Duration::from_secs(56));
    assert_eq!(
        kit.get("/api/profiles").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    kit.sandbox().advance(Duration::from_secs(1));
    assert_eq!(kit.get("/api/profiles").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn get_accounts_keeps_klaviyos_one_a_second() {
    let kit = Kit::start().await;
    kit.sandbox().freeze_clock(true);
    let first = kit.get("/api/accounts").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "RateLimit-Limit"), Some("15"));
    assert_eq!(
        kit.get("/api/accounts").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    kit.sandbox().advance(Duration::from_secs(1));
    assert_eq!(kit.get("/api/accounts").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn fault_switches_answer_as_klaviyo_and_cloudflare_do() {
    let kit = Kit::start().await;
    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        fail_next: Some(1),
        error_status: Some(503),
        ..Default::default()
    });
    assert_eq!(
        error(kit.get("/api/lists").await).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(kit.get("/api/lists").await.status(), StatusCode::OK);

    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        fail_next: Some(1),
        error_status: Some(429),
        ..Default::default()
    });
    let throttled = kit.get("/api/lists").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&throttled, "Retry-After"), Some("1"));

    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        fail_next: Some(1),
        error_status: Some(502),
        ..Default::default()
    });
    let gateway = kit.get("/api/lists").await;
    assert_eq!(gateway.status(), StatusCode::BAD_GATEWAY);
    assert!(content_type(gateway.headers()).starts_with("text/html"));

    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        html_challenge: Some(true),
        ..Default::default()
    });
    let challenge = kit.get("/api/lists").await;
    assert_eq!(challenge.status(), StatusCode::FORBIDDEN);
    assert_eq!(header(&challenge, "cf-mitigated"), Some("challenge"));
    assert!(content_type(challenge.headers()).starts_with("text/html"));

    kit.sandbox().set_faults(KlaviyoFaultsPatch {
        html_challenge: Some(false),
        bearer_html: Some(true),
        ..Default::default()
    });
    let bearer = kit
        .http
        .get(kit.url("/api/lists"))
        .header("Authorization", format!("Bearer {KEY}"))
        .header("revision", REVISION)
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::BAD_REQUEST);
    assert!(content_type(bearer.headers()).starts_with("text/html"));
}

#[tokio::test]
async fn the_request_log_masks_phones_and_emails() {
    let kit = Kit::start().await;
    kit.profile(
        json!({"external_id": "cust_1", "email": "ann@example.com", "phone_number": PHONE}),
    )
    .await;
    kit.get("/api/profiles?filter=equals(phone_number,\"%2B14155552671\")")
        .await;
    kit.get("/api/profiles?filter=equals(email,'ann@example.com')")
        .await;
    kit.http.get(kit.url("/api/lists")).send().await.unwrap();
    kit.post(
        "/api/events",
        event_body("Shipment Delivered", Some("s:1"), "2026-08-01T12:00:00Z"),
    )
    .await;

    let log = kit.sandbox().requests();
    assert_eq!(log.len(), 5);
    let import = &log[0];
    assert_eq!(import.method, "POST");
    assert_eq!(import.path, "/api/profile-import");
    assert_eq!(import.status, 201);
    assert_eq!(import.store_id.as_deref(), Some(ACCOUNT));
    let attributes = &import.body.as_ref().unwrap()["data"]["attributes"];
    assert_eq!(attributes["phone_number"], "+1*******671");
    assert_eq!(attributes["email"], "a***@example.com");
    assert_eq!(attributes["external_id"], "cust_1");
    assert_eq!(
        log[1].query.as_deref(),
        Some("filter=equals(phone_number,\"+1*******671\")")
    );
    assert_eq!(
        log[2].query.as_deref(),
        Some("filter=equals(email,'a***@example.com')")
    );
    assert_eq!(log[3].status, 401);
    assert_eq!(log[3].store_id, None, "no key, no account");
    let event = &log[4].body.as_ref().unwrap()["data"]["attributes"];
    assert_eq!(
        event["metric"]["data"]["attributes"]["name"], "Shipment Delivered",
        "a metric is no person"
    );
    assert_eq!(
        event["profile"]["data"]["attributes"]["email"],
        "a***@example.com"
    );
    let everything = serde_json::to_string(&log).unwrap();
    assert!(!everything.contains("4155552671"), "{everything}");
    assert!(!everything.contains("ann@"), "{everything}");

    kit.sandbox().clear_requests();
    assert!(kit.sandbox().requests().is_empty());
}

#[tokio::test]
async fn the_control_api_sets_up_and_shows_the_sandbox() {
    let kit = Kit::with(KlaviyoConfig::default()).await;
    let control = |path: &str| kit.url(&format!("/sandbox/klaviyo{path}"));
    let added = kit
        .http
        .post(control("/accounts"))
        .json(&standard_klaviyo_account(ACCOUNT, KEY))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let bad = kit
        .http
        .post(control("/accounts"))
        .json(&json!({"account_id": "X", "lists": [{"id": "L", "name": "L", "opt_in_process": "maybe"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    kit.subscribe_phone(PHONE, STANDARD_KLAVIYO_NEWSLETTER_ID)
        .await;
    let stopped: Value = kit
        .http
        .post(control(&format!("/accounts/{ACCOUNT}/stop")))
        .json(&json!({"phone_number": PHONE}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stopped, json!({"stopped": true}));

    let seeded: Value = kit
        .http
        .post(control(&format!("/accounts/{ACCOUNT}/profiles")))
        .json(&json!({"external_id": "seeded"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(seeded["id"].is_string());

    let account: Value = kit
        .http
        .get(control(&format!("/accounts/{ACCOUNT}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["profiles"].as_array().unwrap().len(), 2);
    assert_eq!(account["outbox"].as_array().unwrap().len(), 1);
    assert_eq!(account["lists"][0]["id"], STANDARD_KLAVIYO_LIST_ID);
    assert_eq!(
        kit.http
            .get(control("/accounts/Nobody"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let faults: Value = kit
        .http
        .put(control("/faults"))
        .json(&json!({"limits": {"burst": 1, "steady": 2}, "sms_null": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["limits"], json!({"burst": 1, "steady": 2}));
    assert_eq!(faults["sms_null"], true);
    let typo = kit
        .http
        .put(control("/faults"))
        .json(&json!({"sms_nul": true}))
        .send()
        .await
        .unwrap();
    assert!(typo.status().is_client_error());

    let before = kit.sandbox().now_ms();
    let clock: Value = kit
        .http
        .post(control("/clock"))
        .json(&json!({"advance_ms": 120000}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(clock["now_ms"].as_i64().unwrap() >= before + 120_000);

    let log: Value = kit
        .http
        .get(control(&format!("/requests?account_id={ACCOUNT}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        log["requests"].as_array().unwrap().len(),
        1,
        "control calls are not logged"
    );
    let overview: Value = kit
        .http
        .get(control(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(overview["accounts"], json!([ACCOUNT]));
}

#[test]
fn the_klaviyo_router_merges_with_the_yotpo_sandbox() {
    let yotpo = sandbox::Sandbox::new(sandbox::SandboxConfig::default());
    let klaviyo = KlaviyoSandbox::new(KlaviyoConfig::default());
    // Overlapping routes would panic here.
    let _app = yotpo.router().merge(klaviyo.router());
}
