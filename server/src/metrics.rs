//! `GET /metrics`, in Prometheus's text format (`metrics-exporter-prometheus`): requests by
//! route and status and their duration (page render time is the duration of the page routes),
//! provider calls by outcome, the step-2 delay error, and, read from the database at each
//! scrape, consents by state, the job queue's depth and the age of its oldest due job. The
//! endpoint shows counts, never personal data; operators expose it to their monitoring only.

use app::ssr::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// The process's recorder, installed on first use (several apps in one test process share
/// it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
            .expect("non-empty buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder installed first (a test harness) keeps its place.
        let _ = metrics::set_global_recorder(recorder);
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!("http_requests_total", "HTTP requests by route and status");
    metrics::describe_histogram!(
        "http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time to answer, by route (the page routes: render time)"
    );
    metrics::describe_counter!(
        "provider_calls_total",
        "Calls to SMS providers by provider and outcome (ok, 4xx, 429, 5xx, timeout, error)"
    );
    metrics::describe_histogram!(
        "optin_delay_error_seconds",
        metrics::Unit::Seconds,
        "How late step 2 (the opt-in) started after its due time"
    );
    metrics::describe_gauge!("consents", "Consents by state");
    metrics::describe_gauge!("jobs_due", "Queued jobs due now");
    metrics::describe_gauge!(
        "jobs_oldest_due_age_seconds",
        metrics::Unit::Seconds,
        "How long the oldest due job has waited"
    );
}

#[derive(sqlx::FromRow)]
struct StateCount {
    state: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct Due {
    due: i64,
    oldest: Option<i64>,
}

/// Reads the gauges that live in the database.
async fn read_gauges(state: &AppState) -> anyhow::Result<()> {
    let counts: Vec<StateCount> =
        sqlx::query_as("SELECT state, COUNT(*) AS n FROM consents GROUP BY state")
            .fetch_all(state.db.pool())
            .await?;
    for known in app::ssr::consent_log::STATES {
        let n = counts.iter().find(|c| c.state == known).map_or(0, |c| c.n);
        metrics::gauge!("consents", "state" => known).set(n as f64);
    }
    let now = state.clock.now_ms();
    let due: Due = sqlx::query_as(
        "SELECT COUNT(*) AS due, MIN(run_at_ms) AS oldest FROM jobs
         WHERE state = 'queued' AND run_at_ms <= $1",
    )
    .bind(now)
    .fetch_one(state.db.pool())
    .await?;
    metrics::gauge!("jobs_due").set(due.due as f64);
    let age = due.oldest.map_or(0, |oldest| now - oldest);
    metrics::gauge!("jobs_oldest_due_age_seconds").set(age as f64 / 1000.0);
    let events: Vec<StateCount> =
        sqlx::query_as("SELECT state, COUNT(*) AS n FROM event_jobs GROUP BY state")
            .fetch_all(state.db.pool())
            .await?;
    for known in ["queued", "done", "failed"] {
        let n = events.iter().find(|c| c.state == known).map_or(0, |c| c.n);
        metrics::gauge!("milestone_events", "state" => known).set(n as f64);
    }
    Ok(())
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let handle = handle();
    if let Err(e) = read_gauges(&state).await {
        tracing::warn!(
            error = format!("{e:#}"),
            "metrics: the database's gauges are stale"
        );
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}
