//! The order look-up (`/track/{store}`, `order_lookup`): a shopper finds an order by its number
//! and the order's email address or shipping postcode, is sent to its tracking page (the
//! widget's when asked from the frame), and learns nothing when the pair is wrong: "no such
//! order" and "wrong email" are the same answer. Attempts are limited per order number and
//! per network in the database, so the limits hold across instances.

mod common;

use app::ssr::merchant_settings::brand;
use app::ssr::merchants;
use common::{order_body, spawn_app, token_of, Backend, TestApp};
use serde_json::json;

async fn store_of(app: &TestApp) -> String {
    merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap()
        .as_str()
        .to_owned()
}

/// An order `number` in two parcels, shipping to postcode SW1A 1AA.
async fn two_parcel_order(app: &TestApp, number: &str) -> serde_json::Value {
    let mut body = order_body(&format!("{number}-1"));
    body["customer"]["shipping_postcode"] = json!("SW1A 1AA");
    body["shipments"] = json!([
        {"id": format!("{number}-1"), "carrier": "UPS", "tracking_number": "1Z1", "status": "delivered"},
        {"id": format!("{number}-2"), "carrier": "DHL", "tracking_number": "JJD2", "status": "in_transit"}
    ]);
    app.put_order(number, &body).await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Posts the look-up as a script would (JSON answers).
async fn look_up(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    no_redirects()
        .post(app.url("/api/fn/order_lookup"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_owned()
}

async fn an_order_is_found_by_its_number_and_email_or_postcode(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = store_of(&app).await;
    let order = two_parcel_order(&app, "1001").await;
    let token = token_of(&order);
    // Stored as sent, answered back by the API.
    assert_eq!(order["customer"]["shipping_postcode"], "SW1A 1AA");

    // Typed as shoppers type: a leading #, spaces, another case.
    let resp = look_up(
        &app,
        &[
            ("store", &store),
            ("order", " #1001 "),
            ("proof", " Ana@Example.com "),
        ],
    )
    .await;
    // A script is told where to go (Leptos's redirect header); a plain form is redirected.
    assert_eq!(resp.status(), 200);
    assert_eq!(location(&resp), format!("/t/{token}"));

    // From the widget's frame: the widget's page, keeping the host page's origin and address.
    let resp = look_up(
        &app,
        &[
            ("store", &store),
            ("order", "1001"),
            ("proof", "ana@example.com"),
            ("embed", "1"),
            ("host", "https://shop.example"),
            ("page", "https://shop.example/pages/track"),
        ],
    )
    .await;
    assert_eq!(
        location(&resp),
        format!(
            "/embed/t/{token}?host=https%3A%2F%2Fshop.example&page=https%3A%2F%2Fshop.example%2Fpages%2Ftrack"
        )
    );

    // The merchant switches to the postcode: it finds the order, written any way.
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    brand::save_embed(&app.state, &merchant, "", Some("postcode"))
        .await
        .unwrap();
    let resp = look_up(
        &app,
        &[("store", &store), ("order", "1001"), ("proof", "sw1a1aa")],
    )
    .await;
    assert_eq!(location(&resp), format!("/t/{token}"));
    let resp = look_up(
        &app,
        &[("store", &store), ("order", "1001"), ("proof", "SW1A 1AB")],
    )
    .await;
    assert_eq!(resp.status(), 422);

    // The page it leads to shows both parcels, with the one consent block of the order.
    let view = app.tracking_view(&token).await;
    let parcels = view["parcels"].as_array().unwrap();
    assert_eq!(parcels.len(), 2, "{view}");
    assert_eq!(parcels[0]["tracking_number"], "1Z1");
    assert_eq!(parcels[0]["linked"], true);
    assert_eq!(parcels[1]["status"], "in_transit");
    let html = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Parcel 1 of 2") && html.contains("Parcel 2 of 2"));
    assert!(
        !html.contains("ana@example.com") && !html.contains("SW1A"),
        "no personal data"
    );

    // The look-up page says what to type.
    let page = app
        .client
        .get(app.url(&format!("/track/{store}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("the shipping postcode"));
    let unknown = app
        .client
        .get(app.url("/track/00000000-0000-4000-8000-000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

async fn no_such_order_and_a_wrong_email_get_the_same_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = store_of(&app).await;
    two_parcel_order(&app, "1001").await;
    let mut no_email = order_body("2002-1");
    no_email["customer"]["email"] = serde_json::Value::Null;
    app.put_order("2002", &no_email).await;

    let mut answers = Vec::new();
    for (order, email) in [
        ("9999", "ana@example.com"), // no such order
        ("1001", "eve@example.com"), // not its email
        ("2002", "ana@example.com"), // an order without an email
    ] {
        let resp = look_up(
            &app,
            &[("store", &store), ("order", order), ("proof", email)],
        )
        .await;
        answers.push((resp.status().as_u16(), resp.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, 422);
    assert!(
        answers[0].1.contains("couldn't find an order"),
        "{}",
        answers[0].1
    );
    assert_eq!(answers[1], answers[0]);
    assert_eq!(answers[2], answers[0]);

    // As a plain form (JavaScript off): back to the look-up page, which shows the same
    // message and the order number typed, never the email.
    let page = app.url(&format!("/track/{store}"));
    let mut pages = Vec::new();
    for (order, email) in [("9999", "ana@example.com"), ("1001", "eve@example.com")] {
        let resp = no_redirects()
            .post(app.url("/api/fn/order_lookup"))
            .header("accept", "text/html")
            .header("referer", &page)
            .form(&[
                ("store", store.as_str()),
                ("order", order),
                ("proof", email),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 302);
        let back = location(&resp);
        assert!(back.starts_with(&page), "{back}");
        assert!(!back.contains("example.com"), "{back}");
        let html = app
            .client
            .get(&back)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!(r#"value="{order}""#)),
            "the order number is kept"
        );
        assert!(!html.contains(email), "the email is not");
        let message = html
            .split(r#"id="lookup-form-error""#)
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap()
            .to_owned();
        pages.push(message);
    }
    assert!(pages[0].contains("couldn't find an order"), "{}", pages[0]);
    assert_eq!(pages[0], pages[1]);

    // Malformed input is told apart (it says nothing about orders).
    let resp = look_up(
        &app,
        &[("store", &store), ("order", "1001"), ("proof", "ana")],
    )
    .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("proof"));
    // A store that does not exist, or missing fields: 4xx, never 5xx.
    let resp = look_up(
        &app,
        &[
            ("store", "not-a-store"),
            ("order", "1"),
            ("proof", "a@b.co"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 404);
    let resp = look_up(&app, &[("store", &store)]).await;
    assert_eq!(resp.status(), 400);
}

on_both_backends!(
    an_order_is_found_by_its_number_and_email_or_postcode,
    no_such_order_and_a_wrong_email_get_the_same_answer,
);

/// Two instances on one PostgreSQL share the look-up's limits: ten tries an hour at one
/// order number, wherever they land, then 429 for it (other orders are still found); thirty
/// an hour from one network.
#[tokio::test]
async fn lookup_limits_hold_across_instances() {
    let a = spawn_app(Backend::Postgres).await;
    let b = a.second_instance().await;
    let store = store_of(&a).await;
    let order = two_parcel_order(&a, "1001").await;
    two_parcel_order(&a, "1002").await;
    let mut statuses = Vec::new();
    for n in 0..11 {
        let instance = if n % 2 == 0 { &a } else { &b };
        let email = format!("guess{n}@example.com");
        let resp = look_up(
            instance,
            &[("store", &store), ("order", "1001"), ("proof", &email)],
        )
        .await;
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses[..10], [422; 10]);
    assert_eq!(statuses[10], 429, "the eleventh, wherever it lands");
    // Even the right email now waits: the limit is the order number's.
    let resp = look_up(
        &b,
        &[
            ("store", &store),
            ("order", "1001"),
            ("proof", "ana@example.com"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 429);
    let resp = look_up(
        &a,
        &[
            ("store", &store),
            ("order", "1002"),
            ("proof", "ana@example.com"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_ne!(location(&resp), format!("/t/{}", token_of(&order)));
    // The network's own limit: thirty tries an hour, whatever the order numbers (thirteen so
    // far); a network over it is refused before it counts against the orders it types.
    for n in 0..17 {
        let instance = if n % 2 == 0 { &a } else { &b };
        let resp = look_up(
            instance,
            &[
                ("store", &store),
                ("order", &format!("77{n}")),
                ("proof", "x@example.com"),
            ],
        )
        .await;
        assert_eq!(resp.status(), 422, "try {n}");
    }
    let resp = look_up(
        &b,
        &[
            ("store", &store),
            ("order", "1002"),
            ("proof", "ana@example.com"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 429, "the network's thirty-first");
}
