//! Shipment milestone events as durable jobs (`event_jobs`): which milestones a shipment
//! change passed ([`milestones_passed`], pure), queued in the change's own transaction for
//! the merchant's chosen provider ([`enqueue`]), and the same claim discipline as a
//! consent's steps (`queue`): a lease kept alive by the worker's heartbeat (`queue::renew`
//! renews both tables), a fence per claim, back-off, and a dead letter with its reason that
//! the merchant can queue again from the consent log.
//!
//! An event keeps the provider and account it was queued for, like a consent. Its
//! `unique_id` (shipment, status, when) is unique per destination here and is what the
//! provider deduplicates on, so neither a replayed ingest nor a replayed call doubles it.

use crate::domain::{Milestone, MilestoneSet, ShipmentStatus};
use crate::ssr::data_rights::ERASED_PREFIX;
use crate::ssr::merchants::MerchantId;
use crate::ssr::Db;
use anyhow::Context;
use sqlx::{Any, Transaction};

pub(super) const TABLE: &str = "event_jobs";

/// A milestone older than this when Tracklight learns of it (a history import, a shipment
/// first sent after delivery) is not sent: flows fire on news, not on the past.
pub const STALE_AFTER_MS: i64 = 72 * 3600 * 1000;

/// A shipment as far as milestones care, before or after a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The newest checkpoint's status, else the declared one.
    pub status: ShipmentStatus,
    /// When the newest checkpoint happened, if the status came from one.
    pub checkpoint_at_ms: Option<i64>,
    /// `YYYY-MM-DD`.
    pub estimated_delivery: Option<String>,
}

/// A milestone a write passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passed {
    pub milestone: Milestone,
    pub status: ShipmentStatus,
    pub occurred_at_ms: i64,
    pub unique_id: String,
}

/// The milestones a write passed. `before` is the shipment before the write (`None`: the
/// write created it, and a shipment's first status is not news anyone can date, so nothing
/// is passed), `new_checkpoints` the checkpoints the write added (status, when), `after` the
/// shipment after it. The statuses passed through are the new checkpoints later than the
/// newest one before, in time order (a carrier's batch of scans passes each milestone in
/// it); without any, the status now, when it is declared rather than scanned. Each change
/// passes its status's milestone (Shipped only out of pending or label created: back in
/// transit after a problem is not shipped again); an estimated delivery moved later passes
/// Delayed. Stale ones are dropped.
pub fn milestones_passed(
    shipment_external_id: &str,
    before: Option<&Snapshot>,
    new_checkpoints: &[(ShipmentStatus, i64)],
    after: &Snapshot,
    now_ms: i64,
) -> Vec<Passed> {
    let Some(before) = before else {
        return Vec::new();
    };
    let mut path: Vec<(ShipmentStatus, Option<i64>)> = new_checkpoints
        .iter()
        .filter(|(_, at)| before.checkpoint_at_ms.is_none_or(|newest| *at > newest))
        .map(|(status, at)| (*status, Some(*at)))
        .collect();
    path.sort_by_key(|(_, at)| *at);
    if path.is_empty() && after.checkpoint_at_ms.is_none() {
        path.push((after.status, None));
    }
    let mut passed = Vec::new();
    let mut status = before.status;
    for (next, at) in path {
        if next == status {
            continue;
        }
        let milestone = Milestone::of_status(next).filter(|m| {
            *m != Milestone::Shipped
                || matches!(
                    status,
                    ShipmentStatus::Pending | ShipmentStatus::InfoReceived
                )
        });
        if let Some(milestone) = milestone {
            passed.push(Passed {
                milestone,
                status: next,
                occurred_at_ms: at.unwrap_or(now_ms),
                // A scan: its time tells two passes apart. A declared status: once.
                unique_id: match at {
                    Some(at) => format!("{shipment_external_id}:{}:{at}", next.as_str()),
                    None => format!("{shipment_external_id}:{}", next.as_str()),
                },
            });
        }
        status = next;
    }
    if let (Some(was), Some(now)) = (
        before.estimated_delivery.as_deref(),
        after.estimated_delivery.as_deref(),
    ) {
        // ISO dates order as text.
        if now > was {
            passed.push(Passed {
                milestone: Milestone::Delayed,
                status: after.status,
                occurred_at_ms: now_ms,
                unique_id: format!("{shipment_external_id}:delayed:{now}"),
            });
        }
    }
    passed.retain(|p| now_ms - p.occurred_at_ms <= STALE_AFTER_MS);
    passed
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    milestone_events: String,
    sms_provider: String,
    sms_account_id: Option<String>,
    sms_secret_enc: Option<String>,
    klaviyo_account_id: Option<String>,
    klaviyo_key_enc: Option<String>,
    customer_external_id: Option<String>,
}

/// Queues the passed milestones the merchant sends, for the provider they chose (and its
/// account), in the caller's transaction. Nothing is queued without a connected provider.
/// Returns how many were queued (an event already queued is not queued again).
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    merchant: &MerchantId,
    shipment_id: &str,
    passed: &[Passed],
    now_ms: i64,
) -> anyhow::Result<usize> {
    if passed.is_empty() {
        return Ok(0);
    }
    let target: TargetRow = sqlx::query_as(
        "SELECT milestone_events, sms_provider, sms_account_id, sms_secret_enc,
                klaviyo_account_id, klaviyo_key_enc,
                (SELECT o.customer_external_id FROM shipments s JOIN orders o ON o.id = s.order_id
                 WHERE s.id = $2) AS customer_external_id
         FROM merchants WHERE id = $1",
    )
    .bind(merchant.as_str())
    .bind(shipment_id)
    .fetch_one(&mut **tx)
    .await
    .context("reading where a store's events go")?;
    // A shopper whose data was erased (`data_rights::erase`) is not sent anything again.
    if target
        .customer_external_id
        .as_deref()
        .is_none_or(|c| c.starts_with(ERASED_PREFIX))
    {
        return Ok(0);
    }
    let chosen = MilestoneSet::from_stored(&target.milestone_events);
    let account = match target.sms_provider.as_str() {
        "klaviyo" => target
            .klaviyo_account_id
            .filter(|_| target.klaviyo_key_enc.is_some()),
        _ => target
            .sms_account_id
            .filter(|_| target.sms_secret_enc.is_some()),
    };
    let Some(account) = account else {
        return Ok(0);
    };
    let mut queued = 0;
    for p in passed.iter().filter(|p| chosen.contains(p.milestone)) {
        let done = sqlx::query(
            "INSERT INTO event_jobs (id, merchant_id, shipment_id, milestone, status,
                 occurred_at_ms, unique_id, provider, account_id, state, run_at_ms,
                 created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10, $10, $10)
             ON CONFLICT (merchant_id, provider, account_id, unique_id) DO NOTHING",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(merchant.as_str())
        .bind(shipment_id)
        .bind(p.milestone.as_str())
        .bind(p.status.as_str())
        .bind(p.occurred_at_ms)
        .bind(&p.unique_id)
        .bind(&target.sms_provider)
        .bind(&account)
        .bind(now_ms)
        .execute(&mut **tx)
        .await
        .context("queuing a milestone event")?;
        queued += done.rows_affected() as usize;
    }
    Ok(queued)
}

/// An event job claimed by a worker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedEvent {
    pub id: String,
    pub merchant_id: String,
    pub shipment_id: String,
    pub milestone: String,
    pub status: String,
    pub occurred_at_ms: i64,
    pub unique_id: String,
    pub provider: String,
    pub account_id: String,
    /// Including this one: claims, which a worker that died also spent (`max_attempts`).
    pub attempts: i64,
    /// Failed runs recorded so far (what the back-off grows with; a claim lost to a killed
    /// worker is no failure).
    pub failures: i64,
    pub fence: i64,
}

/// Takes up to `limit` due event jobs for `worker` until `now + lease`, fair across
/// merchants as `queue::claim` is (per merchant within the events).
pub async fn claim(
    db: &Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
    per_merchant: i64,
) -> anyhow::Result<Vec<ClaimedEvent>> {
    super::lease::claim(
        db,
        TABLE,
        "id, merchant_id, shipment_id, milestone, status, occurred_at_ms, unique_id, provider,
         account_id, attempts, failures, fence",
        worker,
        now_ms,
        lease_ms,
        limit,
        per_merchant,
    )
    .await
}

/// The provider took the event; false when the claim was lost (nothing changed).
pub async fn complete(db: &Db, job: &ClaimedEvent, now_ms: i64) -> anyhow::Result<bool> {
    super::lease::complete(db, TABLE, &job.id, job.fence, now_ms, None).await
}

/// Tries again at `run_at_ms`; a wait the provider asked for (429) is not an attempt.
pub async fn retry_later(
    db: &Db,
    job: &ClaimedEvent,
    now_ms: i64,
    run_at_ms: i64,
    error: &str,
    count_attempt: bool,
) -> anyhow::Result<()> {
    super::lease::retry_later(
        db,
        TABLE,
        &job.id,
        job.fence,
        now_ms,
        run_at_ms,
        error,
        count_attempt,
    )
    .await
}

/// The dead letter: the event is failed with the reason the merchant will see.
pub async fn fail(db: &Db, job: &ClaimedEvent, now_ms: i64, reason: &str) -> anyhow::Result<()> {
    super::lease::fail(db, TABLE, &job.id, job.fence, now_ms, reason).await
}

/// The merchant's retry of their failed events: all queued again now. Returns how many.
pub async fn retry_failed(db: &Db, merchant: &MerchantId, now_ms: i64) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE event_jobs SET state = 'queued', run_at_ms = $1, attempts = 0, failures = 0,
                               last_error = NULL, updated_at_ms = $1
         WHERE merchant_id = $2 AND state = 'failed'",
    )
    .bind(now_ms)
    .bind(merchant.as_str())
    .execute(db.pool())
    .await
    .context("queuing failed events again")?;
    Ok(done.rows_affected())
}

/// A store's events by state, and its newest failures with their reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub sent: i64,
    pub waiting: i64,
    pub failed: i64,
    /// (when, milestone, reason), newest first, at most 5.
    pub recent_failures: Vec<(i64, String, String)>,
}

pub async fn figures(db: &Db, merchant: &MerchantId) -> anyhow::Result<Figures> {
    #[derive(sqlx::FromRow)]
    struct Count {
        state: String,
        n: i64,
    }
    let counts: Vec<Count> = sqlx::query_as(
        "SELECT state, COUNT(*) AS n FROM event_jobs WHERE merchant_id = $1 GROUP BY state",
    )
    .bind(merchant.as_str())
    .fetch_all(db.pool())
    .await
    .context("counting events")?;
    let mut figures = Figures::default();
    for c in counts {
        match c.state.as_str() {
            "done" => figures.sent = c.n,
            "queued" => figures.waiting = c.n,
            "failed" => figures.failed = c.n,
            _ => {}
        }
    }
    #[derive(sqlx::FromRow)]
    struct Failure {
        updated_at_ms: i64,
        milestone: String,
        last_error: Option<String>,
    }
    let failures: Vec<Failure> = sqlx::query_as(
        "SELECT updated_at_ms, milestone, last_error FROM event_jobs
         WHERE merchant_id = $1 AND state = 'failed'
         ORDER BY updated_at_ms DESC, id LIMIT 5",
    )
    .bind(merchant.as_str())
    .fetch_all(db.pool())
    .await
    .context("reading failed events")?;
    figures.recent_failures = failures
        .into_iter()
        .map(|f| {
            (
                f.updated_at_ms,
                f.milestone,
                f.last_error.unwrap_or_default(),
            )
        })
        .collect();
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn snap(status: ShipmentStatus, at: Option<i64>, eta: Option<&str>) -> Snapshot {
        Snapshot {
            status,
            checkpoint_at_ms: at,
            estimated_delivery: eta.map(str::to_owned),
        }
    }

    #[test]
    fn a_status_change_passes_its_milestone_at_the_checkpoints_time() {
        let before = snap(ShipmentStatus::InTransit, Some(NOW - 9_000), None);
        let after = snap(ShipmentStatus::OutForDelivery, Some(NOW - 1_000), None);
        let scans = [(ShipmentStatus::OutForDelivery, NOW - 1_000)];
        let passed = milestones_passed("shp-1", Some(&before), &scans, &after, NOW);
        assert_eq!(
            passed,
            vec![Passed {
                milestone: Milestone::OutForDelivery,
                status: ShipmentStatus::OutForDelivery,
                occurred_at_ms: NOW - 1_000,
                unique_id: format!("shp-1:out_for_delivery:{}", NOW - 1_000),
            }]
        );
        // No change, no milestone; a declared change happens now, once.
        assert!(milestones_passed("shp-1", Some(&after), &[], &after, NOW).is_empty());
        let declared = snap(ShipmentStatus::Delivered, None, None);
        let label = snap(ShipmentStatus::InfoReceived, None, None);
        let passed = milestones_passed("shp-1", Some(&label), &[], &declared, NOW);
        assert_eq!(passed[0].occurred_at_ms, NOW);
        assert_eq!(passed[0].unique_id, "shp-1:delivered");
        // A shipment's first status is not news.
        assert!(milestones_passed("shp-1", None, &[], &declared, NOW).is_empty());
    }

    #[test]
    fn a_batch_of_scans_passes_each_milestone_in_it_in_time_order() {
        let before = snap(ShipmentStatus::InfoReceived, None, None);
        let after = snap(ShipmentStatus::Delivered, Some(NOW - 1_000), None);
        let scans = [
            (ShipmentStatus::Delivered, NOW - 1_000),
            (ShipmentStatus::InTransit, NOW - 3_000),
            (ShipmentStatus::InTransit, NOW - 2_500),
            (ShipmentStatus::OutForDelivery, NOW - 2_000),
        ];
        let passed: Vec<Milestone> = milestones_passed("s", Some(&before), &scans, &after, NOW)
            .into_iter()
            .map(|p| p.milestone)
            .collect();
        assert_eq!(
            passed,
            [
                Milestone::Shipped,
                Milestone::OutForDelivery,
                Milestone::Delivered
            ]
        );
        // A late scan older than the newest one changes nothing.
        let moving = snap(ShipmentStatus::InTransit, Some(NOW - 1_000), None);
        let late = [(ShipmentStatus::Exception, NOW - 5_000)];
        assert!(milestones_passed("s", Some(&moving), &late, &moving, NOW).is_empty());
    }

    #[test]
    fn shipped_is_passed_once_out_of_the_warehouse() {
        let label = snap(ShipmentStatus::InfoReceived, None, None);
        let moving = snap(ShipmentStatus::InTransit, Some(NOW), None);
        let problem = snap(ShipmentStatus::Exception, Some(NOW - 5), None);
        let scan = [(ShipmentStatus::InTransit, NOW)];
        assert_eq!(
            milestones_passed("s", Some(&label), &scan, &moving, NOW)[0].milestone,
            Milestone::Shipped
        );
        assert!(milestones_passed("s", Some(&problem), &scan, &moving, NOW).is_empty());
    }

    #[test]
    fn a_later_estimate_is_a_delay_and_an_earlier_one_is_not() {
        let before = snap(ShipmentStatus::InTransit, None, Some("2026-12-03"));
        let later = snap(ShipmentStatus::InTransit, None, Some("2026-12-05"));
        let earlier = snap(ShipmentStatus::InTransit, None, Some("2026-12-02"));
        let passed = milestones_passed("s", Some(&before), &[], &later, NOW);
        assert_eq!(passed.len(), 1);
        assert_eq!(passed[0].milestone, Milestone::Delayed);
        assert_eq!(passed[0].unique_id, "s:delayed:2026-12-05");
        assert!(milestones_passed("s", Some(&before), &[], &earlier, NOW).is_empty());
        // A first estimate is not a delay.
        let none = snap(ShipmentStatus::InTransit, None, None);
        assert!(milestones_passed("s", Some(&none), &[], &later, NOW).is_empty());
    }

    #[test]
    fn old_news_is_not_sent() {
        let before = snap(
            ShipmentStatus::InTransit,
            Some(NOW - STALE_AFTER_MS - 10),
            None,
        );
        let after = snap(
            ShipmentStatus::Delivered,
            Some(NOW - STALE_AFTER_MS - 1),
            None,
        );
        let scan = [(ShipmentStatus::Delivered, NOW - STALE_AFTER_MS - 1)];
        assert!(milestones_passed("s", Some(&before), &scan, &after, NOW).is_empty());
    }
}
