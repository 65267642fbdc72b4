//! `GET /metrics` in Prometheus's text format, after a consent went all the way through.
//! One test in this binary: the recorder is the process's.

mod common;

use common::{eventually, order_body, spawn_app, token_of, Backend};
use time::Duration;

/// The value of the series whose line starts with `series` (name and labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_show_requests_provider_calls_consents_and_the_queue() {
    let app = spawn_app(Backend::Sqlite).await;
    let store = app.connect_sms(&app.api_key).await;
    let order = app.put_order("1001", &order_body("1001-1")).await;
    let token = token_of(&order);
    assert_eq!(app.tracking_page(&order).await.status(), 200);
    let form = app.consent_form(&token, "+14155552671").await;
    assert_eq!(app.subscribe(&form).await.status(), 200);
    eventually(5, "step 1 recorded", || async {
        app.consent_state("+14155552671").await.map(|s| s.0) == Some("customer_sent".into())
    })
    .await;
    assert_eq!(app.received(&store, "PATCH", "/customers").len(), 1);
    // Step 2 is due in a minute: the queue has one job, not due yet.
    let text = scrape(&app).await;
    assert_eq!(value(&text, "jobs_due "), Some(0.0), "{text}");
    assert_eq!(
        value(&text, r#"consents{state="customer_sent"}"#),
        Some(1.0)
    );
    app.clock.advance(Duration::seconds(60));
    eventually(5, "step 2", || async {
        app.consent_state("+14155552671").await.map(|s| s.0) == Some("subscribed".into())
    })
    .await;

    let text = scrape(&app).await;
    assert_eq!(
        value(&text, r#"consents{state="subscribed"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(value(&text, "jobs_oldest_due_age_seconds "), Some(0.0));
    assert!(
        value(
            &text,
            r#"http_requests_total{route="/t/{token}",status="200"}"#
        ) >= Some(1.0),
        "{text}"
    );
    assert!(text.contains(r#"http_request_duration_seconds_bucket{route="/t/{token}""#));
    for call in ["access_token", "upsert_customer", "upsert_subscriber"] {
        let series =
            format!(r#"provider_calls_total{{provider="yotpo",call="{call}",outcome="ok"}}"#);
        assert_eq!(value(&text, &series), Some(1.0), "{series} in {text}");
    }
    assert_eq!(value(&text, "optin_delay_error_seconds_count"), Some(1.0));
    assert!(!text.contains("4155552671"), "no personal data");
}

async fn scrape(app: &common::TestApp) -> String {
    let resp = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    resp.text().await.unwrap()
}
