//! A shopper's upload on a delivered order's tracking page: who may upload (a delivered
//! shipment of a store that takes photos), how often (per link and per network, counted in
//! the database), how much (files per upload, submissions per shipment), and each file
//! read by its content off the async threads (`decode`). The submission is recorded
//! *pending*: nothing is public until the merchant approves it.

use super::cleanup;
use super::decode::{self, Processed};
use super::store::{new_key, Variant};
use super::{MediaLimits, Refusal};
use crate::domain::{ShipmentStatus, TrackingToken};
use crate::ssr::limits::{self, Limit};
use crate::ssr::AppState;
use anyhow::Context;
use std::time::Duration;

/// Uploads from one tracking link: a shopper with a few photos, retrying on a bad network.
pub const PER_LINK: Limit = Limit::per(10, Duration::from_secs(3600));
/// Uploads from one network, over every link.
pub const PER_NETWORK: Limit = Limit::per(30, Duration::from_secs(3600));

/// What a shopper sent, parsed from the form.
#[derive(Debug, Default)]
pub struct Upload {
    pub caption: Option<String>,
    /// Each chosen file's bytes (empty file inputs already dropped).
    pub files: Vec<Vec<u8>>,
    /// The page's language.
    pub language: String,
}

/// A delivered shipment that may take a submission.
#[derive(Debug, Clone)]
pub struct Target {
    pub shipment_id: String,
    pub merchant_id: String,
    pub brand: String,
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    shipment_id: String,
    merchant_id: String,
    brand: String,
    photos_enabled: i64,
    declared_status: String,
    newest_status: Option<String>,
    submissions: i64,
}

/// The shipment behind `token` when it may take photos now: its store takes them, it is
/// delivered, and it has room for another submission. Otherwise the refusal that says why.
pub async fn target(
    state: &AppState,
    token: &str,
    limits: &MediaLimits,
) -> Result<Target, Refusal> {
    let token = TrackingToken::parse(token).map_err(|_| Refusal::Unavailable)?;
    let row: Option<TargetRow> = sqlx::query_as(
        "SELECT s.id AS shipment_id, s.merchant_id, m.name AS brand, m.photos_enabled,
                s.declared_status,
                (SELECT c.status FROM checkpoints c WHERE c.shipment_id = s.id
                 ORDER BY c.occurred_at_ms DESC, c.created_at_ms DESC LIMIT 1) AS newest_status,
                (SELECT COUNT(*) FROM media_submissions ms WHERE ms.shipment_id = s.id)
                    AS submissions
         FROM shipments s JOIN merchants m ON m.id = s.merchant_id
         WHERE s.token = $1",
    )
    .bind(token.as_str())
    .fetch_optional(state.db.pool())
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "reading a photo upload's shipment");
        Refusal::Unavailable
    })?;
    let row = row.ok_or(Refusal::Unavailable)?;
    let status = row.newest_status.as_deref().unwrap_or(&row.declared_status);
    if row.photos_enabled == 0
        || ShipmentStatus::parse(status).ok() != Some(ShipmentStatus::Delivered)
    {
        return Err(Refusal::Unavailable);
    }
    if row.submissions >= limits.per_shipment {
        return Err(Refusal::Limit);
    }
    Ok(Target {
        shipment_id: row.shipment_id,
        merchant_id: row.merchant_id,
        brand: row.brand,
    })
}

/// Counts an upload attempt against the link's and the network's limits.
pub async fn admit(state: &AppState, token: &str, network: &str) -> Result<(), Refusal> {
    let now = state.clock.now_ms();
    let over = async {
        let link = limits::hit(&state.db, "photos-link", token, PER_LINK, now).await?;
        let net = limits::hit(&state.db, "photos-network", network, PER_NETWORK, now).await?;
        anyhow::Ok(!(link && net))
    };
    match over.await {
        Ok(false) => Ok(()),
        Ok(true) => Err(Refusal::Busy),
        Err(e) => {
            tracing::error!(error = %e, "counting a photo upload");
            Err(Refusal::Busy)
        }
    }
}

/// Checks the upload's fields, reads every file by its content, stores what is kept and
/// records the submission, pending. Returns its ID.
pub async fn submit(state: &AppState, target: &Target, upload: Upload) -> Result<String, Refusal> {
    let limits = &state.media.limits;
    // Browsers send a line break as CRLF; `maxlength` counts it as one character.
    let caption = upload
        .caption
        .map(|c| c.replace("\r\n", "\n").trim().to_owned())
        .filter(|c| !c.is_empty());
    if caption
        .as_ref()
        .is_some_and(|c| c.chars().count() > limits.caption_chars)
    {
        return Err(Refusal::Caption);
    }
    if upload.files.is_empty() {
        return Err(Refusal::NoFile);
    }
    if upload.files.len() > limits.files_per_upload {
        return Err(Refusal::TooMany);
    }
    let mut processed = Vec::with_capacity(upload.files.len());
    for bytes in upload.files {
        processed.push(check(state, bytes).await?);
    }

    // Stored before the row that names them: a crash between leaves unnamed files, never
    // a row without its files. Listed to go first, and struck off when the submission is
    // recorded: housekeeping deletes what a crash left (`cleanup`).
    let keys: Vec<String> = processed.iter().map(|_| new_key()).collect();
    if let Err(e) = cleanup::plan_now(&state.db, &keys, state.clock.now_ms()).await {
        tracing::error!(error = format!("{e:#}"), "listing a submission's files");
        return Err(Refusal::Unavailable);
    }
    let mut stored = Vec::with_capacity(processed.len());
    for (file, key) in processed.into_iter().zip(keys) {
        let put = async {
            if let Some(thumb) = file.thumb.clone() {
                state.media.store.put(&key, Variant::Thumb, thumb).await?;
            }
            state
                .media
                .store
                .put(&key, Variant::Main, file.main.clone())
                .await
        };
        if let Err(e) = put.await {
            tracing::error!(error = %e, "storing a shopper's file");
            forget(state, &stored).await;
            return Err(Refusal::Unavailable);
        }
        stored.push((key, file));
    }
    match record(state, target, caption, &upload.language, &stored).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => {
            forget(state, &stored).await;
            Err(Refusal::Limit)
        }
        Err(e) => {
            tracing::error!(error = %e, "recording a photo submission");
            forget(state, &stored).await;
            Err(Refusal::Unavailable)
        }
    }
}

/// One file read by its content, on a blocking thread, a few at a time.
async fn check(state: &AppState, bytes: Vec<u8>) -> Result<Processed, Refusal> {
    let _permit = state
        .media
        .decode_gate
        .acquire()
        .await
        .map_err(|_| Refusal::Unavailable)?;
    let limits = state.media.limits.clone();
    tokio::task::spawn_blocking(move || decode::process(bytes, &limits))
        .await
        .map_err(|e| {
            // A decoder that panics on a hostile file is a refused file, not a crash.
            tracing::warn!(error = %e, "a file's check did not finish");
            Refusal::Damaged
        })?
}

/// The files of a submission that was not recorded: deleted now (they are listed, so a
/// failure here is retried by housekeeping).
async fn forget(state: &AppState, stored: &[(String, Processed)]) {
    let keys: Vec<String> = stored.iter().map(|(key, _)| key.clone()).collect();
    cleanup::carry_out(state, &keys).await;
}

/// The submission and its files, in one transaction that takes the shipment's row first
/// (two uploads at once are counted one after the other). `None` when the shipment has had
/// its submissions meanwhile.
async fn record(
    state: &AppState,
    target: &Target,
    caption: Option<String>,
    language: &str,
    stored: &[(String, Processed)],
) -> anyhow::Result<Option<String>> {
    let now = state.clock.now_ms();
    let mut tx = state.db.pool().begin().await?;
    sqlx::query("UPDATE shipments SET updated_at_ms = updated_at_ms WHERE id = $1")
        .bind(&target.shipment_id)
        .execute(&mut *tx)
        .await
        .context("locking the shipment")?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM media_submissions WHERE shipment_id = $1")
            .bind(&target.shipment_id)
            .fetch_one(&mut *tx)
            .await
            .context("counting the shipment's submissions")?;
    if count >= state.media.limits.per_shipment {
        return Ok(None);
    }
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO media_submissions (id, merchant_id, shipment_id, caption, state, language,
                                        created_at_ms)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
    )
    .bind(&id)
    .bind(&target.merchant_id)
    .bind(&target.shipment_id)
    .bind(caption)
    .bind(language)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("recording a submission")?;
    for (position, (key, file)) in stored.iter().enumerate() {
        sqlx::query(
            "INSERT INTO media_files (id, submission_id, key, kind, content_type, bytes, width,
                                      height, duration_ms, position, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&id)
        .bind(key)
        .bind(file.kind.as_str())
        .bind(file.main_type)
        .bind(file.main.len() as i64)
        .bind(i64::from(file.width))
        .bind(i64::from(file.height))
        .bind(file.duration_ms.map(|d| d as i64))
        .bind(position as i64)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("recording a submission's file")?;
    }
    let keys: Vec<String> = stored.iter().map(|(key, _)| key.clone()).collect();
    cleanup::keep(&mut tx, &keys).await?;
    tx.commit().await?;
    tracing::info!(
        merchant = %target.merchant_id,
        files = stored.len(),
        "photo submission received"
    );
    Ok(Some(id))
}
