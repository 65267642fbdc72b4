//! Shipments that arrive by themselves: signed webhook deliveries from Shopify, EasyPost and
//! AfterShip create and update orders, shipments and their timelines, through the whole app
//! (`POST /hooks/{source}/{hook}`, stored, processed by the inbox). Payloads follow each
//! source's documented shapes (docs/ingest-sources.md, with sources). Time is the app's
//! `ManualClock` (2026-11-24 12:00 UTC).

mod common;

use app::ssr::ingest::{self, hmac_sha256, Source};
use app::ssr::merchants;
use base64::Engine;
use common::{eventually, order_body, spawn_app, token_of, Backend, TestApp};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

const SECRET: &str = "shpss_0123456789abcdef";

/// Connects `source` for the app's merchant; returns the webhook's path.
async fn hook(app: &TestApp, source: Source) -> String {
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let id = ingest::connect(&app.state, &merchant, source, &SECRET.to_owned().into())
        .await
        .unwrap();
    format!("/hooks/{}/{id}", source.as_str())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Posts a Shopify delivery of `topic`, signed with `secret`.
async fn shopify(
    app: &TestApp,
    path: &str,
    topic: &str,
    event_id: &str,
    body: &Value,
    secret: &str,
) -> reqwest::Response {
    let body = serde_json::to_vec(body).unwrap();
    app.client
        .post(app.url(path))
        .header("content-type", "application/json")
        .header("x-shopify-topic", topic)
        .header(
            "x-shopify-hmac-sha256",
            b64(&hmac_sha256(secret.as_bytes(), &body)),
        )
        .header("x-shopify-shop-domain", "northwind.myshopify.com")
        .header("x-shopify-webhook-id", format!("wh-{event_id}"))
        .header("x-shopify-event-id", event_id)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Shopify's order sample, trimmed (docs/ingest-sources.md §1.5).
fn shopify_order(customer: Option<u64>) -> Value {
    json!({
        "id": 820982911946154508_u64, "name": "#1001", "order_number": 1001,
        "email": "jon@example.com", "phone": null, "cancelled_at": null,
        "customer": customer.map(|id| json!({
            "id": id, "first_name": "Jon", "last_name": "Smith",
            "email": "jon@example.com", "phone": "+14155552671"
        })),
        "shipping_address": {"first_name": "Jon", "phone": "+14155552671", "city": "Portland",
                             "zip": "97205", "country_code": "US"},
        "fulfillments": [],
        "updated_at": "2026-11-24T07:00:00-05:00"
    })
}

/// Shopify's fulfillment sample, trimmed.
fn shopify_fulfillment(status: Option<&str>, updated_at: &str) -> Value {
    json!({
        "id": 255858046_u64, "order_id": 820982911946154508_u64, "name": "#1001.1",
        "status": "success", "shipment_status": status,
        "tracking_company": "UPS", "tracking_number": "1Z2345",
        "tracking_numbers": ["1Z2345"], "tracking_url": "https://www.ups.com/track?tracknum=1Z2345",
        "email": "jon@example.com",
        "destination": {"first_name": "Jon", "city": "Portland", "zip": "97205",
                        "country_code": "US", "phone": null},
        "created_at": "2026-11-24T07:00:00-05:00", "updated_at": updated_at
    })
}

fn shopify_event(status: &str, happened_at: &str) -> Value {
    json!({
        "id": 944956391_u64, "fulfillment_id": 255858046_u64, "order_id": 820982911946154508_u64,
        "status": status, "message": format!("Shopify says {status}"),
        "happened_at": happened_at, "city": "Portland", "province": "Oregon", "country": "US",
        "zip": "97205", "estimated_delivery_at": null
    })
}

async fn shipment_json(app: &TestApp, id: &str) -> Option<Value> {
    let resp = app
        .get_auth(&format!("/api/v1/shipments/{id}"), &app.api_key)
        .await;
    if resp.status() != 200 {
        return None;
    }
    Some(resp.json().await.unwrap())
}

async fn a_shopify_fulfillment_brings_a_shipment_whose_consent_reaches_yotpo(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    let path = hook(&app, Source::Shopify).await;
    let resp = shopify(
        &app,
        &path,
        "orders/create",
        "e-1",
        &shopify_order(Some(7781234567)),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = shopify(
        &app,
        &path,
        "fulfillments/create",
        "e-2",
        &shopify_fulfillment(Some("label_printed"), "2026-11-24T07:05:00-05:00"),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200);
    eventually(20, "the shipment", || async {
        shipment_json(&app, "shopify-255858046").await.is_some()
    })
    .await;
    let order = app.get_auth("/api/v1/orders/1001", &app.api_key).await;
    let order: Value = order.json().await.unwrap();
    assert_eq!(
        order["customer"]["id"], "7781234567",
        "Shopify's customer ID"
    );
    assert_eq!(order["customer"]["shipping_postcode"], "97205");
    let token = token_of(&order);
    assert_eq!(order["shipments"][0]["carrier"], "UPS");
    assert_eq!(
        order["shipments"][0]["carrier_url"],
        "https://www.ups.com/track?tracknum=1Z2345"
    );
    let page = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"href="https://www.ups.com/track?tracknum=1Z2345""#),
        "the tracking number links to the carrier's page"
    );

    // The shipping notification's link (Liquid signs the fulfillment's ID) opens the page;
    // one with another signature, or for another fulfillment, does not.
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let key = ingest::shopify_link_key(&app.state, &merchant)
        .await
        .unwrap()
        .expect("a link key once Shopify is connected");
    let sign = |id: &str| hex_of(&hmac_sha256(key.expose_secret().as_bytes(), id.as_bytes()));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let link = |id: &str, sig: String| app.url(&format!("/s/{merchant}/{id}/{sig}"));
    let resp = no_redirects
        .get(link("255858046", sign("255858046")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], format!("/t/{token}").as_str());
    for (id, sig) in [
        ("255858046", sign("255858047")),
        ("255858047", sign("255858047")),
        ("255858046", "00".repeat(32)),
    ] {
        let resp = no_redirects.get(link(id, sig)).send().await.unwrap();
        assert_eq!(resp.status(), 404);
    }

    // The page offers the sign-up; the consent reaches Yotpo with Shopify's customer ID.
    let form = app.consent_form(&token, "+14155550199").await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(30, "the customer at Yotpo", || async {
        app.received(&store, "PATCH", "/customers").iter().any(|r| {
            r.body
                .as_ref()
                .is_some_and(|b| b["customer"]["external_id"] == "7781234567")
        })
    })
    .await;
}

async fn signatures_repeats_order_and_size_are_handled(backend: Backend) {
    let app = spawn_app(backend).await;
    let path = hook(&app, Source::Shopify).await;
    let order = shopify_order(Some(42));
    // A wrong signature, an unknown hook, a body over 1 MiB: refused, nothing stored.
    let resp = shopify(
        &app,
        &path,
        "orders/create",
        "x-1",
        &order,
        "not-the-secret",
    )
    .await;
    assert_eq!(resp.status(), 401);
    let unknown = format!("/hooks/shopify/{}", "A".repeat(32));
    assert_eq!(
        shopify(&app, &unknown, "orders/create", "x-1", &order, SECRET)
            .await
            .status(),
        404
    );
    let mut huge = order.clone();
    huge["note"] = json!("x".repeat(2 * 1024 * 1024));
    assert_eq!(
        shopify(&app, &path, "orders/create", "x-2", &huge, SECRET)
            .await
            .status(),
        413
    );
    assert_eq!(app.count("ingest_deliveries").await, 0);

    // An event before its fulfillment (Shopify does not promise the order): it waits, and
    // lands once the fulfillment is there.
    let resp = shopify(
        &app,
        &path,
        "fulfillment_events/create",
        "ev-delivered",
        &shopify_event("delivered", "2026-11-24T11:00:00-05:00"),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200);
    eventually(20, "the event tried", || async {
        outcome_of(&app, "fulfillment_events/create:event:ev-delivered")
            .await
            .is_some_and(|(state, outcome)| {
                state == "queued" && outcome.contains("no shipment here yet")
            })
    })
    .await;
    shopify(&app, &path, "orders/create", "x-3", &order, SECRET).await;
    shopify(
        &app,
        &path,
        "fulfillments/create",
        "x-4",
        &shopify_fulfillment(Some("in_transit"), "2026-11-24T08:00:00-05:00"),
        SECRET,
    )
    .await;
    eventually(20, "the shipment", || async {
        shipment_json(&app, "shopify-255858046").await.is_some()
    })
    .await;
    app.clock.advance(time::Duration::seconds(10));
    app.state.ingest_wake.notify_one();
    eventually(20, "the waiting event applied", || async {
        shipment_json(&app, "shopify-255858046")
            .await
            .is_some_and(|s| s["status"] == "delivered")
    })
    .await;

    // An older update arriving later does not move it back; a repeat is stored once.
    let resp = shopify(
        &app,
        &path,
        "fulfillment_events/create",
        "ev-transit",
        &shopify_event("out_for_delivery", "2026-11-24T09:00:00-05:00"),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let repeat = shopify(
        &app,
        &path,
        "fulfillment_events/create",
        "ev-transit",
        &shopify_event("out_for_delivery", "2026-11-24T09:00:00-05:00"),
        SECRET,
    )
    .await;
    let repeat: Value = repeat.json().await.unwrap();
    assert_eq!(repeat["repeat"], true);
    eventually(20, "the late event processed", || async {
        app.count("checkpoints").await >= 2
    })
    .await;
    let s = shipment_json(&app, "shopify-255858046").await.unwrap();
    assert_eq!(s["status"], "delivered", "{s}");
    // A status Shopify adds one day keeps the shipment's.
    shopify(
        &app,
        &path,
        "fulfillment_events/create",
        "ev-new",
        &shopify_event("some_new_status", "2026-11-24T12:00:00-05:00"),
        SECRET,
    )
    .await;
    eventually(20, "the new status processed", || async {
        app.count("checkpoints").await >= 3
    })
    .await;
    let s = shipment_json(&app, "shopify-255858046").await.unwrap();
    assert_eq!(s["status"], "delivered", "{s}");
    assert_eq!(
        app.count("checkpoints").await,
        3,
        "out for delivery, delivered, the new one; the fulfillment's own status is declared"
    );
    // Processed deliveries keep no shopper details.
    let bodies: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ingest_deliveries WHERE state <> 'queued' AND body <> ''",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(bodies, 0);
}

/// The delivery with the source's ID `key`: (state, outcome).
async fn outcome_of(app: &TestApp, key: &str) -> Option<(String, String)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        state: String,
        outcome: Option<String>,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT state, outcome FROM ingest_deliveries WHERE delivery_key = $1")
            .bind(key)
            .fetch_optional(app.state.db.pool())
            .await
            .unwrap();
    row.map(|r| (r.state, r.outcome.unwrap_or_default()))
}

async fn tracking_services_update_shipments_by_tracking_number(backend: Backend) {
    let app = spawn_app(backend).await;
    // A shipment the merchant's own system sent (UPS 1Z999AA10123456784).
    app.put_order("1001", &order_body("1001-1")).await;
    let easypost = hook(&app, Source::EasyPost).await;
    let aftership = hook(&app, Source::AfterShip).await;

    // EasyPost: an Event wrapping the Tracker, signed hmac-sha256-hex=.
    let event = json!({
        "id": "evt_0001", "object": "Event", "description": "tracker.updated",
        "result": {"id": "trk_1", "object": "Tracker", "tracking_code": "1Z999AA10123456784",
            "carrier": "UPS", "status": "in_transit", "updated_at": "2026-11-24T10:00:00Z",
            "tracking_details": [{"object": "TrackingDetail", "datetime": "2026-11-24T09:00:00Z",
                "message": "Departed facility", "status": "in_transit",
                "tracking_location": {"city": "Tacoma", "state": "WA", "country": "US"}}]}
    });
    let body = serde_json::to_vec(&event).unwrap();
    let sig = format!(
        "hmac-sha256-hex={}",
        hex_of(&hmac_sha256(SECRET.as_bytes(), &body))
    );
    let resp = app
        .client
        .post(app.url(&easypost))
        .header("x-hmac-signature", sig)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let bad = app
        .client
        .post(app.url(&easypost))
        .header("x-hmac-signature", "hmac-sha256-hex=00")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    eventually(20, "EasyPost's scan", || async {
        shipment_json(&app, "1001-1")
            .await
            .is_some_and(|s| s["status"] == "in_transit")
    })
    .await;

    // AfterShip: out for delivery, then a tracking number nobody has.
    for (n, number) in [(1, "1z999aa10123456784"), (2, "UNKNOWN123")] {
        let update = json!({
            "event": "tracking_update", "event_id": format!("as-{n}"), "ts": 1795521600,
            "msg": {"tracking_number": number, "slug": "ups", "tag": "OutForDelivery",
                "checkpoints": [{"checkpoint_time": "2026-11-24T11:30:00-08:00",
                    "message": "Out for delivery", "tag": "OutForDelivery", "city": "Portland",
                    "state": "OR", "country_region": "USA"}]}
        });
        let resp = aftership_post(&app, &aftership, serde_json::to_vec(&update).unwrap()).await;
        assert_eq!(resp.status(), 200);
    }
    eventually(20, "AfterShip's scan", || async {
        shipment_json(&app, "1001-1")
            .await
            .is_some_and(|s| s["status"] == "out_for_delivery")
    })
    .await;
    eventually(20, "the unknown number tried", || async {
        outcome_of(&app, "as-2")
            .await
            .is_some_and(|(state, outcome)| {
                state == "queued" && outcome.contains("no shipment with tracking number UNKNOWN123")
            })
    })
    .await;
    // A signed body that is not the source's JSON: 400.
    let resp = aftership_post(&app, &aftership, b"not json".to_vec()).await;
    assert_eq!(resp.status(), 400);
}

async fn a_guest_order_is_tracked_without_a_sign_up(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    let path = hook(&app, Source::Shopify).await;
    // A guest checkout: the order has no customer record; then its fulfillment.
    let resp = shopify(
        &app,
        &path,
        "orders/create",
        "g-0",
        &shopify_order(None),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let resp = shopify(
        &app,
        &path,
        "fulfillments/create",
        "g-1",
        &shopify_fulfillment(None, "2026-11-24T07:05:00-05:00"),
        SECRET,
    )
    .await;
    assert_eq!(resp.status(), 200);
    eventually(20, "the shipment", || async {
        shipment_json(&app, "shopify-255858046").await.is_some()
    })
    .await;
    let order: Value = app
        .get_auth("/api/v1/orders/1001", &app.api_key)
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(&order);
    let view = app.tracking_view(&token).await;
    assert_eq!(view["parcels"][0]["tracking_number"], "1Z2345");
    assert_eq!(view["consent"], Value::Null, "no customer ID: no sign-up");
    // A forged post is refused by the server too.
    let form = vec![
        ("token".to_owned(), token.clone()),
        ("phone".to_owned(), "+14155550123".to_owned()),
        ("country".to_owned(), "US".to_owned()),
        ("consent".to_owned(), "yes".to_owned()),
        ("key".to_owned(), "guest-order-key-0001".to_owned()),
        ("disclosure".to_owned(), "x".to_owned()),
    ];
    assert_eq!(app.subscribe(&form).await.status(), 422);
    assert_eq!(app.count("consents").await, 0);
    // The order's later delivery brings the customer: the sign-up appears.
    shopify(
        &app,
        &path,
        "orders/updated",
        "g-2",
        &shopify_order(Some(99)),
        SECRET,
    )
    .await;
    eventually(20, "the customer", || async {
        app.tracking_view(&token).await["consent"].is_object()
    })
    .await;
}

/// Posts `body` to an AfterShip hook, signed as AfterShip signs.
async fn aftership_post(app: &TestApp, path: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header(
            "aftership-hmac-sha256",
            b64(&hmac_sha256(SECRET.as_bytes(), &body)),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

on_both_backends!(
    a_shopify_fulfillment_brings_a_shipment_whose_consent_reaches_yotpo,
    signatures_repeats_order_and_size_are_handled,
    tracking_services_update_shipments_by_tracking_number,
    a_guest_order_is_tracked_without_a_sign_up,
);
