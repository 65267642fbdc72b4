//! SMS consent on the tracking page, through the whole app and the Yotpo sandbox: the offer,
//! the submission, step 1 at once and step 2 sixty (clock) seconds after it, idempotency,
//! failures and recovery, validation that stores nothing, rate limits, the look-up.
//! Time is the app's `ManualClock`: no test waits sixty real seconds.

mod common;

use app::ssr::consent_log;
use common::{eventually, order_body, spawn_app, token_of, Backend, TestApp, LIST_ID};
use sandbox::FaultsPatch;
use serde_json::{json, Value};
use time::Duration;

const PHONE: &str = "+14155552671";

/// An app whose test merchant is connected to the sandbox, with one order; the store ID and
/// the shopper token.
async fn setup(backend: Backend) -> (TestApp, String, String) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    (app, store, token_of(&order))
}

/// What Leptos puts in `__err`: the error's JSON, URL-safe base64.
fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE.encode(text)
}

fn set(form: &mut [(String, String)], key: &str, value: &str) {
    form.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.into();
}

async fn whole_path_to_the_opt_in_sixty_seconds_after_step_one(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    let view = app.tracking_view(&token).await;
    let offer = &view["consent"];
    assert_eq!(offer["status"], "Offer");
    assert_eq!(
        offer["order_phone"], "+1*******671",
        "the order's number is offered masked"
    );
    assert_eq!(offer.get("phone"), None);
    assert_eq!(offer["country"], "US");
    assert!(offer["disclosure"]
        .as_str()
        .unwrap()
        .contains("STOP to cancel"));

    let form = app.consent_form(&token, "(415) 555-2671").await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 200);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["phone_masked"], "+1*******671");

    // Step 1 at once.
    eventually(5, "step 1", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    let patches = app.received(&store, "PATCH", "/customers");
    assert_eq!(patches.len(), 1);
    // The request log shows the shape with the person masked; the provider stored the rest.
    assert_eq!(
        patches[0].body,
        Some(json!({"customer": {
            "external_id": "cust-42", "email": "a***@example.com",
            "phone_number": sandbox::mask::phone(PHONE), "first_name": "A***", "last_name": "L***"
        }}))
    );
    let customers = app.sandbox.customers(&store);
    assert_eq!(customers.len(), 1);
    for (field, value) in [
        ("external_id", "cust-42"),
        ("email", "ana@example.com"),
        ("phone_number", PHONE),
        ("first_name", "Ana"),
        ("last_name", "López"),
    ] {
        assert_eq!(customers[0][field], value, "{field}");
    }
    // Step 2 not before 60 s have passed on the clock...
    app.clock.advance(Duration::seconds(59));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(app.received(&store, "POST", "/subscribers").is_empty());
    // ...and promptly after.
    app.clock.advance(Duration::seconds(1));
    eventually(5, "step 2", || async {
        !app.received(&store, "POST", "/subscribers").is_empty()
    })
    .await;
    let posts = app.received(&store, "POST", "/subscribers");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].body,
        Some(json!({"subscriber": {
            "phone": sandbox::mask::phone(PHONE), "list_id": LIST_ID, "source": "tracking_page",
            "email": "a***@example.com", "first_name": "A***", "last_name": "L***",
            "channels": {"sms": {"consent": "subscribed"}}
        }}))
    );
    let subscribers = app.sandbox.subscribers(&store);
    assert_eq!(subscribers.len(), 1);
    assert_eq!(subscribers[0]["phone"], PHONE);
    assert_eq!(subscribers[0]["email"], "ana@example.com");
    assert_eq!(subscribers[0]["list_ids"], json!([LIST_ID]));
    eventually(5, "subscribed", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;

    // The record: what was shown, where, by whom.
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT disclosure, disclosure_sha256, ip, list_id, source, customer_external_id,
                customer_sent_at_ms, subscribed_at_ms
         FROM consents",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let disclosure: String = row.try_get(0).unwrap();
    assert!(disclosure.contains("Acme") && disclosure.contains("https://shop.example/terms"));
    assert_eq!(
        row.try_get::<String, _>(1).unwrap(),
        offer["disclosure_sha256"]
    );
    assert_eq!(row.try_get::<String, _>(2).unwrap(), "127.0.0.1");
    assert_eq!(row.try_get::<String, _>(3).unwrap(), LIST_ID.to_string());
    assert_eq!(row.try_get::<String, _>(4).unwrap(), "tracking_page");
    assert_eq!(row.try_get::<String, _>(5).unwrap(), "cust-42");
    let sent: i64 = row.try_get(6).unwrap();
    let subscribed: i64 = row.try_get(7).unwrap();
    assert_eq!(
        subscribed - sent,
        60_000,
        "step 2 is due 60 s after step 1 succeeded"
    );

    // Later visits: no checkbox, a note instead.
    let later = app.tracking_view(&token).await;
    assert_eq!(
        later["consent"]["status"]["SignedUp"]["phone_masked"],
        "+1*******671"
    );
}

async fn double_and_concurrent_submits_make_one_opt_in(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    let form = app.consent_form(&token, "415 555 2671").await;
    // A double click: the same form twice.
    assert_eq!(app.subscribe(&form).await.status(), 200);
    assert_eq!(app.subscribe(&form).await.status(), 200);
    // Two other tabs at once, with their own keys, same number.
    let mut other = app.consent_form(&token, "+1 415 555 2671").await;
    set(&mut other, "key", "another-key-0000000001");
    let mut third = other.clone();
    set(&mut third, "key", "another-key-0000000002");
    let (a, b) = tokio::join!(app.subscribe(&other), app.subscribe(&third));
    assert!(
        a.status().is_success() || a.status() == 429,
        "{}",
        a.status()
    );
    assert!(
        b.status().is_success() || b.status() == 429,
        "{}",
        b.status()
    );
    assert_eq!(app.count("consents").await, 1);
    assert_eq!(app.count("jobs").await, 2);

    eventually(5, "step 1", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    app.clock.advance(Duration::seconds(61));
    eventually(5, "step 2", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 1);
    assert_eq!(app.received(&store, "POST", "/subscribers").len(), 1);
}

async fn an_outage_then_recovery_still_delivers(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    let form = app.consent_form(&token, PHONE).await;
    // Enough 503s to exhaust the client's own retries once: the job backs off.
    app.sandbox.set_faults(FaultsPatch {
        fail_next: Some(4),
        error_status: Some(503),
        ..Default::default()
    });
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(10, "a failed attempt", || async {
        use sqlx::Row;
        let row = sqlx::query("SELECT last_error FROM jobs WHERE step = 'upsert_customer'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        row.try_get::<Option<String>, _>(0).unwrap().is_some()
    })
    .await;
    assert_eq!(app.consent_state(PHONE).await.unwrap().0, "waiting");
    // The back-off is on the clock: five seconds later it is tried again and goes through.
    app.clock.advance(Duration::seconds(5));
    eventually(10, "step 1 after recovery", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    // A 429 on step 2: waited out (RateLimit-Reset), not counted as a failure.
    app.sandbox.set_faults(FaultsPatch {
        fail_next: Some(4),
        error_status: Some(429),
        ..Default::default()
    });
    app.clock.advance(Duration::seconds(60));
    eventually(20, "step 2 after 429s", || async {
        if app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into()) {
            return true;
        }
        app.advance_to_next_due().await;
        false
    })
    .await;
    let limited = app
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(limited, 4);
    assert_eq!(app.received(&store, "POST", "/subscribers").len(), 1);
}

async fn a_refused_opt_in_fails_with_the_reason_and_a_resubmission_retries(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    // The merchant's list does not exist in their Yotpo account.
    sqlx::query("UPDATE merchants SET sms_list_id = 999")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let form = app.consent_form(&token, PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(5, "step 1", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    app.clock.advance(Duration::seconds(60));
    eventually(5, "the failure", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("failed".into())
    })
    .await;
    let (_, reason) = app.consent_state(PHONE).await.unwrap();
    assert!(
        reason
            .as_deref()
            .unwrap()
            .contains("list_id 999 does not exist"),
        "{reason:?}"
    );
    // Permanent: not retried.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let posts = app
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/subscribers"))
        .count();
    assert_eq!(posts, 1);
    // The merchant creates the list in Yotpo. A failed consent does not hide the checkbox,
    // and sending the form again queues the failed step again.
    app.sandbox.add_store(sandbox::SandboxStore {
        store_id: store.clone(),
        secret: format!("secret-{store}"),
        lists: vec![sandbox::SmsListSpec {
            id: 999,
            name: "New list".into(),
        }],
        forms: Vec::new(),
    });
    let again = app.consent_form(&token, PHONE).await;
    assert_eq!(
        app.tracking_view(&token).await["consent"]["status"],
        "Offer"
    );
    assert_eq!(app.subscribe(&again).await.status(), 200);
    eventually(5, "subscribed after the retry", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    assert_eq!(app.count("consents").await, 1);
}

async fn bad_input_gets_a_clear_error_and_stores_nothing(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    let form = app.consent_form(&token, PHONE).await;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("phone", "", "phone", "Enter your mobile number"),
        ("phone", "1-800-FLOWERS", "phone", "toll-free number"),
        (
            "phone",
            "555 12",
            "phone",
            "not a valid number for United States",
        ),
        (
            "phone",
            "(800) 555-0199",
            "phone",
            "cannot receive text messages",
        ),
        ("phone", "+44 20 7946 0018", "phone", "landline"),
        ("phone", "+1 415 555 2671 1234 5678", "phone", "too long"),
        ("phone", "<script>", "phone", "could not read"),
        ("country", "XX", "country", "Pick your country"),
        ("consent", "", "consent", "Tick the box"),
        ("key", "short", "form", "expired"),
        ("disclosure", "0000", "form", "text has changed"),
    ];
    for (field, value, error_field, says) in cases {
        let mut bad = form.clone();
        set(&mut bad, field, value);
        let resp = app.subscribe(&bad).await;
        assert_eq!(resp.status(), 422, "{field}={value:?}");
        let err: Value = resp.json().await.unwrap();
        assert_eq!(
            err["Invalid"]["field"], *error_field,
            "{field}={value:?}: {err}"
        );
        let message = err["Invalid"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{field}={value:?}: {message}");
    }
    // An unticked box is simply absent from a form post.
    let unticked: Vec<_> = form
        .iter()
        .filter(|(k, _)| k != "consent")
        .cloned()
        .collect();
    assert_eq!(app.subscribe(&unticked).await.status(), 422);
    // An unknown page.
    let mut unknown = form.clone();
    set(&mut unknown, "token", "AAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(app.subscribe(&unknown).await.status(), 404);

    assert_eq!(app.count("consents").await, 0);
    assert_eq!(app.count("jobs").await, 0);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(app.received(&store, "PATCH", "/customers").is_empty());
}

async fn the_order_number_is_chosen_not_shown(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    // Anyone holding the link sees the page: the order's number is not in it.
    let page = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("sms-phone"), "the block is there");
    for shown in ["4155552671", "555-2671", "555 2671"] {
        assert!(!page.contains(shown), "the page shows {shown}");
    }
    assert!(page.contains("+1*******671"));
    // The shopper picks "the number on my order" and leaves the field blank: the server
    // signs up the order's number.
    let mut form = app.consent_form(&token, "").await;
    form.push(("phone_choice".into(), "order".into()));
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 200);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["phone_masked"], "+1*******671");
    assert!(app.consent_state(PHONE).await.is_some());
    eventually(5, "step 1", || async {
        !app.received(&store, "PATCH", "/customers").is_empty()
    })
    .await;
    // A typed number wins over the choice.
    let order = app.put_order("1002", &order_body("1002-1")).await;
    let mut form = app.consent_form(&token_of(&order), "+1 415 555 2680").await;
    form.push(("phone_choice".into(), "order".into()));
    assert_eq!(app.subscribe(&form).await.status(), 200);
    assert!(app.consent_state("+14155552680").await.is_some());
}

async fn a_shopper_who_texted_stop_can_consent_again(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    // The test speaks to Yotpo too (as the shopper's STOP): no rate limit between us.
    app.sandbox.set_faults(FaultsPatch {
        visibility_delay_ms: Some(0),
        rate_limit_per_second: Some(0),
        ..Default::default()
    });
    let form = app.consent_form(&token, PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(5, "step 1", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    app.clock.advance(Duration::seconds(60));
    eventually(5, "subscribed", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    // Right after, the page says so.
    assert!(matches!(
        app.tracking_view(&token).await["consent"]["status"].as_object(),
        Some(signed) if signed.contains_key("SignedUp")
    ));
    // A week later the shopper has texted STOP: Yotpo says so, and the page offers again.
    app.set_sms_marketing_in_yotpo(&store, &format!("secret-{store}"), "cust-42", false)
        .await;
    app.clock.advance(Duration::days(7));
    eventually(5, "the offer again", || async {
        app.tracking_view(&token).await["consent"]["status"] == "Offer"
    })
    .await;
    let again = app.consent_form(&token, PHONE).await;
    assert_eq!(app.subscribe(&again).await.status(), 200);
    eventually(5, "step 1 again", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    app.clock.advance(Duration::seconds(60));
    eventually(5, "a second opt-in", || async {
        app.received(&store, "POST", "/subscribers").len() == 2
    })
    .await;
    // The sandbox answers before the worker records the answer: wait for the record.
    eventually(5, "subscribed again", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;
    // One consent, two proofs, and its whole history, in order.
    assert_eq!(app.count("consents").await, 1);
    assert_eq!(app.count("consent_proofs").await, 2);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM consent_events ORDER BY seq")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        kinds,
        [
            "submitted",
            "customer_sent",
            "opted_in",
            "submitted",
            "customer_sent",
            "opted_in"
        ]
    );
}

async fn pumping_one_number_is_rate_limited(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    // Resubmitting a recorded consent (reloads, double clicks, other tabs) is harmless: the
    // confirmation every time, never a 429, and one consent.
    for i in 0..12 {
        let mut form = app.consent_form(&token, PHONE).await;
        set(&mut form, "key", &format!("pumping-key-{i:010}"));
        assert_eq!(app.subscribe(&form).await.status(), 200, "resubmission {i}");
    }
    assert_eq!(app.count("consents").await, 1);
    // The same number through other stores' links: at most three new consents an hour, the
    // first counted above.
    let mut statuses = Vec::new();
    for n in 0..3 {
        let (_, token) = other_store(&app, n).await;
        let form = app.consent_form(&token, PHONE).await;
        statuses.push(app.subscribe(&form).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(app.count("consents").await, 3);
}

/// Another merchant, connected to its own sandbox store, with one order for `cust-42`.
async fn other_store(app: &TestApp, n: usize) -> (String, String) {
    let key = common::new_merchant(&app.state, &format!("Other Store {n}")).await;
    let store = app.connect_sms(&key).await;
    let resp = app
        .put_json(
            &format!("/api/v1/orders/o-{n}"),
            &key,
            &order_body(&format!("o-{n}-1")),
        )
        .await;
    assert!(resp.status().is_success());
    let order: Value = resp.json().await.unwrap();
    (store, token_of(&order))
}

async fn a_tracking_link_signs_up_at_most_two_numbers(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    for phone in [PHONE, "+14155552672"] {
        let form = app.consent_form(&token, phone).await;
        assert_eq!(app.subscribe(&form).await.status(), 200, "{phone}");
    }
    // A third number on the same link: refused next to the field, nothing stored.
    let form = app.consent_form(&token, "+14155552673").await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["Invalid"]["field"], "phone");
    assert!(err["Invalid"]["message"]
        .as_str()
        .unwrap()
        .contains("already signed up two numbers"));
    assert_eq!(app.count("consents").await, 2);
    // One of its own numbers again is still fine.
    let form = app.consent_form(&token, PHONE).await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    // The order's second parcel shows the same sign-up: its link counts with the first.
    let order = app.put_order("1001", &order_body("1001-2")).await;
    let second = order["shipments"][1]["tracking_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(second, token);
    let mut form = app.consent_form(&token, "+14155552674").await;
    set(&mut form, "token", &second);
    set(&mut form, "key", "second-parcel-key-0001");
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert!(
        err["Invalid"]["message"]
            .as_str()
            .unwrap()
            .contains("already signed up two numbers"),
        "{err}"
    );
    assert_eq!(app.count("consents").await, 2);
}

async fn numbers_from_countries_the_store_does_not_serve_are_refused(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    // By default, the countries the store ships to: here the United States only.
    let form = app.consent_form(&token, "+44 7400 123456").await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["Invalid"]["field"], "phone");
    assert_eq!(
        err["Invalid"]["message"],
        "This store takes text sign-ups for numbers from United States only."
    );
    // The merchant's own list replaces it.
    sqlx::query("UPDATE merchants SET sms_countries = 'GB,IE'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let merchant = merchants_of(&app).await;
    app.state.consent_settings.forget(&merchant).await;
    let form = app.consent_form(&token, "+44 7400 123456").await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let form = app.consent_form(&token, PHONE).await;
    let resp = app.subscribe(&form).await;
    assert_eq!(resp.status(), 422);
    let err: Value = resp.json().await.unwrap();
    assert!(err["Invalid"]["message"]
        .as_str()
        .unwrap()
        .contains("United Kingdom, Ireland"));
    assert_eq!(app.count("consents").await, 1);
}

async fn merchants_of(app: &TestApp) -> app::ssr::merchants::MerchantId {
    app::ssr::merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap()
}

async fn over_the_hourly_cap_sign_ups_are_held_until_released(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    sqlx::query("UPDATE merchants SET sms_hourly_cap = 1")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let merchant = merchants_of(&app).await;
    app.state.consent_settings.forget(&merchant).await;
    for phone in [PHONE, "+14155552672"] {
        let form = app.consent_form(&token, phone).await;
        assert_eq!(app.subscribe(&form).await.status(), 200, "{phone}");
    }
    eventually(5, "the first to go out", || async {
        app.consent_state(PHONE).await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    let (state, reason) = app.consent_state("+14155552672").await.unwrap();
    assert_eq!(state, "held");
    assert!(reason.unwrap().contains("cap of 1 sign-ups an hour"));
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 1);
    // The merchant sees it in the log and releases it.
    let log = consent_log::entries(&app.state.db, &merchant, Some("held"), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    consent_log::retry_now(&app.state, &merchant, &log[0].id)
        .await
        .unwrap();
    eventually(5, "the released one to go out", || async {
        app.consent_state("+14155552672").await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 2);
}

async fn a_forged_forwarded_for_does_not_escape_the_limits(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    // Eleven shoppers' worth of links, each submission claiming another address.
    let mut statuses = Vec::new();
    for n in 0..11 {
        let order = app
            .put_order(&format!("f-{n}"), &order_body(&format!("f-{n}-1")))
            .await;
        let form = app
            .consent_form(&token_of(&order), &format!("+1415555{:04}", 3000 + n))
            .await;
        let resp = app
            .client
            .post(app.url("/api/fn/sms_subscribe"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    // No proxy is trusted: every request is the test's own address, ten an hour.
    assert_eq!(statuses[..10], [200; 10]);
    assert_eq!(statuses[10], 429);
    let ips: Vec<Option<String>> = sqlx::query_scalar("SELECT DISTINCT ip FROM consents")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        ips,
        [Some("127.0.0.1".to_owned())],
        "the proof keeps the real address"
    );
}

async fn shoppers_subscribed_in_yotpo_never_see_the_checkbox(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    // The customer subscribed elsewhere (say, the store's own pop-up).
    app.sandbox.set_faults(FaultsPatch {
        visibility_delay_ms: Some(0),
        ..Default::default()
    });
    app.subscribe_in_yotpo(&store, &format!("secret-{store}"), "cust-42")
        .await;
    app.sandbox.clear_requests();

    // Ten shoppers' page views at once: one look-up at Yotpo, then the cache.
    let views = (0..10).map(|_| app.tracking_view(&token));
    for view in futures_util::future::join_all(views).await {
        assert_eq!(view["consent"]["status"], "Subscribed");
    }
    for _ in 0..5 {
        assert_eq!(
            app.tracking_view(&token).await["consent"]["status"],
            "Subscribed"
        );
    }
    let lookups = app
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/customers"))
        .count();
    assert_eq!(lookups, 1);
    // The page HTML has no checkbox.
    let page = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("sms-consent"));
}

async fn a_slow_yotpo_does_not_slow_the_page(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    app.sandbox.set_faults(FaultsPatch {
        latency_ms: Some(1_500),
        ..Default::default()
    });
    // The page answered without Yotpo's answer (which takes two calls of 1.5 s each, after
    // a short wait at the look-ups' own gate): had it waited for Yotpo, the block would say
    // "Offer". No wall-clock bound: what the page shows proves it did not wait.
    let view = app.tracking_view(&token).await;
    assert_eq!(view["consent"]["status"], "Checking");
    // The answer lands in the cache in the background; the hydrated page asks again.
    let resp = app.server_fn("sms_status", &[("token", &token)]).await;
    let status: Value = resp.json().await.unwrap();
    assert_eq!(status["status"], "Offer");
}

async fn a_plain_form_post_redirects_back_to_the_page(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    let page = app.url(&format!("/t/{token}"));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |form: Vec<(String, String)>| {
        no_redirects
            .post(app.url("/api/fn/sms_subscribe"))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", &page)
            .form(&form)
            .send()
    };
    let mut bad = app.consent_form(&token, "12").await;
    set(&mut bad, "phone", "12");
    let resp = post(bad).await.unwrap();
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&page) && location.contains("__err="),
        "{location}"
    );
    // The page it comes back to shows the error next to the field.
    let html = app
        .client
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("This number is too short."),
        "error rendered on the page"
    );
    // What the shopper typed is back in the field, though not in the URL.
    assert!(html.contains(r#"value="12""#), "the typed number is kept");
    assert!(!location.contains("phone"), "{location}");
    // A link that writes its own error into the page shows nothing of it.
    let forged = format!(
        "{page}?__path=%2Fapi%2Ffn%2Fsms_subscribe&__err={}",
        base64_url(
            r#"{"Invalid":{"field":"phone","message":"Call +1 900 555 0199 to claim your prize"}}"#
        )
    );
    let html = app
        .client
        .get(&forged)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("sms-phone"), "the block is there");
    assert!(
        !html.contains("claim your prize"),
        "a forged error is not shown"
    );

    let good = app.consent_form(&token, PHONE).await;
    let resp = post(good).await.unwrap();
    assert_eq!(resp.status(), 302);
    // Back to the page (server_fn leaves an empty query string behind).
    let location = resp.headers()["location"].to_str().unwrap();
    assert_eq!(location.trim_end_matches('?'), page);
    let html = app
        .client
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("signed up for texts") && !html.contains("sms-consent"));
}

async fn merchants_without_sms_settings_show_no_block(backend: Backend) {
    let app = spawn_app(backend).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let view = app.tracking_view(&token_of(&order)).await;
    assert_eq!(view["consent"], Value::Null);
}

async fn retryable_failures_give_up_after_the_attempt_bound(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    let form = app.consent_form(&token, PHONE).await;
    // Yotpo answers 503 to everything, for good.
    app.sandbox.set_faults(FaultsPatch {
        error_rate: Some(1.0),
        error_status: Some(503),
        ..Default::default()
    });
    assert_eq!(app.subscribe(&form).await.status(), 200);
    // Each attempt backs off longer (on the clock); after the tenth the consent fails.
    eventually(60, "the consent to fail", || async {
        if app.consent_state(PHONE).await.map(|s| s.0) == Some("failed".into()) {
            return true;
        }
        app.advance_to_next_due().await;
        false
    })
    .await;
    let (_, reason) = app.consent_state(PHONE).await.unwrap();
    let reason = reason.unwrap();
    assert!(reason.starts_with("gave up after 10 attempts"), "{reason}");
    assert!(reason.contains("HTTP 503"), "{reason}");
}

on_both_backends!(
    retryable_failures_give_up_after_the_attempt_bound,
    whole_path_to_the_opt_in_sixty_seconds_after_step_one,
    double_and_concurrent_submits_make_one_opt_in,
    an_outage_then_recovery_still_delivers,
    a_refused_opt_in_fails_with_the_reason_and_a_resubmission_retries,
    bad_input_gets_a_clear_error_and_stores_nothing,
    pumping_one_number_is_rate_limited,
    the_order_number_is_chosen_not_shown,
    a_shopper_who_texted_stop_can_consent_again,
    a_tracking_link_signs_up_at_most_two_numbers,
    numbers_from_countries_the_store_does_not_serve_are_refused,
    over_the_hourly_cap_sign_ups_are_held_until_released,
    a_forged_forwarded_for_does_not_escape_the_limits,
    shoppers_subscribed_in_yotpo_never_see_the_checkbox,
    a_slow_yotpo_does_not_slow_the_page,
    a_plain_form_post_redirects_back_to_the_page,
    merchants_without_sms_settings_show_no_block,
);

/// Two instances on one PostgreSQL share every limit: ten submissions an hour from one
/// address, wherever they land.
#[tokio::test]
async fn limits_hold_across_instances() {
    let a = spawn_app(Backend::Postgres).await;
    let store = a.connect_sms(&a.api_key).await;
    let b = a.second_instance().await;
    let _ = store;
    let mut statuses = Vec::new();
    for n in 0..11 {
        let order = a
            .put_order(&format!("x-{n}"), &order_body(&format!("x-{n}-1")))
            .await;
        let instance = if n % 2 == 0 { &a } else { &b };
        let form = instance
            .consent_form(&token_of(&order), &format!("+1415555{:04}", 4000 + n))
            .await;
        statuses.push(instance.subscribe(&form).await.status().as_u16());
    }
    assert_eq!(statuses[..10], [200; 10]);
    assert_eq!(statuses[10], 429, "the eleventh, wherever it lands");
}

/// Three instances on one PostgreSQL keep to one store's Yotpo budget together: a burst of
/// consents and page views through all three draws no 429 from a sandbox that allows 5
/// requests a second, as Yotpo does.
#[tokio::test]
async fn instances_share_a_stores_yotpo_budget() {
    let trust_proxy = |s: &mut server::config::Settings| {
        s.trusted_proxies = app::ssr::client_ip::TrustedProxies::Count(1);
    };
    let a = spawn_app(Backend::Postgres).await;
    let store = a.connect_sms(&a.api_key).await;
    let b = a.second_instance_with(trust_proxy).await;
    let c = a.second_instance_with(trust_proxy).await;
    let instances = [&a, &b, &c];
    let mut phones = Vec::new();
    for n in 0..12 {
        let order = a
            .put_order(&format!("b-{n}"), &order_body(&format!("b-{n}-1")))
            .await;
        let instance = instances[n % 3];
        let token = token_of(&order);
        let mut form = instance
            .consent_form(&token, &format!("+1415555{:04}", 5000 + n))
            .await;
        set(&mut form, "key", &format!("budget-key-{n:010}"));
        let resp = instance
            .client
            .post(instance.url("/api/fn/sms_subscribe"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        phones.push(format!("+1415555{:04}", 5000 + n));
    }
    eventually(60, "every step 1", || async {
        a.received(&store, "PATCH", "/customers").len() == 12
    })
    .await;
    // The clock moves only once every step 1 is recorded (the sandbox answers first).
    eventually(60, "every step 1 recorded", || async {
        for phone in &phones {
            if a.consent_state(phone).await.map(|s| s.0) != Some("customer_sent".into()) {
                return false;
            }
        }
        true
    })
    .await;
    a.clock.advance(Duration::seconds(60));
    eventually(60, "every opt-in", || async {
        a.received(&store, "POST", "/subscribers").len() == 12
    })
    .await;
    let requests = a.sandbox.requests();
    let limited = requests.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        limited,
        0,
        "{} requests, {limited} answered 429",
        requests.len()
    );
}

/// SIGTERM while step 1 is on its way to a slow Yotpo: the server waits for it, records the
/// result, and only then stops.
#[tokio::test]
async fn shutdown_lets_a_running_step_finish() {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (app, running) = common::spawn_app_until(Backend::Sqlite, async {
        let _ = stopped.await;
    })
    .await;
    let store = app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let token = token_of(&order);
    let form = app.consent_form(&token, PHONE).await;
    app.sandbox.set_faults(FaultsPatch {
        latency_ms: Some(1_000),
        ..Default::default()
    });
    assert_eq!(app.subscribe(&form).await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("stops")
        .unwrap()
        .unwrap();
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 1);
    // The server's pool is closed; read the outcome through a new one.
    use sqlx::Row;
    let db = app::ssr::Db::connect(&app.database_url, &app::ssr::db::PoolConfig::default())
        .await
        .unwrap();
    let jobs = sqlx::query("SELECT step, state, locked_by FROM jobs ORDER BY step DESC")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let jobs: Vec<(String, String, Option<String>)> = jobs
        .iter()
        .map(|r| {
            (
                r.try_get(0).unwrap(),
                r.try_get(1).unwrap(),
                r.try_get(2).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        jobs,
        [
            ("upsert_customer".into(), "done".into(), None),
            ("subscribe".into(), "queued".into(), None),
        ],
        "step 1 recorded, step 2 waiting for the next start, nothing left claimed"
    );
    db.close().await;
}
