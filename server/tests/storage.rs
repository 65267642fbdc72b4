//! Storage behaviour that must hold on both backends: migrations, first-run demo data,
//! link tokens.

mod common;

use app::domain::TrackingToken;
use app::ssr::db::PoolConfig;
use app::ssr::{merchants, orders, tracking, Db};
use common::{fresh_database, spawn_app, Backend};
use std::collections::HashSet;

on_both_backends!(
    migrations_apply_once_and_keep_data,
    demo_data_is_created_once_and_found_again,
    shopper_tokens_are_random_and_unique,
    job_claims_are_fair_across_merchants,
);

async fn migrations_apply_once_and_keep_data(backend: Backend) {
    let (url, _dir) = fresh_database(backend).await;
    let db = Db::connect(&url, &PoolConfig::default())
        .await
        .expect("first connect");
    let now = 1_700_000_000_000;
    let merchant = merchants::create(
        &db,
        &merchants::NewMerchant {
            name: app::domain::inputs::BrandName::parse("Shop").unwrap(),
            accent_color: None,
            is_demo: false,
        },
        now,
    )
    .await
    .unwrap();
    let key = merchants::create_api_key(&db, &merchant, "k", now)
        .await
        .unwrap();
    db.close().await;

    let db = Db::connect(&url, &PoolConfig::default())
        .await
        .expect("second connect");
    assert_eq!(merchants::count(&db).await.unwrap(), 1);
    assert_eq!(
        merchants::authenticate(&db, key.expose()).await.unwrap(),
        Some(merchant)
    );
    assert_eq!(
        merchants::authenticate(&db, "tl_wrong").await.unwrap(),
        None
    );
    db.ping().await.unwrap();
}

async fn demo_data_is_created_once_and_found_again(backend: Backend) {
    let app = spawn_app(backend).await;
    // spawn_app made a merchant; demo data goes only into an empty database.
    let dir = tempfile::tempdir().unwrap();
    assert!(server::demo::ensure(&app.state, dir.path())
        .await
        .unwrap()
        .is_none());

    let (url, _db_dir) = fresh_database(backend).await;
    let mut settings = server::config::Settings::for_tests(dir.path().to_path_buf(), url);
    settings.demo = true;
    let empty = server::startup::Application::build(&settings, app.state.clock.clone())
        .await
        .unwrap();
    let first = server::demo::ensure(empty.state(), dir.path())
        .await
        .unwrap()
        .expect("demo created");
    assert!(first.created_now);
    assert_eq!(
        first.pages.len(),
        5,
        "orders 1001 to 1003, and 1004 in two parcels"
    );
    let key = first.api_key.clone().expect("demo key");
    assert!(dir.path().join(server::demo::DEMO_KEY_FILE).exists());

    let second = server::demo::ensure(empty.state(), dir.path())
        .await
        .unwrap()
        .expect("demo found");
    assert!(!second.created_now);
    assert_eq!(second.api_key.as_deref(), Some(key.as_str()));
    assert_eq!(second.pages, first.pages);
    assert_eq!(merchants::count(&empty.state().db).await.unwrap(), 1);

    // Every demo page renders with a timeline.
    for (_, url) in &first.pages {
        let token = TrackingToken::parse(url.rsplit('/').next().unwrap()).unwrap();
        let (view, _) = tracking::load(
            &empty.state().db,
            &token,
            empty.state().clock.now_ms(),
            &Default::default(),
            &empty.state().media.limits,
        )
        .await
        .unwrap()
        .expect("demo shipment");
        assert!(view.parcels.iter().all(|p| !p.checkpoints.is_empty()));
        assert_eq!(view.brand.name, "Northwind Coffee Co.");
    }
}

async fn shopper_tokens_are_random_and_unique(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut body = common::order_body("x");
    let shipments: Vec<_> = (0..40)
        .map(|i| serde_json::json!({"id": format!("S{i}"), "carrier": "UPS", "tracking_number": format!("T{i}")}))
        .collect();
    body["shipments"] = serde_json::Value::Array(shipments);
    let resp = app.put_json("/api/v1/orders/O", &app.api_key, &body).await;
    assert_eq!(resp.status(), 201);
    let merchant = merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .unwrap();
    let listed = orders::list_shipments(&app.state.db, &merchant, 100)
        .await
        .unwrap();
    assert_eq!(listed.len(), 40);
    let tokens: HashSet<String> = listed.iter().map(|s| s.token.to_string()).collect();
    assert_eq!(tokens.len(), 40, "tokens are unique");
    for t in &tokens {
        assert_eq!(t.len(), 22);
    }
    // Neighbouring shipments share no long common prefix (not sequential, not derived).
    let mut sorted: Vec<&String> = tokens.iter().collect();
    sorted.sort();
    for pair in sorted.windows(2) {
        let common = pair[0]
            .chars()
            .zip(pair[1].chars())
            .take_while(|(a, b)| a == b)
            .count();
        assert!(common < 8, "{} and {} look related", pair[0], pair[1]);
    }
}

/// Hosted PostgreSQL usually requires TLS: `sslmode=require` in the URL must work.
#[tokio::test]
async fn postgres_connections_can_use_tls() {
    let (url, _dir) = fresh_database(Backend::Postgres).await;
    let db = Db::connect(&format!("{url}?sslmode=require"), &PoolConfig::default())
        .await
        .expect("connecting with sslmode=require (does the test server offer TLS? `SHOW ssl`)");
    let row = sqlx::query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let encrypted: bool = sqlx::Row::try_get(&row, 0).unwrap();
    assert!(encrypted, "the connection is not encrypted");
}

/// A burst of one store's consents must not take every worker slot: claims hold at most
/// `per_merchant` jobs of a merchant at once, customer steps half of them (counting jobs
/// other claims still hold), so other stores' jobs, due later, are claimed beside them.
async fn job_claims_are_fair_across_merchants(backend: Backend) {
    use app::ssr::jobs::queue;
    let (url, _dir) = fresh_database(backend).await;
    let db = Db::connect(&url, &PoolConfig::default()).await.unwrap();
    let now = 1_700_000_000_000_i64;
    let mut shops = Vec::new();
    for name in ["Busy", "Quiet"] {
        let merchant = merchants::create(
            &db,
            &merchants::NewMerchant {
                name: app::domain::inputs::BrandName::parse(name).unwrap(),
                accent_color: None,
                is_demo: false,
            },
            now,
        )
        .await
        .unwrap();
        shops.push(merchant);
    }
    // Busy: 10 jobs due first; Quiet: 2 jobs due a second later.
    let mut job = 0;
    for (shop, count, due) in [(&shops[0], 10, now), (&shops[1], 2, now + 1_000)] {
        for _ in 0..count {
            job += 1;
            let consent = format!("consent-{job}");
            sqlx::query(
                "INSERT INTO consents (id, merchant_id, customer_external_id, phone_e164,
                     provider, account_id, list_id, source, disclosure, disclosure_sha256,
                     idempotency_key, state, consented_at_ms, updated_at_ms)
                 VALUES ($1, $2, 'c', $3, 'yotpo', 'store', '1', 'tracking_page', 'd', 'h', $1,
                     'waiting', $4, $4)",
            )
            .bind(&consent)
            .bind(shop.as_str())
            .bind(format!("+1415555{job:04}"))
            .bind(now)
            .execute(db.pool())
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO jobs (id, consent_id, step, state, run_at_ms, created_at_ms,
                     updated_at_ms)
                 VALUES ($1, $2, 'upsert_customer', 'queued', $3, $4, $4)",
            )
            .bind(format!("job-{job:02}"))
            .bind(&consent)
            .bind(due)
            .bind(now)
            .execute(db.pool())
            .await
            .unwrap();
        }
    }
    let at = now + 2_000;
    let lease = 120_000;
    let first = queue::claim(&db, "w1", at, lease, 8, 6).await.unwrap();
    let mut ids: Vec<_> = first.iter().map(|j| j.id.clone()).collect();
    ids.sort();
    // Three of Busy's (the oldest) and both of Quiet's, though Busy had eight more due first.
    assert_eq!(ids, ["job-01", "job-02", "job-03", "job-11", "job-12"]);
    // Another worker: Busy is at its limit while those three are held.
    assert!(queue::claim(&db, "w2", at, lease, 8, 6)
        .await
        .unwrap()
        .is_empty());
    // Once their claims lapse, the next three.
    let later = queue::claim(&db, "w2", at + lease + 1, lease, 8, 6)
        .await
        .unwrap();
    assert_eq!(
        later.len(),
        3 + 2,
        "Busy's three held ones and Quiet's two, all lapsed"
    );
}
