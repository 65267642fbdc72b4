//! Photos shoppers share of a delivered order: the upload over HTTP (with and without
//! JavaScript's JSON), hostile files refused with their reasons and nothing kept of them,
//! EXIF GPS gone from what is stored and served, nothing public before approval, the import
//! into the Yotpo sandbox by a URL that serves the stripped photo, a video the whole way,
//! imports retried and dead-lettered with their reasons, points for a photo once, and the
//! limits per link, per network and per shipment.

mod common;

use app::ssr::media::moderation;
use app::ssr::merchant_settings::loyalty::{
    save_loyalty, LoyaltyForm, SANDBOX_PHOTO_CAMPAIGN, SANDBOX_SIGNUP_CAMPAIGN,
};
use app::ssr::merchants::{self, MerchantId};
use app::ssr::testing::photos::{jpeg, jpeg_with_gps};
use common::{order_body, spawn_app, spawn_app_tuned, token_of, Backend, TestApp};
use reqwest::multipart::{Form, Part};
use std::io::Cursor;

async fn merchant(app: &TestApp) -> MerchantId {
    merchants::authenticate(&app.state.db, &app.api_key)
        .await
        .unwrap()
        .expect("the test merchant")
}

/// A store that takes photos, connected to Yotpo, with a delivered order; returns the
/// store ID and the order's tracking token.
async fn delivered_order(app: &TestApp, order: &str) -> (String, String) {
    let store = app.connect_sms(&app.api_key).await;
    moderation::set_enabled(&app.state, merchant(app).await.as_str(), true)
        .await
        .unwrap();
    let mut body = order_body(&format!("{order}-1"));
    body["shipments"][0]["status"] = "delivered".into();
    body["product_ids"] = serde_json::json!(["SKU-1", "SKU-2"]);
    let order = app.put_order(order, &body).await;
    (store, token_of(&order))
}

fn file(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(mime)
        .unwrap()
}

/// Posts the photo form as the widget does (JSON answers) or as a plain form (redirects).
async fn upload(app: &TestApp, token: &str, files: Vec<Part>, json: bool) -> reqwest::Response {
    let mut form = Form::new()
        .text("lang", "en")
        .text("caption", "Arrived in one piece");
    for part in files {
        form = form.part("media", part);
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    client
        .post(app.url(&format!("/t/{token}/photos")))
        .header(
            "accept",
            if json {
                "application/json"
            } else {
                "text/html,application/xhtml+xml"
            },
        )
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The code of a refused JSON upload, after checking its status.
async fn refused(resp: reqwest::Response, status: u16) -> String {
    assert_eq!(resp.status().as_u16(), status);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["error"].as_str().is_some_and(|e| e.len() > 10),
        "{body}"
    );
    body["code"].as_str().unwrap().to_owned()
}

fn gps_of(bytes: &[u8]) -> Option<String> {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .map(|f| f.display_value().to_string())
}

/// Stored file keys.
async fn keys(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT key FROM media_files ORDER BY position")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// The key and the kept copy of the only file stored.
async fn the_stored_file(app: &TestApp) -> (String, Vec<u8>) {
    let keys = keys(app).await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    let stored = app
        .state
        .media
        .store
        .get(&keys[0], app::ssr::media::store::Variant::Main)
        .await
        .unwrap()
        .expect("the kept copy is stored");
    (keys[0].clone(), stored)
}

/// Approves the store's only submission, as its merchant does in the grid; returns its ID.
async fn approve_the_submission(app: &TestApp) -> String {
    let id: String = sqlx::query_scalar("SELECT id FROM media_submissions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let merchant = merchant(app).await;
    assert!(moderation::decide(&app.state, merchant.as_str(), &id, true)
        .await
        .unwrap());
    id
}

/// A path of this app for a URL under its public URL.
fn local(app: &TestApp, url: &str) -> String {
    let public = app.state.public_url.as_str();
    let path = url.strip_prefix(public).expect("a URL of this app");
    app.url(path)
}

/// Runs the queue until every import is done or failed; returns (state, outcome, error).
async fn imports_settled(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    let read = || async {
        sqlx::query_as::<_, (String, Option<String>, Option<String>)>(
            "SELECT state, outcome, last_error FROM review_import_jobs ORDER BY created_at_ms",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        app.advance_to_next_due().await;
        let jobs = read().await;
        if !jobs.is_empty() && jobs.iter().all(|(state, _, _)| state != "queued") {
            return jobs;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the imports did not settle: {jobs:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn a_shared_photo_reaches_yotpo_only_once_approved_and_without_its_gps(backend: Backend) {
    let app = spawn_app(backend).await;
    let (store, token) = delivered_order(&app, "1001").await;
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
        page.contains("Share a photo of your order"),
        "offered once delivered"
    );
    assert!(page.contains("enctype=\"multipart/form-data\""));

    let original = jpeg_with_gps(640, 480);
    assert!(gps_of(&original).is_some());
    let resp = upload(
        &app,
        &token,
        vec![file(original, "IMG_0001.jpg", "image/jpeg")],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("Thank you"),
        "{body}"
    );

    // Stored without GPS.
    let (key, stored) = the_stored_file(&app).await;
    let key = &key;
    assert_eq!(gps_of(&stored), None);
    assert!(!stored.windows(6).any(|w| w == b"Exif\0\0"));

    // Nothing public before approval, and the page's hint: the grid shows it pending.
    for variant in ["main", "thumb"] {
        let resp = app
            .client
            .get(app.url(&format!("/media/{key}/{variant}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "unapproved {variant} is not served");
    }
    let merchant = merchant(&app).await;
    let grid = moderation::grid(&app.state, merchant.as_str())
        .await
        .unwrap();
    assert_eq!(grid.len(), 1);
    assert_eq!(grid[0].caption.as_deref(), Some("Arrived in one piece"));
    assert!(grid[0].files[0].public_url.is_none());
    assert_eq!(app.count("review_import_jobs").await, 0);
    // Another store cannot decide it.
    let other = common::new_merchant(&app.state, "Other").await;
    let other = merchants::authenticate(&app.state.db, &other)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !moderation::decide(&app.state, other.as_str(), &grid[0].id, true)
            .await
            .unwrap()
    );

    assert!(
        moderation::decide(&app.state, merchant.as_str(), &grid[0].id, true)
            .await
            .unwrap()
    );
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(jobs[0].1.as_deref(), Some("1"));

    let imported = app.sandbox.imported_images(&store);
    assert_eq!(imported.len(), 1, "{imported:?}");
    assert_eq!(imported[0]["domain_key"], "SKU-1");
    assert_eq!(imported[0]["caption"], "Arrived in one piece");
    let url = imported[0]["image_url"].as_str().unwrap();
    assert!(url.contains(key.as_str()));
    let served = app.client.get(local(&app, url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("public, max-age="));
    let served = served.bytes().await.unwrap();
    assert_eq!(
        &served[..],
        &stored[..],
        "the URL serves the stripped photo"
    );
    // Byte ranges, as video players ask for them.
    let part = app
        .client
        .get(local(&app, url))
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-9/{}", stored.len()).as_str()
    );
    assert_eq!(&part.bytes().await.unwrap()[..], &stored[..10]);
    assert_eq!(gps_of(&served), None);
    image::load_from_memory(&served).expect("a real photo");
}

async fn hostile_and_oversized_uploads_are_refused_and_nothing_is_kept(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = delivered_order(&app, "1001").await;
    let script = b"<script>alert(document.cookie)</script>".to_vec();
    let code = refused(
        upload(
            &app,
            &token,
            vec![file(script.clone(), "cat.jpg", "image/jpeg")],
            true,
        )
        .await,
        415,
    )
    .await;
    assert_eq!(code, "type");

    let whole = jpeg(800, 600);
    let cut = whole[..whole.len() / 2].to_vec();
    let code = refused(
        upload(&app, &token, vec![file(cut, "cut.jpg", "image/jpeg")], true).await,
        422,
    )
    .await;
    assert_eq!(code, "damaged");

    // A PNG that declares 10,000 × 10,000 pixels in a few bytes.
    let mut bomb = Vec::new();
    image::DynamicImage::ImageLuma8(image::GrayImage::new(1, 1))
        .write_to(&mut Cursor::new(&mut bomb), image::ImageFormat::Png)
        .unwrap();
    bomb[16..20].copy_from_slice(&10_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&10_000u32.to_be_bytes());
    let crc = {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in &bomb[12..29] {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    };
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let code = refused(
        upload(
            &app,
            &token,
            vec![file(bomb, "bomb.png", "image/png")],
            true,
        )
        .await,
        413,
    )
    .await;
    assert_eq!(code, "too-large");

    // A video one byte over the limit: refused while it streams in.
    let mut video = vec![0, 0, 0, 16];
    video.extend_from_slice(b"ftypisom\0\0\0\0");
    video.resize(app.state.media.limits.video_bytes + 1, 0);
    let code = refused(
        upload(
            &app,
            &token,
            vec![file(video, "clip.mp4", "video/mp4")],
            true,
        )
        .await,
        413,
    )
    .await;
    assert_eq!(code, "too-big");

    let five = (0..5)
        .map(|i| file(jpeg(8, 8), &format!("{i}.jpg"), "image/jpeg"))
        .collect();
    assert_eq!(
        refused(upload(&app, &token, five, true).await, 400).await,
        "too-many"
    );
    assert_eq!(
        refused(upload(&app, &token, vec![], true).await, 400).await,
        "none"
    );

    // Without JavaScript: back to the photos page, which says why (from a fixed list).
    let resp = upload(
        &app,
        &token,
        vec![file(script, "cat.jpg", "image/jpeg")],
        false,
    )
    .await;
    assert_eq!(resp.status(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/t/{token}/photos?refused=type")),
        "{location}"
    );
    let page = app
        .client
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("choose a JPEG, PNG or WebP photo"), "{page}");
    // From the widget's frame, that page may be framed where the widget may.
    let frame_policy = |resp: &reqwest::Response| {
        resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("frame-ancestors"))
            .unwrap()
            .to_owned()
    };
    sqlx::query("UPDATE merchants SET allowed_origins = 'https://shop.example'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let widget = app
        .client
        .get(app.url(&format!("/embed/t/{token}")))
        .send()
        .await
        .unwrap();
    let framed = app
        .client
        .get(app.url(&format!("{location}&embed=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(frame_policy(&framed), frame_policy(&widget));
    assert_eq!(
        frame_policy(&framed),
        "frame-ancestors https://shop.example"
    );
    // A made-up code shows nothing of itself.
    let page = app
        .client
        .get(app.url(&format!("/t/{token}/photos?refused=%3Cb%3Ephish")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("phish"));

    assert_eq!(app.count("media_submissions").await, 0);
    assert_eq!(app.count("media_files").await, 0);
    let dir = app
        .state
        .media
        .store
        .get("x", app::ssr::media::store::Variant::Main)
        .await;
    assert!(dir.is_err(), "not a key");
}

async fn who_may_upload_and_how_much(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = delivered_order(&app, "1001").await;
    // A shipment takes three submissions.
    for i in 0..3 {
        let resp = upload(
            &app,
            &token,
            vec![file(jpeg(16, 16), "a.jpg", "image/jpeg")],
            true,
        )
        .await;
        assert_eq!(resp.status(), 200, "submission {i}");
    }
    let code = refused(
        upload(
            &app,
            &token,
            vec![file(jpeg(16, 16), "a.jpg", "image/jpeg")],
            true,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(code, "limit");
    let page = app
        .client
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        !page.contains("Share a photo of your order"),
        "no longer offered"
    );

    // Not delivered yet: no photos.
    let order = app.put_order("1002", &order_body("1002-1")).await;
    let code = refused(
        upload(
            &app,
            &token_of(&order),
            vec![file(jpeg(16, 16), "a.jpg", "image/jpeg")],
            true,
        )
        .await,
        404,
    )
    .await;
    assert_eq!(code, "unavailable");

    // A store that does not take photos.
    moderation::set_enabled(&app.state, merchant(&app).await.as_str(), false)
        .await
        .unwrap();
    let mut body = order_body("1003-1");
    body["shipments"][0]["status"] = "delivered".into();
    let order = app.put_order("1003", &body).await;
    let token = token_of(&order);
    let code = refused(
        upload(
            &app,
            &token,
            vec![file(jpeg(16, 16), "a.jpg", "image/jpeg")],
            true,
        )
        .await,
        404,
    )
    .await;
    assert_eq!(code, "unavailable");

    // Per link: ten tries an hour, then a pause (an empty post counts too).
    moderation::set_enabled(&app.state, merchant(&app).await.as_str(), true)
        .await
        .unwrap();
    for _ in 0..10 {
        refused(upload(&app, &token, vec![], true).await, 400).await;
    }
    assert_eq!(
        refused(upload(&app, &token, vec![], true).await, 429).await,
        "busy"
    );
    assert_eq!(app.count("media_submissions").await, 3);
}

async fn imports_are_retried_then_dead_lettered_with_the_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let (store, token) = delivered_order(&app, "1001").await;
    let resp = upload(
        &app,
        &token,
        vec![file(jpeg(64, 64), "a.jpg", "image/jpeg")],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200);
    app.sandbox.set_reviews_faults(sandbox::ReviewsFaultsPatch {
        reviews_status: Some(Some(503)),
        ..Default::default()
    });
    let merchant = merchant(&app).await;
    let id = approve_the_submission(&app).await;
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "failed", "{jobs:?}");
    let reason = jobs[0].2.clone().unwrap();
    assert!(reason.contains("503"), "{reason}");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM review_import_jobs")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(attempts > 1, "retried before giving up ({attempts})");
    assert!(app.sandbox.imported_images(&store).is_empty());
    let grid = moderation::grid(&app.state, merchant.as_str())
        .await
        .unwrap();
    assert!(grid[0].import.as_deref().unwrap().starts_with("failed: "));

    // Yotpo is back; the merchant retries.
    app.sandbox.set_reviews_faults(sandbox::ReviewsFaultsPatch {
        reviews_status: Some(None),
        ..Default::default()
    });
    assert!(
        app::ssr::jobs::reviews::retry_failed(&app.state, merchant.as_str(), &id)
            .await
            .unwrap()
    );
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(app.sandbox.imported_images(&store).len(), 1);

    // A submission whose store's secret Yotpo refuses fails at once with that reason.
    sqlx::query("UPDATE review_import_jobs SET state = 'failed'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let resp = upload(
        &app,
        &token,
        vec![file(jpeg(64, 64), "b.jpg", "image/jpeg")],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let second: String =
        sqlx::query_scalar("SELECT id FROM media_submissions WHERE state = 'pending'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let sealed = app
        .state
        .secrets
        .seal(merchant.as_str(), &"not-the-secret".to_owned().into())
        .unwrap();
    sqlx::query("UPDATE merchants SET sms_secret_enc = $1")
        .bind(sealed)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert!(
        moderation::decide(&app.state, merchant.as_str(), &second, true)
            .await
            .unwrap()
    );
    let failed: (String, Option<String>) = loop {
        app.advance_to_next_due().await;
        let row: (String, Option<String>) = sqlx::query_as(
            "SELECT state, last_error FROM review_import_jobs WHERE submission_id = $1",
        )
        .bind(&second)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        if row.0 != "queued" {
            break row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(failed.0, "failed");
    assert!(
        failed.1.unwrap().contains("refused"),
        "bad credentials are not retried"
    );
}

/// The sandbox loyalty account of `store`, rewarding sign-ups and photos with its
/// campaigns' points.
fn loyalty_form(store: &str) -> LoyaltyForm {
    LoyaltyForm {
        guid: store.to_owned(),
        key: format!("secret-{store}"),
        action: SANDBOX_SIGNUP_CAMPAIGN.0.to_owned(),
        points: SANDBOX_SIGNUP_CAMPAIGN.1.to_string(),
        photo_action: SANDBOX_PHOTO_CAMPAIGN.0.to_owned(),
        photo_points: SANDBOX_PHOTO_CAMPAIGN.1.to_string(),
    }
}

/// Runs the queue until every loyalty job is done or failed; returns (state, outcome,
/// attempts).
async fn loyalty_settled(app: &TestApp) -> Vec<(String, Option<String>, i64)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        app.advance_to_next_due().await;
        let jobs: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT state, outcome, attempts FROM loyalty_jobs ORDER BY created_at_ms, id",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        if !jobs.is_empty() && jobs.iter().all(|(state, _, _)| state != "queued") {
            return jobs;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the points did not settle: {jobs:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// An approved photo earns the store's photo points once per customer; erasing the
/// customer deletes their photos and files.
async fn an_approved_photo_earns_its_points_once_and_erasure_deletes_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (store, token) = delivered_order(&app, "1001").await;
    let merchant = merchant(&app).await;
    let form = LoyaltyForm {
        photo_points: String::new(),
        ..loyalty_form(&store)
    };
    match save_loyalty(&app.state, &merchant, &form).await {
        Err(app::domain::AppError::Invalid { field, .. }) => {
            assert_eq!(field, "loyalty_photo_points")
        }
        other => panic!("a photo action without points was taken: {other:?}"),
    }
    // One action for both rewards would leave signed-up shoppers without the photo's.
    let same = LoyaltyForm {
        photo_action: SANDBOX_SIGNUP_CAMPAIGN.0.to_owned(),
        photo_points: "50".into(),
        ..form.clone()
    };
    match save_loyalty(&app.state, &merchant, &same).await {
        Err(app::domain::AppError::Invalid { field, .. }) => {
            assert_eq!(field, "loyalty_photo_action")
        }
        other => panic!("one action for both rewards was taken: {other:?}"),
    }
    let form = LoyaltyForm {
        photo_points: SANDBOX_PHOTO_CAMPAIGN.1.to_string(),
        ..form
    };
    save_loyalty(&app.state, &merchant, &form).await.unwrap();
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
        page.contains("Earn 50 loyalty points when Acme approves your photo."),
        "the photo form promises the points"
    );

    for name in ["a.jpg", "b.jpg"] {
        let resp = upload(
            &app,
            &token,
            vec![file(jpeg(32, 32), name, "image/jpeg")],
            true,
        )
        .await;
        assert_eq!(resp.status(), 200);
    }
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM media_submissions ORDER BY created_at_ms, id")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        app.count("loyalty_jobs").await,
        0,
        "nothing before approval"
    );
    for id in &ids {
        assert!(moderation::decide(&app.state, merchant.as_str(), id, true)
            .await
            .unwrap());
    }
    // One action per customer: the second approval queues none.
    assert_eq!(app.count("loyalty_jobs").await, 1);
    let jobs = loyalty_settled(&app).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    let (points, history) = app
        .sandbox
        .loyalty_customer(&store, "ana@example.com")
        .unwrap();
    assert_eq!((points, history.len()), (50, 1), "{history:?}");
    assert_eq!(history[0]["action_name"], SANDBOX_PHOTO_CAMPAIGN.0);
    let grid = moderation::grid(&app.state, merchant.as_str())
        .await
        .unwrap();
    assert!(grid
        .iter()
        .any(|s| s.points == Some(app::domain::photos::PhotoPoints::Awarded)));

    // The shopper's data: the export lists their photos; erasing them deletes the rows and
    // the files.
    use app::ssr::data_rights::{self, Subject};
    let us = app::domain::inputs::CountryCode::parse("US").unwrap();
    let subject = Subject::parse("customer", "cust-42", us).unwrap();
    let export = data_rights::export(&app.state.db, &merchant, &subject)
        .await
        .unwrap();
    assert_eq!(export["photos"].as_array().unwrap().len(), 2, "{export}");
    let stored = keys(&app).await;
    assert_eq!(stored.len(), 2);
    let erased = data_rights::erase(&app.state, &merchant, &subject, app.state.clock.now_ms())
        .await
        .unwrap();
    assert_eq!(erased.photos, 2);
    assert_eq!(app.count("media_submissions").await, 0);
    assert_eq!(app.count("media_files").await, 0);
    for key in stored {
        let left = app
            .state
            .media
            .store
            .get(&key, app::ssr::media::store::Variant::Main)
            .await
            .unwrap();
        assert!(left.is_none(), "the file is deleted");
    }
}

/// Yotpo Loyalty recorded a photo's action but its answer never arrived (the call timed
/// out): the retry reads the customer's history, finds the action, and sends nothing more.
async fn a_lost_answer_to_a_photo_action_awards_no_second_points(backend: Backend) {
    let (app, _running) = spawn_app_tuned(
        backend,
        |s| s.yotpo.timeout = std::time::Duration::from_secs(1),
        std::future::pending(),
    )
    .await;
    let (store, token) = delivered_order(&app, "1001").await;
    let merchant = merchant(&app).await;
    save_loyalty(&app.state, &merchant, &loyalty_form(&store))
        .await
        .unwrap();
    let resp = upload(
        &app,
        &token,
        vec![file(jpeg(32, 32), "a.jpg", "image/jpeg")],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200);
    app.sandbox.set_faults(sandbox::FaultsPatch {
        loyalty_answer_delay_ms: Some(3_000),
        ..Default::default()
    });
    approve_the_submission(&app).await;
    let jobs = loyalty_settled(&app).await;
    // One send that timed out, then the history read that found it.
    assert_eq!(
        jobs,
        [("done".to_owned(), Some("already".to_owned()), 2)],
        "{jobs:?}"
    );
    let (points, history) = app
        .sandbox
        .loyalty_customer(&store, "ana@example.com")
        .unwrap();
    assert_eq!(
        (points, history.len()),
        (SANDBOX_PHOTO_CAMPAIGN.1, 1),
        "{history:?}"
    );
}

/// Two seconds of QuickTime made by ffmpeg, with the place and a title in its metadata
/// (the decoder's own test clip).
const CLIP: &[u8] = include_bytes!("../../app/src/ssr/media/decode/clip.mov");

/// A short video goes the whole way: uploaded, kept without its place, not served before
/// approval, then served (with byte ranges, as players ask) and imported into Yotpo
/// Reviews by the videos call for the order's products; a 503 on the way is retried by the
/// queue on its own.
async fn a_shared_video_is_served_and_imported_without_its_place(backend: Backend) {
    let app = spawn_app(backend).await;
    let (store, token) = delivered_order(&app, "1001").await;
    assert!(
        CLIP.windows(8).any(|w| w == b"+52.5200"),
        "the clip's place"
    );
    let resp = upload(
        &app,
        &token,
        vec![file(CLIP.to_vec(), "unboxing.mov", "video/quicktime")],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let (key, stored) = the_stored_file(&app).await;
    let key = &key;
    assert!(!stored.windows(8).any(|w| w == b"+52.5200"), "no place");
    assert_eq!(
        app.client
            .get(app.url(&format!("/media/{key}/main")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "not served before approval"
    );

    app.sandbox.set_reviews_faults(sandbox::ReviewsFaultsPatch {
        reviews_fail_next: Some(1),
        ..Default::default()
    });
    approve_the_submission(&app).await;
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM review_import_jobs")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 2, "one failed attempt, then done");
    assert!(app.sandbox.imported_images(&store).is_empty());
    let videos = app.sandbox.imported_videos(&store);
    assert_eq!(videos.len(), 1, "{videos:?}");
    assert_eq!(
        videos[0]["domain_keys"],
        serde_json::json!(["SKU-1", "SKU-2"])
    );
    assert_eq!(videos[0]["caption"], "Arrived in one piece");
    let url = videos[0]["video_url"].as_str().unwrap();
    assert!(url.contains(key.as_str()));
    let served = app.client.get(local(&app, url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "video/mp4");
    assert!(
        served.headers().get("content-encoding").is_none(),
        "video is not compressed"
    );
    let served = served.bytes().await.unwrap();
    assert_eq!(&served[..], &stored[..], "the URL serves the kept video");
    let part = app
        .client
        .get(local(&app, url))
        .header("range", "bytes=4-11")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(&part.bytes().await.unwrap()[..], &stored[4..12]);
    let parsed = mp4parse::read_mp4(&mut Cursor::new(&served[..])).expect("still a video");
    assert!(parsed
        .tracks
        .iter()
        .any(|t| t.track_type == mp4parse::TrackType::Video));
}

/// An import of a photo and a video whose video call keeps failing: dead-lettered with the
/// reason after the photo's call went through; the merchant's retry sends only the video.
async fn a_retried_import_sends_only_what_is_left(backend: Backend) {
    let app = spawn_app(backend).await;
    let (store, token) = delivered_order(&app, "1001").await;
    let resp = upload(
        &app,
        &token,
        vec![
            file(jpeg(64, 64), "a.jpg", "image/jpeg"),
            file(CLIP.to_vec(), "b.mov", "video/quicktime"),
        ],
        true,
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    app.sandbox.set_reviews_faults(sandbox::ReviewsFaultsPatch {
        reviews_video_status: Some(Some(502)),
        ..Default::default()
    });
    let merchant = merchant(&app).await;
    let id = approve_the_submission(&app).await;
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "failed", "{jobs:?}");
    assert!(jobs[0].2.as_deref().unwrap().contains("502"), "{jobs:?}");
    let (attempts, items_sent): (i64, i64) =
        sqlx::query_as("SELECT attempts, items_sent FROM review_import_jobs")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(attempts > 1, "retried before giving up ({attempts})");
    assert_eq!(items_sent, 1, "the photo's call went through once");
    assert_eq!(app.sandbox.imported_images(&store).len(), 1);
    assert!(app.sandbox.imported_videos(&store).is_empty());

    app.sandbox.set_reviews_faults(sandbox::ReviewsFaultsPatch {
        reviews_video_status: Some(None),
        ..Default::default()
    });
    assert!(
        app::ssr::jobs::reviews::retry_failed(&app.state, merchant.as_str(), &id)
            .await
            .unwrap()
    );
    let jobs = imports_settled(&app).await;
    assert_eq!(jobs[0].0, "done", "{jobs:?}");
    assert_eq!(jobs[0].1.as_deref(), Some("2"), "both files imported");
    assert_eq!(
        app.sandbox.imported_images(&store).len(),
        1,
        "the photo is not sent again"
    );
    assert_eq!(app.sandbox.imported_videos(&store).len(), 1);
}

/// Uploads from one network are limited over every link (30 an hour), whatever the
/// `X-Forwarded-For` header says when no proxy is trusted.
async fn uploads_are_limited_per_network_across_links(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut tokens = Vec::new();
    for order in ["1001", "1002", "1003", "1004"] {
        tokens.push(delivered_order(&app, order).await.1);
    }
    // Ten empty posts on each of three links: each link is at its own limit, the network
    // at its.
    for token in &tokens[..3] {
        for _ in 0..10 {
            refused(upload(&app, token, vec![], true).await, 400).await;
        }
    }
    let client = reqwest::Client::new();
    let spoofed = client
        .post(app.url(&format!("/t/{}/photos", tokens[3])))
        .header("accept", "application/json")
        .header("x-forwarded-for", "203.0.113.7")
        .multipart(Form::new().part("media", file(jpeg(16, 16), "a.jpg", "image/jpeg")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused(spoofed, 429).await,
        "busy",
        "a fresh link, one network"
    );
    assert_eq!(app.count("media_submissions").await, 0);
}

/// moto's S3 server on a free port, stopped when dropped. Missing, the test fails and says
/// how to get it (`scripts/setup.sh --test` installs it).
struct S3Server {
    child: std::process::Child,
    url: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3_server(bucket: &str) -> S3Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server (an S3-compatible server) is needed: run scripts/setup.sh --test");
    let server = S3Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Ok(resp) = client.put(format!("{}/{bucket}", server.url)).send().await {
            assert!(
                resp.status().is_success(),
                "creating the bucket: {}",
                resp.status()
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "moto_server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    server
}

/// Several instances share their files through an S3-compatible bucket: what one stores,
/// another serves; approved files are served from the bucket, rejected ones deleted there.
async fn photos_live_in_a_shared_s3_bucket(backend: Backend) {
    let s3 = s3_server("tracklight-media").await;
    let config = app::ssr::media::S3Config {
        url: "s3://tracklight-media/shop-a".into(),
        endpoint: Some(s3.url.clone()),
        region: Some("us-east-1".into()),
        access_key_id: Some("test-key".into()),
        secret_access_key: Some("test-secret".to_owned().into()),
    };
    let (app, _running) = common::spawn_app_tuned(
        backend,
        |settings| settings.media_s3 = Some(config.clone()),
        std::future::pending(),
    )
    .await;
    let (_, token) = delivered_order(&app, "1001").await;
    let original = jpeg_with_gps(320, 240);
    for name in ["keep.jpg", "drop.jpg"] {
        let part = file(original.clone(), name, "image/jpeg");
        assert_eq!(upload(&app, &token, vec![part], true).await.status(), 200);
    }
    // The bucket as any S3 client sees it (signed requests; the objects under the prefix).
    let bucket = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name("tracklight-media")
        .with_endpoint(&s3.url)
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id("test-key")
        .with_secret_access_key("test-secret")
        .build()
        .unwrap();
    let object = |key: String, variant: &str| {
        let path = object_store::path::Path::from(format!("shop-a/{key}.{variant}"));
        let bucket = &bucket;
        async move {
            use object_store::ObjectStore;
            match bucket.get(&path).await {
                Ok(found) => (200, found.bytes().await.unwrap().to_vec()),
                Err(object_store::Error::NotFound { .. }) => (404, Vec::new()),
                Err(e) => panic!("reading {path}: {e}"),
            }
        }
    };
    let stored = keys(&app).await;
    assert_eq!(stored.len(), 2);
    for key in &stored {
        let (status, bytes) = object(key.clone(), "main").await;
        assert_eq!(status, 200, "the web copy is in the bucket");
        assert_eq!(gps_of(&bytes), None);
        assert_eq!(object(key.clone(), "thumb").await.0, 200);
    }
    // The app reads them back from the bucket.
    assert!(app
        .state
        .media
        .store
        .get(&stored[0], app::ssr::media::store::Variant::Main)
        .await
        .unwrap()
        .is_some());

    // A second instance (same database and bucket) serves what the first one stored.
    let second = app
        .second_instance_with(|settings| settings.media_s3 = Some(config.clone()))
        .await;
    let merchant = merchant(&app).await;
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT ms.id, f.key FROM media_submissions ms
         JOIN media_files f ON f.submission_id = ms.id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let (keep, keep_key) = &ids[0];
    let (drop, drop_key) = &ids[1];
    assert!(
        moderation::decide(&second.state, merchant.as_str(), keep, true)
            .await
            .unwrap()
    );
    assert!(
        moderation::decide(&second.state, merchant.as_str(), drop, false)
            .await
            .unwrap()
    );
    let served = second
        .client
        .get(second.url(&format!("/media/{keep_key}/main")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    let served = served.bytes().await.unwrap();
    assert_eq!(served.to_vec(), object(keep_key.clone(), "main").await.1);
    // The rejected one's objects are gone from the bucket.
    assert_eq!(object(drop_key.clone(), "main").await.0, 404);
    assert_eq!(object(drop_key.clone(), "thumb").await.0, 404);
}

/// No file outlives a crash: what is to go is listed in the database, and housekeeping
/// deletes what is still listed an hour later.
async fn files_left_behind_by_a_crash_are_swept(backend: Backend) {
    use app::ssr::media::cleanup;
    use app::ssr::media::store::Variant;
    let app = spawn_app(backend).await;
    let (_, token) = delivered_order(&app, "1001").await;
    for name in ["a.jpg", "b.jpg"] {
        let resp = upload(
            &app,
            &token,
            vec![file(jpeg(16, 16), name, "image/jpeg")],
            true,
        )
        .await;
        assert_eq!(resp.status(), 200);
    }
    assert_eq!(
        app.count("media_deletions").await,
        0,
        "recorded uploads are kept"
    );
    let merchant = merchant(&app).await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT ms.id, f.key FROM media_submissions ms
         JOIN media_files f ON f.submission_id = ms.id ORDER BY ms.created_at_ms, ms.id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    // A rejection deletes its files and strikes them off.
    assert!(
        moderation::decide(&app.state, merchant.as_str(), &rows[0].0, false)
            .await
            .unwrap()
    );
    let gone = app
        .state
        .media
        .store
        .get(&rows[0].1, Variant::Main)
        .await
        .unwrap();
    assert!(gone.is_none());
    assert_eq!(app.count("media_deletions").await, 0);

    // A crash after the files were listed to go, before they were deleted (an erasure's,
    // or an upload that was never recorded): the sweep deletes them once the hour is up.
    let key = rows[1].1.clone();
    let now = app.state.clock.now_ms();
    cleanup::plan_now(&app.state.db, std::slice::from_ref(&key), now)
        .await
        .unwrap();
    assert_eq!(
        cleanup::sweep(&app.state, now).await.unwrap(),
        0,
        "not before the hour"
    );
    assert!(app
        .state
        .media
        .store
        .get(&key, Variant::Main)
        .await
        .unwrap()
        .is_some());
    let later = now + cleanup::GRACE_MS + 1;
    assert_eq!(cleanup::sweep(&app.state, later).await.unwrap(), 1);
    assert!(app
        .state
        .media
        .store
        .get(&key, Variant::Main)
        .await
        .unwrap()
        .is_none());
    assert!(app
        .state
        .media
        .store
        .get(&key, Variant::Thumb)
        .await
        .unwrap()
        .is_none());
    assert_eq!(app.count("media_deletions").await, 0);
}

on_both_backends!(
    files_left_behind_by_a_crash_are_swept,
    photos_live_in_a_shared_s3_bucket,
    an_approved_photo_earns_its_points_once_and_erasure_deletes_it,
    a_shared_photo_reaches_yotpo_only_once_approved_and_without_its_gps,
    hostile_and_oversized_uploads_are_refused_and_nothing_is_kept,
    who_may_upload_and_how_much,
    imports_are_retried_then_dead_lettered_with_the_reason,
    a_lost_answer_to_a_photo_action_awards_no_second_points,
    a_shared_video_is_served_and_imported_without_its_place,
    uploads_are_limited_per_network_across_links,
    a_retried_import_sends_only_what_is_left,
);
