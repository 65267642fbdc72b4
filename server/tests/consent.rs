//! SMS consent on the tracking page, through the whole app and the Yotpo sandbox: the offer,
//! the submission, step 1 at once and step 2 sixty (clock) seconds after it, idempotency,
//! failures and recovery, validation that stores nothing, rate limits, the look-up.
//! Time is the app's `ManualClock`: no test waits sixty real seconds.

mod common;

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

fn set(form: &mut [(String, String)], key: &str, value: &str) {
    form.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.into();
}

async fn whole_path_to_the_opt_in_sixty_seconds_after_step_one(backend: Backend) {
    let (app, store, token) = setup(backend).await;
    let view = app.tracking_view(&token).await;
    let offer = &view["consent"];
    assert_eq!(offer["status"], "Offer");
    assert_eq!(
        offer["phone"], "(415) 555-2671",
        "prefilled in national format"
    );
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
    assert_eq!(row.try_get::<i64, _>(3).unwrap(), LIST_ID as i64);
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
        ("phone", "415-FLOWERS", "phone", "only have digits"),
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
        ("phone", "<script>", "phone", "only have digits"),
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

async fn pumping_one_number_is_rate_limited(backend: Backend) {
    let (app, _store, token) = setup(backend).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let mut form = app.consent_form(&token, PHONE).await;
        set(&mut form, "key", &format!("pumping-key-{i:010}"));
        statuses.push(app.subscribe(&form).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    assert_eq!(app.count("consents").await, 1);
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
        latency_ms: Some(2_000),
        ..Default::default()
    });
    // The page answered without Yotpo's answer (which takes two calls of 2 s each): had it
    // waited for Yotpo, the block would say "Offer". No wall-clock bound: what the page
    // shows proves it did not wait.
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
    shoppers_subscribed_in_yotpo_never_see_the_checkbox,
    a_slow_yotpo_does_not_slow_the_page,
    a_plain_form_post_redirects_back_to_the_page,
    merchants_without_sms_settings_show_no_block,
);

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
