//! The merchant's side of shoppers' media: the moderation grid, approve and reject, and who
//! may open which file. A pending or rejected file is only ever served to its own store's
//! session (`/settings/media/…`, not cached); an approved one to anyone holding its
//! unguessable URL (`/media/…`, cacheable for a day, so a file erased later
//! leaves caches soon). Approving
//! queues the import into Yotpo Reviews, and the shopper's loyalty points when the store
//! rewards photos; rejecting deletes the stored files.

use super::store::{is_key, Variant};
use crate::domain::photos::{MediaFileView, Moderation, PhotoPoints, SubmissionView};
use crate::domain::{AppError, MediaKind};
use crate::ssr::{times, AppState};
use anyhow::Context;

/// Submissions the grid shows (newest first).
const GRID_SIZE: i64 = 120;

/// The public URL of an approved file's copy.
pub fn public_url(state: &AppState, key: &str, variant: Variant) -> String {
    format!(
        "{}/media/{key}/{}",
        state.public_url.as_str(),
        variant.as_str()
    )
}

/// The URL the store's own session opens a file at (any state).
pub fn merchant_url(key: &str, variant: Variant) -> String {
    format!("/settings/media/{key}/{}", variant.as_str())
}

#[derive(sqlx::FromRow)]
struct GridRow {
    id: String,
    order_number: String,
    caption: Option<String>,
    state: String,
    created_at_ms: i64,
    import_state: Option<String>,
    import_outcome: Option<String>,
    import_error: Option<String>,
    points_state: Option<String>,
    points_outcome: Option<String>,
    points_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FileRow {
    submission_id: String,
    key: String,
    kind: String,
}

/// The store's newest submissions with their files.
pub async fn grid(state: &AppState, merchant: &str) -> anyhow::Result<Vec<SubmissionView>> {
    let rows: Vec<GridRow> = sqlx::query_as(
        "SELECT ms.id, o.external_id AS order_number, ms.caption, ms.state, ms.created_at_ms,
                j.state AS import_state, j.outcome AS import_outcome,
                j.last_error AS import_error, l.state AS points_state,
                l.outcome AS points_outcome, l.last_error AS points_error
         FROM media_submissions ms
         JOIN shipments s ON s.id = ms.shipment_id
         JOIN orders o ON o.id = s.order_id
         LEFT JOIN review_import_jobs j ON j.submission_id = ms.id
         LEFT JOIN loyalty_jobs l ON l.submission_id = ms.id
         WHERE ms.merchant_id = $1
         ORDER BY CASE WHEN ms.state = 'pending' THEN 0 ELSE 1 END, ms.created_at_ms DESC, ms.id
         LIMIT $2",
    )
    .bind(merchant)
    .bind(GRID_SIZE)
    .fetch_all(state.db.pool())
    .await
    .context("reading the moderation grid")?;
    // The files of the submissions shown (the same order and limit).
    let files: Vec<FileRow> = sqlx::query_as(
        "SELECT f.submission_id, f.key, f.kind
         FROM media_files f
         WHERE f.submission_id IN (
             SELECT ms.id FROM media_submissions ms
             WHERE ms.merchant_id = $1
             ORDER BY CASE WHEN ms.state = 'pending' THEN 0 ELSE 1 END,
                      ms.created_at_ms DESC, ms.id
             LIMIT $2)
         ORDER BY f.submission_id, f.position",
    )
    .bind(merchant)
    .bind(GRID_SIZE)
    .fetch_all(state.db.pool())
    .await
    .context("reading the moderation grid's files")?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let moderation = Moderation::parse(&row.state).unwrap_or(Moderation::Pending);
            let files = files
                .iter()
                .filter(|f| f.submission_id == row.id)
                .map(|f| {
                    let kind = MediaKind::parse(&f.kind).unwrap_or(MediaKind::Image);
                    MediaFileView {
                        kind,
                        url: merchant_url(&f.key, Variant::Main),
                        thumb_url: (kind == MediaKind::Image)
                            .then(|| merchant_url(&f.key, Variant::Thumb)),
                        public_url: (moderation == Moderation::Approved)
                            .then(|| public_url(state, &f.key, Variant::Main)),
                    }
                })
                .collect();
            let import = row.import_state.map(|s| match s.as_str() {
                "done" => format!("imported {}", row.import_outcome.unwrap_or_default()),
                "failed" => format!("failed: {}", row.import_error.unwrap_or_default()),
                _ => match row.import_error {
                    Some(e) => format!("retrying: {e}"),
                    None => "queued".to_owned(),
                },
            });
            let points = row.points_state.map(|s| match s.as_str() {
                "done" if row.points_outcome.as_deref() == Some("already") => {
                    PhotoPoints::AlreadyAwarded
                }
                "done" => PhotoPoints::Awarded,
                "failed" => PhotoPoints::Failed(row.points_error.unwrap_or_default()),
                _ => PhotoPoints::Waiting,
            });
            SubmissionView {
                points,
                id: row.id,
                order_number: row.order_number,
                caption: row.caption,
                state: moderation,
                submitted: times::utc_minute(row.created_at_ms),
                files,
                import,
            }
        })
        .collect())
}

/// Approves or rejects a pending submission of the store. Approving queues its import into
/// Yotpo Reviews in the same transaction; rejecting deletes its stored files. False when
/// there is no such pending submission.
pub async fn decide(
    state: &AppState,
    merchant: &str,
    submission: &str,
    approve: bool,
) -> Result<bool, AppError> {
    let now = state.clock.now_ms();
    let decided = async {
        let mut tx = state.db.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE media_submissions SET state = $1, decided_at_ms = $2
             WHERE id = $3 AND merchant_id = $4 AND state = 'pending'",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(now)
        .bind(submission)
        .bind(merchant)
        .execute(&mut *tx)
        .await
        .context("recording a moderation decision")?;
        if done.rows_affected() != 1 {
            return anyhow::Ok(None);
        }
        let mut doomed = Vec::new();
        if approve {
            crate::ssr::jobs::reviews::enqueue(&mut tx, merchant, submission, now).await?;
            crate::ssr::jobs::loyalty::enqueue_photo(&mut tx, submission, now).await?;
        } else {
            doomed = sqlx::query_scalar("SELECT key FROM media_files WHERE submission_id = $1")
                .bind(submission)
                .fetch_all(&mut *tx)
                .await
                .context("reading a rejected submission's files")?;
            super::cleanup::plan(&mut tx, &doomed, now).await?;
        }
        tx.commit().await?;
        anyhow::Ok(Some(doomed))
    }
    .await
    .map_err(AppError::internal)?;
    let Some(doomed) = decided else {
        return Ok(false);
    };
    if approve {
        state.jobs_wake.notify_one();
    } else {
        super::cleanup::carry_out(state, &doomed).await;
    }
    tracing::info!(merchant, approve, "photo submission moderated");
    Ok(true)
}

/// A stored copy and its content type.
pub struct Served {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

#[derive(sqlx::FromRow)]
struct ServeRow {
    content_type: String,
    state: String,
    merchant_id: String,
}

/// A file's copy for `GET /media/{key}/{variant}`: only when its submission is approved.
pub async fn serve_public(
    state: &AppState,
    key: &str,
    variant: &str,
) -> anyhow::Result<Option<Served>> {
    serve(state, key, variant, |row| row.state == "approved").await
}

/// A file's copy for the store's own session, in any state.
pub async fn serve_to_merchant(
    state: &AppState,
    merchant: &str,
    key: &str,
    variant: &str,
) -> anyhow::Result<Option<Served>> {
    serve(state, key, variant, |row| row.merchant_id == merchant).await
}

async fn serve(
    state: &AppState,
    key: &str,
    variant: &str,
    allowed: impl Fn(&ServeRow) -> bool,
) -> anyhow::Result<Option<Served>> {
    let Some(variant) = Variant::parse(variant) else {
        return Ok(None);
    };
    if !is_key(key) {
        return Ok(None);
    }
    let row: Option<ServeRow> = sqlx::query_as(
        "SELECT f.content_type, ms.state, ms.merchant_id
         FROM media_files f JOIN media_submissions ms ON ms.id = f.submission_id
         WHERE f.key = $1",
    )
    .bind(key)
    .fetch_optional(state.db.pool())
    .await
    .context("reading a media file")?;
    let Some(row) = row.filter(|r| allowed(r)) else {
        return Ok(None);
    };
    let content_type = match variant {
        Variant::Main => row.content_type,
        Variant::Thumb => "image/jpeg".to_owned(),
    };
    Ok(state
        .media
        .store
        .get(key, variant)
        .await?
        .map(|bytes| Served {
            bytes,
            content_type,
        }))
}

/// The photos page of the signed-in merchant.
pub async fn page(
    state: &AppState,
    session: &crate::ssr::accounts::Session,
) -> Result<crate::domain::photos::PhotoGridView, AppError> {
    let merchant = session.merchant_id.as_str();
    let (enabled, yotpo): (i64, Option<String>) =
        sqlx::query_as("SELECT photos_enabled, sms_secret_enc FROM merchants WHERE id = $1")
            .bind(merchant)
            .fetch_one(state.db.pool())
            .await
            .map_err(|e| AppError::internal(e.into()))?;
    let submissions = grid(state, merchant).await.map_err(AppError::internal)?;
    Ok(crate::domain::photos::PhotoGridView {
        csrf: session.csrf_token.clone(),
        enabled: enabled != 0,
        yotpo_connected: yotpo.is_some(),
        pending: submissions
            .iter()
            .filter(|s| s.state == Moderation::Pending)
            .count(),
        submissions,
    })
}

/// Turns "Share a photo of your order" on or off for the store's delivered orders.
pub async fn set_enabled(state: &AppState, merchant: &str, enabled: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE merchants SET photos_enabled = $1 WHERE id = $2")
        .bind(i64::from(enabled))
        .bind(merchant)
        .execute(state.db.pool())
        .await
        .map_err(|e| AppError::internal(e.into()))?;
    Ok(())
}
