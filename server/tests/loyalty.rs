//! Yotpo Loyalty points for an SMS sign-up: the connection checked before it is saved, the
//! points promised in the consent block, the custom action recorded once the opt-in is
//! delivered, and never twice (the same shopper again, at once or later, or a send whose
//! answer was lost).

mod common;

use app::domain::AppError;
use app::ssr::merchant_settings::loyalty::{save_loyalty, LoyaltyForm, SANDBOX_SIGNUP_CAMPAIGN};
use app::ssr::merchants::{self, MerchantId};
use common::{order_body, spawn_app, spawn_app_tuned, token_of, Backend, TestApp};

const EMAIL: &str = "ana@example.com";

async fn merchant(app: &TestApp) -> MerchantId {
    merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .expect("the test merchant")
}

/// Connects the test merchant's loyalty account: the sandbox store `guid` with `key`.
async fn connect_loyalty(app: &TestApp, guid: &str, key: &str) -> Result<String, AppError> {
    let (action, points) = SANDBOX_SIGNUP_CAMPAIGN;
    let form = LoyaltyForm {
        guid: guid.to_owned(),
        key: key.to_owned(),
        action: action.to_owned(),
        points: points.to_string(),
        ..LoyaltyForm::default()
    };
    save_loyalty(&app.state, &merchant(app).await, &form).await
}

/// The shopper (always `EMAIL`) signs up on order `order`'s tracking page with `phone`;
/// returns the page's HTML before the sign-up.
async fn sign_up(app: &TestApp, order: &str, phone: &str) -> String {
    let mut body = order_body(&format!("{order}-1"));
    // Each order its own customer account (the same email, the same person).
    body["customer"]["id"] = format!("cust-{order}").into();
    let order = app.put_order(order, &body).await;
    let html = app.tracking_page(&order).await.text().await.unwrap();
    let form = app.consent_form(&token_of(&order), phone).await;
    let resp = app.subscribe(&form).await;
    assert!(resp.status().is_success(), "{}", resp.status());
    html
}

/// Runs the queue (the clock moved to each next due job) until every loyalty job is done or
/// failed; returns each one's (state, outcome, last error), oldest first.
async fn loyalty_jobs_settled(
    app: &TestApp,
    expected: usize,
) -> Vec<(String, Option<String>, Option<String>)> {
    let read = || async {
        sqlx::query_as::<_, (String, Option<String>, Option<String>)>(
            "SELECT state, outcome, last_error FROM loyalty_jobs ORDER BY created_at_ms, id",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        app.advance_to_next_due().await;
        let jobs = read().await;
        if jobs.len() == expected && jobs.iter().all(|(state, _, _)| state != "queued") {
            break;
        }
        if std::time::Instant::now() > deadline {
            let consents: Vec<(String, Option<String>)> =
                sqlx::query_as("SELECT state, failure_reason FROM consents")
                    .fetch_all(app.state.db.pool())
                    .await
                    .unwrap();
            let log: Vec<String> = app
                .sandbox
                .requests()
                .iter()
                .rev()
                .take(12)
                .map(|r| format!("{} {} {} {}", r.at_ms, r.method, r.path, r.status))
                .collect();
            panic!("the loyalty jobs did not settle: {jobs:?}; consents {consents:?}; {log:#?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    read().await
}

async fn a_sign_up_earns_its_points_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    let secret = format!("secret-{store}");
    // A wrong key is refused before anything is saved.
    match connect_loyalty(&app, &store, "not-the-key").await {
        Err(AppError::Invalid { field, .. }) => assert_eq!(field, "loyalty_key"),
        other => panic!("a wrong key was not refused: {other:?}"),
    }
    let saved = connect_loyalty(&app, &store, &secret).await.unwrap();
    assert!(saved.contains("100"), "{saved}");
    let stored: (String, String) =
        sqlx::query_as("SELECT loyalty_guid, loyalty_key_enc FROM merchants LIMIT 1")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(stored.0, store);
    assert!(!stored.1.contains(&secret), "the key is stored sealed");

    let page = sign_up(&app, "1001", "+14155552671").await;
    assert!(
        page.contains("Sign up and earn 100 loyalty points."),
        "the consent block promises the points"
    );
    let jobs = loyalty_jobs_settled(&app, 1).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(jobs[0].1.as_deref(), Some("recorded"));
    let (points, history) = app.sandbox.loyalty_customer(&store, EMAIL).unwrap();
    assert_eq!((points, history.len()), (100, 1), "{history:?}");
    assert_eq!(history[0]["action_name"], SANDBOX_SIGNUP_CAMPAIGN.0);
    // The history was read before the send, and the send carried the email as documented.
    let sent = app.received(&store, "POST", "/api/v2/actions");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body.as_ref().unwrap()["type"], "CustomAction");
    let reads = app
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v2/customers")
        .count();
    assert_eq!(reads, 1, "the history is read before the send");

    // The same shopper signs up again from another order, with another phone: one action
    // per customer, so nothing more is sent.
    sign_up(&app, "1002", "+14155552672").await;
    all_subscribed(&app, 2).await;
    assert_eq!(app.count("loyalty_jobs").await, 1, "no second job for them");
    let (points, history) = app.sandbox.loyalty_customer(&store, EMAIL).unwrap();
    assert_eq!((points, history.len()), (100, 1));
    assert_eq!(app.received(&store, "POST", "/api/v2/actions").len(), 1);

    // The consent log says what became of each.
    let log = app::ssr::consent_log::entries(&app.state.db, &merchant(&app).await, None, 10)
        .await
        .unwrap();
    let outcomes: Vec<Option<&str>> = log.iter().map(|e| e.loyalty_outcome.as_deref()).collect();
    assert_eq!(outcomes, [None, Some("recorded")]);
}

/// Runs the queue until `n` consents are subscribed.
async fn all_subscribed(app: &TestApp, n: i64) {
    common::eventually(60, "the consents to be subscribed", || async {
        app.advance_to_next_due().await;
        let subscribed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE state = 'subscribed'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        subscribed == n
    })
    .await;
}

/// Yotpo recorded the action but its answer never arrived (the call timed out): the retry
/// reads the history, finds the action, and does not send it again.
async fn a_lost_answer_does_not_award_points_twice(backend: Backend) {
    let (app, _running) = spawn_app_tuned(
        backend,
        |s| s.yotpo.timeout = std::time::Duration::from_secs(1),
        std::future::pending(),
    )
    .await;
    let store = app.connect_sms(&app.api_key).await;
    connect_loyalty(&app, &store, &format!("secret-{store}"))
        .await
        .unwrap();
    app.sandbox.set_faults(sandbox::FaultsPatch {
        loyalty_answer_delay_ms: Some(3_000),
        ..Default::default()
    });
    sign_up(&app, "2001", "+14155552673").await;
    let jobs = loyalty_jobs_settled(&app, 1).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(jobs[0].1.as_deref(), Some("already"), "{jobs:?}");
    let (points, history) = app.sandbox.loyalty_customer(&store, EMAIL).unwrap();
    assert_eq!((points, history.len()), (100, 1), "{history:?}");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM loyalty_jobs")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM loyalty_jobs")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    // One send that timed out, then the read that found it.
    assert_eq!(attempts, 2, "{error:?}");
}

/// A campaign Yotpo does not know is refused (400): no retries, the reason kept for the
/// merchant.
async fn an_unknown_campaign_fails_with_its_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    connect_loyalty(&app, &store, &format!("secret-{store}"))
        .await
        .unwrap();
    app.sandbox
        .set_loyalty_campaigns(&store, &[("Something else", 5)]);
    sign_up(&app, "3001", "+14155552674").await;
    let jobs = loyalty_jobs_settled(&app, 1).await;
    assert_eq!(jobs[0].0, "failed", "{jobs:?}");
    assert!(
        jobs[0]
            .2
            .as_deref()
            .unwrap_or_default()
            .contains("campaign"),
        "{jobs:?}"
    );
    assert!(app.sandbox.loyalty_customer(&store, EMAIL).is_none());

    // The merchant fixes the campaign in Yotpo and retries from the consent log.
    app.sandbox
        .set_loyalty_campaigns(&store, &[SANDBOX_SIGNUP_CAMPAIGN]);
    let merchant = merchant(&app).await;
    let log = app::ssr::consent_log::entries(&app.state.db, &merchant, None, 10)
        .await
        .unwrap();
    let said = app::ssr::consent_log::retry_now(&app.state, &merchant, &log[0].id)
        .await
        .unwrap();
    assert!(said.contains("Yotpo Loyalty"), "{said}");
    let jobs = loyalty_jobs_settled(&app, 1).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(jobs[0].1.as_deref(), Some("recorded"));
    let (points, _) = app.sandbox.loyalty_customer(&store, EMAIL).unwrap();
    assert_eq!(points, 100);
}

/// One shopper signs two phones up on one tracking page: both opt-ins land at the same
/// moment. Two jobs would both read an empty history and both send; there is one job per
/// customer, so the points land once.
async fn two_sign_ups_of_one_shopper_at_once_earn_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.connect_sms(&app.api_key).await;
    connect_loyalty(&app, &store, &format!("secret-{store}"))
        .await
        .unwrap();
    let order = app.put_order("4001", &order_body("4001-1")).await;
    let token = token_of(&order);
    for phone in ["+14155552675", "+14155552676"] {
        let form = app.consent_form(&token, phone).await;
        assert!(app.subscribe(&form).await.status().is_success());
    }
    all_subscribed(&app, 2).await;
    let jobs = loyalty_jobs_settled(&app, 1).await;
    assert_eq!(jobs[0].1.as_deref(), Some("recorded"), "{jobs:?}");
    let (points, history) = app.sandbox.loyalty_customer(&store, EMAIL).unwrap();
    assert_eq!((points, history.len()), (100, 1), "{history:?}");
    assert_eq!(app.received(&store, "POST", "/api/v2/actions").len(), 1);
}

/// The app's sandbox sign-up campaign is one the sandbox has.
#[test]
fn the_sandbox_has_the_sign_up_campaign() {
    assert!(sandbox::loyalty::DEFAULT_CAMPAIGNS.contains(&SANDBOX_SIGNUP_CAMPAIGN));
}

on_both_backends!(
    two_sign_ups_of_one_shopper_at_once_earn_once,
    a_sign_up_earns_its_points_once,
    a_lost_answer_does_not_award_points_twice,
    an_unknown_campaign_fails_with_its_reason,
);
