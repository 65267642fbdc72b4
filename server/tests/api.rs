//! Black-box tests of the REST API, the tracking page and the health endpoints, against a
//! whole app on port 0 with a fresh database, once on SQLite and once on PostgreSQL.

mod common;

use common::{new_merchant, order_body, spawn_app, Backend};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    put_order_creates_then_updates_idempotently,
    requests_without_a_valid_key_are_refused,
    merchants_cannot_see_or_touch_each_others_data,
    invalid_input_names_the_field,
    a_failed_request_writes_nothing,
    oversized_and_non_json_bodies_are_refused,
    checkpoints_are_appended_once_and_set_the_status,
    tracking_page_shows_the_shipment_newest_first,
    tracking_page_explains_problems_and_says_when_delivered,
    unknown_tokens_get_a_plain_not_found,
    concurrent_identical_puts_make_one_order,
    health_endpoints_answer,
    the_tracking_server_function_answers_at_its_stable_endpoint,
    repeat_views_are_304_and_a_change_shows_at_once,
);

async fn put_order_creates_then_updates_idempotently(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = order_body("1001-1");

    let first = app
        .put_json("/api/v1/orders/1001", &app.api_key, &body)
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["id"], "1001");
    assert_eq!(
        first["customer"]["phone"], "+14155552671",
        "phone stored in E.164"
    );
    assert_eq!(first["customer"]["shipping_country"], "US");
    let shipment = &first["shipments"][0];
    assert_eq!(shipment["status"], "pending");
    assert_eq!(shipment["estimated_delivery"], "2026-11-27");
    let url = shipment["tracking_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/t/", app.base)), "{url}");

    app.clock.advance(time::Duration::minutes(5));
    let again = app
        .put_json("/api/v1/orders/1001", &app.api_key, &body)
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["created_at"], "2026-11-24T12:00:00Z");
    assert_eq!(again["updated_at"], "2026-11-24T12:05:00Z");
    assert_eq!(again["shipments"].as_array().unwrap().len(), 1);
    assert_eq!(
        again["shipments"][0]["tracking_url"],
        url.as_str(),
        "the link never changes"
    );

    let mut changed = body.clone();
    changed["customer"]["first_name"] = json!("Anna");
    changed["shipments"][0]["carrier"] = json!("FedEx");
    changed["shipments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "1001-2", "carrier": "DHL", "tracking_number": "JJD01"}));
    let updated: Value = app
        .put_json("/api/v1/orders/1001", &app.api_key, &changed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["customer"]["first_name"], "Anna");
    assert_eq!(updated["shipments"][0]["carrier"], "FedEx");
    assert_eq!(updated["shipments"][0]["tracking_url"], url.as_str());
    assert_eq!(updated["shipments"][1]["id"], "1001-2");

    let read: Value = app
        .get_auth("/api/v1/orders/1001", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, updated);
    let shipment: Value = app
        .get_auth("/api/v1/shipments/1001-2", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shipment["order_id"], "1001");
}

async fn requests_without_a_valid_key_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = order_body("1-1");
    let url = app.url("/api/v1/orders/1");
    let no_key = app.client.put(&url).json(&body).send().await.unwrap();
    assert_eq!(no_key.status(), StatusCode::UNAUTHORIZED);
    let err: Value = no_key.json().await.unwrap();
    assert_eq!(err["error"]["code"], "unauthorized");

    for header in [
        "Bearer tl_not-a-real-key",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        &app.api_key,
    ] {
        let resp = app
            .client
            .put(&url)
            .header("authorization", header)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{header}");
    }
    let ok = app.put_json("/api/v1/orders/1", &app.api_key, &body).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

async fn merchants_cannot_see_or_touch_each_others_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let other_key = new_merchant(&app.state, "Other Shop").await;
    let created = app.put_order("1001", &order_body("S1")).await;

    assert_eq!(
        app.get_auth("/api/v1/orders/1001", &other_key)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_auth("/api/v1/shipments/S1", &other_key)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let cp = json!({"checkpoints": [{"time": "2026-11-24T10:00:00Z", "message": "x", "status": "in_transit"}]});
    assert_eq!(
        app.post_json("/api/v1/shipments/S1/checkpoints", &other_key, &cp)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // The same IDs in another merchant's namespace are a separate order and shipment.
    let mut theirs = order_body("S1");
    theirs["customer"]["first_name"] = json!("Zed");
    let resp = app
        .put_json("/api/v1/orders/1001", &other_key, &theirs)
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let theirs: Value = resp.json().await.unwrap();
    assert_ne!(
        theirs["shipments"][0]["tracking_url"],
        created["shipments"][0]["tracking_url"]
    );
    let mine: Value = app
        .get_auth("/api/v1/orders/1001", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["customer"]["first_name"], "Ana");
    let mine: Value = app
        .get_auth("/api/v1/shipments/S1", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["checkpoint_count"], 0);
}

async fn invalid_input_names_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = order_body("X-1");
        f(&mut b);
        b
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with(&|b| b["customer"]["email"] = json!("not-an-email")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer.email",
        ),
        (
            with(&|b| b["customer"]["shipping_country"] = json!("XX")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer.shipping_country",
        ),
        (
            with(&|b| b["customer"]["phone"] = json!("555")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer.phone",
        ),
        (
            with(&|b| b["customer"]["id"] = json!("  ")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "customer.id",
        ),
        (
            with(&|b| b["shipments"][0]["carrier"] = json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "shipments[0].carrier",
        ),
        (
            with(&|b| b["shipments"][0]["status"] = json!("teleported")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "shipments[0].status",
        ),
        (
            with(&|b| b["shipments"][0]["estimated_delivery"] = json!("27/11/2026")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "shipments[0].estimated_delivery",
        ),
        (
            with(&|b| b["shipments"][0]["tracking_number"] = json!(12345)),
            StatusCode::BAD_REQUEST,
            "shipments[0].tracking_number",
        ),
        (
            with(&|b| b["customer"]["id"] = json!(42)),
            StatusCode::BAD_REQUEST,
            "customer.id",
        ),
        (
            with(&|b| b["customer"]["favourite_colour"] = json!("blue")),
            StatusCode::BAD_REQUEST,
            "customer",
        ),
        (
            with(&|b| {
                let s = b["shipments"][0].clone();
                b["shipments"].as_array_mut().unwrap().push(s);
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "shipments[1].id",
        ),
    ];
    for (body, status, field) in cases {
        let resp = app.put_json("/api/v1/orders/X", &app.api_key, &body).await;
        assert_eq!(resp.status(), status, "{field}");
        let err: Value = resp.json().await.unwrap();
        let got = err["error"]["field"].as_str().unwrap_or("");
        assert!(got.starts_with(field), "expected field {field}, got {err}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }

    // Several bad fields are all reported.
    let mut body = order_body("X-1");
    body["customer"]["email"] = json!("nope");
    body["shipments"][0]["carrier"] = json!("");
    let err: Value = app
        .put_json("/api/v1/orders/X", &app.api_key, &body)
        .await
        .json()
        .await
        .unwrap();
    let fields: Vec<&str> = err["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["customer.email", "shipments[0].carrier"]);

    // Unknown endpoints and methods answer JSON too.
    let resp = app.get_auth("/api/v1/nothing/here", &app.api_key).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    let resp = app
        .client
        .delete(app.url("/api/v1/orders/X"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["error"]["code"],
        "method_not_allowed"
    );

    let missing = app
        .put_json("/api/v1/orders/X", &app.api_key, &json!({"shipments": []}))
        .await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let err: Value = missing.json().await.unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("customer"),
        "{err}"
    );

    assert_eq!(
        app.get_auth("/api/v1/orders/X", &app.api_key)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_failed_request_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(
        app.put_json("/api/v1/orders/A", &app.api_key, &order_body("A-1"))
            .await
            .status(),
        StatusCode::CREATED
    );

    // Order B lists a fresh shipment, then one that belongs to order A: all of B is refused.
    let mut b = order_body("B-1");
    b["shipments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "A-1", "carrier": "UPS", "tracking_number": "Z"}));
    let resp = app.put_json("/api/v1/orders/B", &app.api_key, &b).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"]["field"], "shipments[1].id");
    assert_eq!(
        app.get_auth("/api/v1/orders/B", &app.api_key)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_auth("/api/v1/shipments/B-1", &app.api_key)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let a: Value = app
        .get_auth("/api/v1/shipments/A-1", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a["order_id"], "A");
    assert_eq!(a["tracking_number"], "1Z999AA10123456784");

    // A checkpoint batch with one bad entry stores none of them.
    let cps = json!({"checkpoints": [
        {"time": "2026-11-24T10:00:00Z", "message": "ok", "status": "in_transit"},
        {"time": "yesterday", "message": "bad", "status": "in_transit"}
    ]});
    let resp = app
        .post_json("/api/v1/shipments/A-1/checkpoints", &app.api_key, &cps)
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"]["field"], "checkpoints[1].time");
    let a: Value = app
        .get_auth("/api/v1/shipments/A-1", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a["checkpoint_count"], 0);
}

async fn oversized_and_non_json_bodies_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut body = order_body("BIG-1");
    body["customer"]["first_name"] = json!("x".repeat(300_000));
    let resp = app
        .put_json("/api/v1/orders/BIG", &app.api_key, &body)
        .await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"]["code"], "payload_too_large");

    let resp = app
        .client
        .put(app.url("/api/v1/orders/T"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/plain")
        .body(order_body("T-1").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let resp = app
        .client
        .put(app.url("/api/v1/orders/T"))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body("{\"customer\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"]["code"], "invalid_json");
}

async fn checkpoints_are_appended_once_and_set_the_status(backend: Backend) {
    let app = spawn_app(backend).await;
    app.put_json("/api/v1/orders/1001", &app.api_key, &order_body("1001-1"))
        .await;
    // Sent out of order: the newest (by time, not position) decides the status.
    let cps = json!({"checkpoints": [
        {"time": "2026-11-24T09:30:00-08:00", "location": "Portland, OR, US", "message": "Out for delivery", "status": "OutForDelivery"},
        {"time": "2026-11-23T08:00:00-08:00", "location": "Seattle, WA, US", "message": "Picked up", "status": "in_transit"}
    ]});
    let resp = app
        .post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &cps)
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let out: Value = resp.json().await.unwrap();
    assert_eq!(out["inserted"], 2);
    assert_eq!(out["duplicates"], 0);
    assert_eq!(out["shipment"]["status"], "out_for_delivery");
    assert_eq!(out["shipment"]["checkpoint_count"], 2);

    let again: Value = app
        .post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &cps)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["inserted"], 0);
    assert_eq!(again["duplicates"], 2);
    assert_eq!(again["shipment"]["checkpoint_count"], 2);

    let older = json!({"checkpoints": [{"time": "2026-11-22T08:00:00Z", "message": "Label created", "status": "info_received"}]});
    let out: Value = app
        .post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &older)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["inserted"], 1);
    assert_eq!(
        out["shipment"]["status"], "out_for_delivery",
        "an older checkpoint does not win"
    );

    let missing = app
        .post_json("/api/v1/shipments/nope/checkpoints", &app.api_key, &older)
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let empty = app
        .post_json(
            "/api/v1/shipments/1001-1/checkpoints",
            &app.api_key,
            &json!({"checkpoints": []}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn tracking_page_shows_the_shipment_newest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let cps = json!({"checkpoints": [
        {"time": "2026-11-23T08:00:00-08:00", "location": "Seattle, WA, US", "message": "Picked up by carrier", "status": "in_transit"},
        {"time": "2026-11-24T09:30:00-08:00", "location": "Portland, OR, US", "message": "Out for delivery today", "status": "out_for_delivery"}
    ]});
    app.post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &cps)
        .await;

    let resp = app.tracking_page(&order).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["cache-control"],
        "private, no-cache",
        "personal pages: kept by the browser only, and checked before each use"
    );
    assert_eq!(
        resp.headers()["referrer-policy"],
        "same-origin",
        "links do not leak"
    );
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    for expected in [
        "Out for delivery",
        "UPS",
        "1Z999AA10123456784",
        "Acme",
        "Hi Ana",
        "Portland, United States",
        "Friday, November 27, 2026",
        "9:30\u{202f}AM GMT-8",
        "datetime=\"2026-11-24T09:30:00-08:00\"",
    ] {
        assert!(html.contains(expected), "page lacks {expected:?}");
    }
    let newest = html.find("Out for delivery today").unwrap();
    let oldest = html.find("Picked up by carrier").unwrap();
    assert!(newest < oldest, "timeline must be newest first");
    for private in ["ana@example.com", "López", "5552671", "cust-42"] {
        assert!(!html.contains(private), "page leaks {private:?}");
    }
}

async fn tracking_page_explains_problems_and_says_when_delivered(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = app.put_order("7", &order_body("7-1")).await;
    let page = || async {
        let resp = app.tracking_page(&order).await;
        resp.text().await.unwrap()
    };
    let html = page().await;
    assert!(html.contains("Estimated delivery"));
    assert!(
        !html.contains("class=\"hint\""),
        "no hint while all is well"
    );

    let cp = |time: &str, status: &str, message: &str| json!({"checkpoints": [{"time": time, "message": message, "status": status}]});
    let problem = cp("2026-11-24T10:00:00Z", "exception", "Address incomplete");
    app.post_json("/api/v1/shipments/7-1/checkpoints", &app.api_key, &problem)
        .await;
    let html = page().await;
    assert!(html.contains("Delivery problem"));
    assert!(
        html.contains("reported a problem") && html.contains("contact Acme"),
        "{html}"
    );

    let done = cp(
        "2026-11-25T16:20:00+01:00",
        "delivered",
        "Delivered to neighbour",
    );
    app.post_json("/api/v1/shipments/7-1/checkpoints", &app.api_key, &done)
        .await;
    let html = page().await;
    assert!(
        html.contains(
            "Delivered <time datetime=\"2026-11-25T16:20:00+01:00\">Wed, Nov 25, 4:20\u{202f}PM GMT+1</time>"
        ),
        "{html}"
    );
    assert!(
        !html.contains("Estimated delivery"),
        "no estimate once delivered"
    );
    assert!(!html.contains("class=\"hint\""));
}

async fn unknown_tokens_get_a_plain_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    app.put_json("/api/v1/orders/1001", &app.api_key, &order_body("1001-1"))
        .await;
    for path in [
        "/t/AAAAAAAAAAAAAAAAAAAAAA",
        "/t/short",
        "/t/..%2F..%2Fetc",
        "/no/such/page",
    ] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("Page not found"), "{path}");
        assert!(
            !html.contains("Acme") && !html.contains("UPS"),
            "{path} reveals data"
        );
    }
}

async fn concurrent_identical_puts_make_one_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = order_body("C-1");
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let request = app
                .client
                .put(app.url("/api/v1/orders/C"))
                .bearer_auth(&app.api_key)
                .json(&body);
            tokio::spawn(async move { request.send().await.expect("request") })
        })
        .collect();
    let mut responses = Vec::new();
    for t in tasks {
        responses.push(t.await.unwrap());
    }
    let mut created = 0;
    let mut urls = std::collections::HashSet::new();
    for resp in responses {
        let status = resp.status();
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{status}"
        );
        created += usize::from(status == StatusCode::CREATED);
        let v: Value = resp.json().await.unwrap();
        urls.insert(
            v["shipments"][0]["tracking_url"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(created, 1, "exactly one request creates the order");
    assert_eq!(urls.len(), 1, "one shipment, one link");
}

async fn health_endpoints_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    app.state.db.close().await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

async fn the_tracking_server_function_answers_at_its_stable_endpoint(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let url = order["shipments"][0]["tracking_url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap().to_owned();
    let resp = app
        .client
        .post(app.url("/api/fn/tracking_view"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let view: Value = resp.json().await.unwrap();
    assert_eq!(view["parcels"][0]["carrier"], "UPS");
    assert_eq!(view["brand"]["name"], "Acme");
    assert!(view.get("email").is_none());

    let resp = app
        .client
        .post(app.url("/api/fn/tracking_view"))
        .form(&[("token", "AAAAAAAAAAAAAAAAAAAAAA")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::NOT_FOUND,
        "a 404, not a server error"
    );
    let body = resp.text().await.unwrap();
    assert!(body.contains("NotFound"), "{body}");
}

// On a multi-threaded runtime, as in production: a render then runs on another thread than
// the one that drops its request. Built by hand so that a deadlocked worker cannot hang the
// test binary at shutdown.
#[test]
fn sqlite_pages_dropped_mid_render_leave_the_server_calm() {
    on_a_multi_threaded_runtime(pages_dropped_mid_render_leave_the_server_calm(
        Backend::Sqlite,
    ));
}

#[test]
fn postgres_pages_dropped_mid_render_leave_the_server_calm() {
    on_a_multi_threaded_runtime(pages_dropped_mid_render_leave_the_server_calm(
        Backend::Postgres,
    ));
}

fn on_a_multi_threaded_runtime(test: impl std::future::Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime
        .block_on(async { tokio::time::timeout(std::time::Duration::from_secs(120), test).await });
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    outcome.expect("the test did not finish within 2 minutes");
}

/// Panics in this process whose message says a reactive value was read after disposal.
static DISPOSED_READS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn count_disposed_reads() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.to_string().contains("already been disposed") {
                DISPOSED_READS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// Shoppers close tabs and reload: a tracking page (or the embedded widget) whose request is
/// dropped mid-render must neither panic its render by reading the page's reactive values
/// after Leptos disposed them, nor leave the render stuck (a `Resource` here once deadlocked
/// a worker thread on the disposed owner's lock).
async fn pages_dropped_mid_render_leave_the_server_calm(backend: Backend) {
    count_disposed_reads();
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let page = order["shipments"][0]["tracking_url"].as_str().unwrap();
    let embed = page.replace("/t/", "/embed/t/");
    // A link nobody was given (a probe): its "not found" page is dropped mid-render too.
    let last = if page.ends_with('x') { "y" } else { "x" };
    let unknown = format!("{}{last}", &page[..page.len() - 1]);
    assert_eq!(app.tracking_page(&order).await.status(), StatusCode::OK);
    let metrics = tokio::runtime::Handle::current().metrics();
    let tasks_before = metrics.num_alive_tasks();
    let before = DISPOSED_READS.load(std::sync::atomic::Ordering::SeqCst);
    for i in 0..150u64 {
        for url in [page, embed.as_str(), unknown.as_str()] {
            // A fresh connection each time, dropped after 1 to 5 ms: mid-render, often.
            let client = reqwest::Client::new();
            let _ = client
                .get(url)
                .timeout(std::time::Duration::from_millis(1 + i % 5))
                .send()
                .await;
        }
    }
    // Every render of a dropped request ends (none is stuck)...
    common::eventually(30, "the renders of dropped requests to end", || async {
        metrics.num_alive_tasks() <= tasks_before
    })
    .await;
    // ...without reading disposed values.
    assert_eq!(
        DISPOSED_READS.load(std::sync::atomic::Ordering::SeqCst) - before,
        0,
        "a dropped page's render read disposed reactive values (see the panics above)"
    );
    assert_eq!(app.tracking_page(&order).await.status(), StatusCode::OK);
}

/// Every server function, called by a script with no arguments at all: a 4xx that says
/// what is wrong, never a 5xx.
#[tokio::test]
async fn server_functions_answer_missing_arguments_with_a_4xx() {
    let app = spawn_app(Backend::Sqlite).await;
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert!(paths.len() >= 15, "{paths:?}");
    for path in paths {
        let resp = app
            .client
            .post(app.url(path))
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert!(status.is_client_error(), "{path}: {status} {body}");
    }
}

/// Every page allows only its own scripts. Merchants' pages: a nonce new with each response,
/// carried by every script. Shoppers' pages, whose HTML is cached and shared: the SHA-256 of
/// each of their inline scripts, and no script from elsewhere.
#[tokio::test]
async fn pages_allow_only_their_own_scripts() {
    use common::{csp_hash, inline_scripts};
    let app = spawn_app(Backend::Sqlite).await;
    app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let page = order["shipments"][0]["tracking_url"].as_str().unwrap();
    let policy_of = |resp: &reqwest::Response| {
        resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned()
    };

    let mut nonces = Vec::new();
    for _ in 0..2 {
        let resp = app.client.get(app.url("/signin")).send().await.unwrap();
        let policy = policy_of(&resp);
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"))
            .to_owned();
        assert!(policy.contains("'strict-dynamic'") && policy.contains("object-src 'none'"));
        let scripts = inline_scripts(&resp.text().await.unwrap());
        assert!(!scripts.is_empty());
        for (attributes, _) in &scripts {
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "a merchant page's script without the nonce: <script{attributes}>"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce each time");

    for url in [
        page.to_owned(),
        page.replace("/t/", "/embed/t/") + "?host=https://shop.example",
    ] {
        let resp = app.client.get(&url).send().await.unwrap();
        let policy = policy_of(&resp);
        assert!(!policy.contains("'nonce-"), "{policy}");
        assert!(policy.contains("'strict-dynamic'") && policy.contains("object-src 'none'"));
        let scripts = inline_scripts(&resp.text().await.unwrap());
        assert!(!scripts.is_empty(), "{url}");
        for (attributes, text) in scripts {
            assert!(!attributes.contains("src="), "{url}: <script{attributes}>");
            assert!(
                policy.contains(&csp_hash(&text)),
                "{url}: the policy {policy} does not allow the script {text}"
            );
        }
    }
}

/// A shopper's page is rendered once per state and kept: a repeat view of an unchanged page
/// is a 304, and any change (a new checkpoint, a sign-up) shows at once.
async fn repeat_views_are_304_and_a_change_shows_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let page = order["shipments"][0]["tracking_url"].as_str().unwrap();
    let get = |etag: Option<String>| {
        let mut request = app.client.get(page);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        async move { request.send().await.unwrap() }
    };
    let first = get(None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["cache-control"], "private, no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let first = first.text().await.unwrap();
    let again = get(None).await;
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert_eq!(again.text().await.unwrap(), first, "the same copy");
    let unchanged = get(Some(etag.clone())).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()["etag"], etag.as_str());
    assert!(unchanged.headers().contains_key("content-security-policy"));
    assert!(unchanged.text().await.unwrap().is_empty());

    // A new checkpoint: the old tag gets the new page.
    let cps = json!({"checkpoints": [{"time": "2026-11-24T09:30:00-08:00", "location": "Portland, OR, US", "message": "Out for delivery today", "status": "out_for_delivery"}]});
    app.post_json("/api/v1/shipments/1001-1/checkpoints", &app.api_key, &cps)
        .await;
    let changed = get(Some(etag.clone())).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert!(changed
        .text()
        .await
        .unwrap()
        .contains("Out for delivery today"));

    // A sign-up with the copy's own form key: the page shows it at once.
    let key = first
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's key")
        .to_owned();
    let token = common::token_of(&order);
    let mut form = app.consent_form(&token, "(415) 555-2671").await;
    for (name, value) in &mut form {
        if name == "key" {
            *value = key.clone();
        }
    }
    assert_eq!(app.subscribe(&form).await.status(), StatusCode::OK);
    let signed_up = get(Some(new_etag)).await;
    assert_eq!(signed_up.status(), StatusCode::OK);
    let html = signed_up.text().await.unwrap();
    assert!(
        html.contains(&app::domain::mask::phone("+14155552671")),
        "the confirmation: {html}"
    );
    assert!(!html.contains("id=\"sms-offer\""), "no form any more");
}

/// Behind https, browsers are told to stay on https.
#[tokio::test]
async fn https_sites_send_hsts() {
    use tower::ServiceExt;
    let app = spawn_app(Backend::Sqlite).await;
    let (url, dir) = common::fresh_database(Backend::Sqlite).await;
    let settings = server::config::Settings::for_tests(dir.path().to_path_buf(), url);
    let mut state = app.state.clone();
    state.public_url = app::ssr::state::PublicUrl::parse("https://track.example").unwrap();
    let router = server::routes::router(state, &settings);
    let resp = router
        .oneshot(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let plain = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
}
