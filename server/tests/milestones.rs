//! Shipment milestones as events on the shopper's profile, through the whole app: the REST
//! ingest queues the milestones the merchant picked (in the ingest's transaction), the
//! worker sends them to the chosen provider's sandbox (Yotpo: custom customer event;
//! Klaviyo: Create Event), a replayed ingest or a replayed call never doubles an event, and
//! a refused one is dead-lettered with its reason and can be sent again from the consent
//! log. Time is the app's `ManualClock` (2026-11-24 12:00 UTC).

mod common;

use app::domain::MilestoneSet;
use app::ssr::merchant_settings::milestones;
use app::ssr::merchants;
use common::{eventually, order_body, spawn_app, Backend, TestApp};
use sandbox::klaviyo::KlaviyoFaultsPatch;
use serde_json::{json, Value};

async fn pick(app: &TestApp, names: &[&str]) {
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    milestones::save_milestones(&app.state, &merchant, names)
        .await
        .unwrap();
}

async fn checkpoint(app: &TestApp, time: &str, status: &str, message: &str) -> Value {
    let resp = app
        .post_json(
            "/api/v1/shipments/1001-1/checkpoints",
            &app.api_key,
            &json!({"checkpoints": [{
                "time": time, "location": "Oakland, CA, US", "message": message, "status": status
            }]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Event jobs by state: (done, queued, failed).
async fn event_states(app: &TestApp) -> (i64, i64, i64) {
    let count = |state: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM event_jobs WHERE state = $1")
            .bind(state)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap()
    };
    (
        count("done").await,
        count("queued").await,
        count("failed").await,
    )
}

async fn milestones_reach_yotpo_once_as_custom_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    pick(&app, &["shipped", "out_for_delivery", "delivered"]).await;
    app.put_order("1001", &order_body("1001-1")).await;
    // Pending: no milestone.
    assert_eq!(app.count("event_jobs").await, 0);

    checkpoint(
        &app,
        "2026-11-24T09:00:00-08:00",
        "in_transit",
        "Departed facility",
    )
    .await;
    // The same checkpoint again (a retried webhook), and the same order again: nothing new.
    let again = checkpoint(
        &app,
        "2026-11-24T09:00:00-08:00",
        "in_transit",
        "Departed facility",
    )
    .await;
    assert_eq!(again["duplicates"], 1);
    app.put_order("1001", &order_body("1001-1")).await;
    // An exception the merchant did not pick is not queued.
    checkpoint(
        &app,
        "2026-11-24T10:00:00-08:00",
        "exception",
        "Weather delay",
    )
    .await;
    checkpoint(
        &app,
        "2026-11-24T11:00:00-08:00",
        "out_for_delivery",
        "On the van",
    )
    .await;
    eventually(10, "two events sent", || async {
        event_states(&app).await == (2, 0, 0)
    })
    .await;

    let events = app.sandbox.events(&store);
    assert_eq!(events.len(), 2, "{events:?}");
    let shipped = events
        .iter()
        .find(|e| e["event_name"] == "shipment_shipped")
        .expect("shipped");
    // 2026-11-24T09:00:00-08:00 = 17:00 UTC.
    assert_eq!(shipped["id"], "1001-1:in_transit:1795539600000");
    assert_eq!(shipped["source"], "tracklight");
    assert_eq!(shipped["customer"]["external_id"], "cust-42");
    assert_eq!(shipped["customer"]["email"], "ana@example.com");
    let properties = &shipped["properties"];
    assert_eq!(properties["order_number"], "1001");
    assert_eq!(properties["carrier"], "UPS");
    assert_eq!(properties["tracking_number"], "1Z999AA10123456784");
    assert_eq!(properties["estimated_delivery"], "2026-11-27");
    assert!(properties["tracking_url"].as_str().unwrap().contains("/t/"));
    assert!(events
        .iter()
        .any(|e| e["event_name"] == "shipment_out_for_delivery"
            && e["properties"]["last_checkpoint"] == "On the van"));
    // One call each: nothing was sent twice.
    assert_eq!(app.received(&store, "POST", "/custom_events").len(), 2);
}

async fn milestones_reach_klaviyo_and_a_replay_is_not_stored_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    let account = app.connect_klaviyo(&app.api_key, "TrkSub").await;
    pick(&app, &["delivered", "delayed"]).await;
    app.put_order("1001", &order_body("1001-1")).await;
    checkpoint(
        &app,
        "2026-11-24T11:30:00Z",
        "delivered",
        "Left at the door",
    )
    .await;
    // The estimate moves later: Delayed (the order says 2026-11-27 until now).
    let mut later = order_body("1001-1");
    later["shipments"][0]["estimated_delivery"] = json!("2026-11-29");
    app.put_order("1001", &later).await;
    eventually(10, "two events sent", || async {
        event_states(&app).await == (2, 0, 0)
    })
    .await;
    let events = app.klaviyo.events(&account);
    assert_eq!(events.len(), 2, "{events:?}");
    let delivered = events
        .iter()
        .find(|e| e["metric"] == "Shipment Delivered")
        .expect("delivered");
    assert_eq!(delivered["unique_id"], "1001-1:delivered:1795519800000");
    assert_eq!(delivered["datetime"], "2026-11-24T11:30:00+00:00");
    assert_eq!(delivered["properties"]["milestone"], "delivered");
    assert!(events.iter().any(|e| e["metric"] == "Shipment Delayed"
        && e["unique_id"] == "1001-1:delayed:2026-11-29"
        && e["properties"]["estimated_delivery"] == "2026-11-29"));
    // The event's profile is the order's customer.
    let profile = app
        .klaviyo
        .profiles(&account)
        .into_iter()
        .find(|p| p["id"] == delivered["profile_id"])
        .unwrap();
    assert_eq!(profile["attributes"]["external_id"], "cust-42");

    // A replay (say the answer was lost and the job ran again): Klaviyo takes it (202) and
    // keeps one event.
    sqlx::query(
        "UPDATE event_jobs SET state = 'queued', run_at_ms = 0 WHERE milestone = 'delivered'",
    )
    .execute(app.state.db.pool())
    .await
    .unwrap();
    app.state.jobs_wake.notify_one();
    eventually(10, "the replay sent", || async {
        app.klaviyo_received(&account, "POST", "/api/events").len() == 3
    })
    .await;
    eventually(10, "the replay recorded", || async {
        event_states(&app).await == (2, 0, 0)
    })
    .await;
    assert_eq!(app.klaviyo.events(&account).len(), 2);
}

async fn a_refused_event_is_dead_lettered_and_sent_again_from_the_log(backend: Backend) {
    let app = spawn_app(backend).await;
    let account = app.connect_klaviyo(&app.api_key, "TrkSub").await;
    pick(&app, &["shipped"]).await;
    app.put_order("1001", &order_body("1001-1")).await;
    app.klaviyo.set_faults(KlaviyoFaultsPatch {
        fail_next: Some(1),
        error_status: Some(400),
        ..Default::default()
    });
    checkpoint(&app, "2026-11-24T10:00:00Z", "in_transit", "Departed").await;
    eventually(10, "the event failed", || async {
        event_states(&app).await == (0, 0, 1)
    })
    .await;
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    // The consent log counts it, with the reason.
    let session_view = app::ssr::jobs::events::figures(&app.state.db, &merchant)
        .await
        .unwrap();
    assert_eq!(session_view.failed, 1);
    assert!(
        !session_view.recent_failures[0].2.is_empty(),
        "{session_view:?}"
    );
    assert!(app.klaviyo.events(&account).is_empty());
    // The merchant sends it again.
    let answer = app::ssr::consent_log::retry_events_now(&app.state, &merchant)
        .await
        .unwrap();
    assert!(answer.contains('1'), "{answer}");
    eventually(10, "the event sent", || async {
        event_states(&app).await == (1, 0, 0)
    })
    .await;
    assert_eq!(app.klaviyo.events(&account).len(), 1);
}

async fn no_provider_or_no_pick_means_no_events(backend: Backend) {
    let app = spawn_app(backend).await;
    // Milestones picked, but no provider connected: nothing to send them to.
    pick(&app, &["shipped"]).await;
    app.put_order("1001", &order_body("1001-1")).await;
    checkpoint(&app, "2026-11-24T10:00:00Z", "in_transit", "Departed").await;
    assert_eq!(app.count("event_jobs").await, 0);
    // Connected, nothing picked: none either.
    app.connect_sms(&app.api_key).await;
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    milestones::store(&app.state.db, &merchant, &MilestoneSet::default())
        .await
        .unwrap();
    checkpoint(&app, "2026-11-24T11:00:00Z", "delivered", "Delivered").await;
    assert_eq!(app.count("event_jobs").await, 0);
    // A shipment's first status is not news (a history import); a later declared change is,
    // once; an order sent again without a status keeps the one it had.
    pick(&app, &["delivered", "exception"]).await;
    let mut old = order_body("2002-1");
    old["shipments"][0]["status"] = json!("exception");
    app.put_order("2002", &old).await;
    assert_eq!(app.count("event_jobs").await, 0);
    old["shipments"][0]["status"] = json!("delivered");
    app.put_order("2002", &old).await;
    assert_eq!(app.count("event_jobs").await, 1);
    app.put_order("2002", &order_body("2002-1")).await;
    app.put_order("2002", &old).await;
    assert_eq!(app.count("event_jobs").await, 1);
    let unique: String = sqlx::query_scalar("SELECT unique_id FROM event_jobs")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(unique, "2002-1:delivered");
    // A scan older than three days is not news either.
    let resp = app
        .post_json(
            "/api/v1/shipments/2002-1/checkpoints",
            &app.api_key,
            &json!({"checkpoints": [{
                "time": "2026-11-10T10:00:00Z", "message": "Damaged", "status": "exception"
            }]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(app.count("event_jobs").await, 1);
}

async fn an_erased_shopper_is_sent_no_more_events(backend: Backend) {
    let app = spawn_app(backend).await;
    app.connect_sms(&app.api_key).await;
    pick(&app, &["shipped", "delivered"]).await;
    app.put_order("1001", &order_body("1001-1")).await;
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let us = app::domain::inputs::CountryCode::parse("US").unwrap();
    let subject = app::ssr::data_rights::Subject::parse("customer", "cust-42", us).unwrap();
    app::ssr::data_rights::erase(&app.state, &merchant, &subject, app.state.clock.now_ms())
        .await
        .unwrap();
    checkpoint(&app, "2026-11-24T10:00:00Z", "in_transit", "Departed").await;
    assert_eq!(app.count("event_jobs").await, 0);
}

on_both_backends!(
    milestones_reach_yotpo_once_as_custom_events,
    milestones_reach_klaviyo_and_a_replay_is_not_stored_twice,
    a_refused_event_is_dead_lettered_and_sent_again_from_the_log,
    no_provider_or_no_pick_means_no_events,
    an_erased_shopper_is_sent_no_more_events,
);
