//! Running one milestone event job: the shipment and its order read now, the event built
//! with the catalogue's properties (`domain::milestone::EVENT_PROPERTIES`), sent to the
//! provider and account it was queued for, and the outcome recorded under the claim's
//! fence (sent; again later after a retryable failure, honouring a 429's wait; or failed
//! with the reason).

use super::events::{self, ClaimedEvent};
use super::worker::{after_failure, AfterFailure, WorkerConfig};
use crate::domain::inputs::{Email, PersonName, PhoneE164};
use crate::domain::{Milestone, TrackingToken};
use crate::ssr::consent::settings;
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::{Contact, ListProvider, MilestoneEvent};
use crate::ssr::{times, AppState};
use anyhow::Context;

#[derive(sqlx::FromRow)]
struct EventRow {
    order_external_id: String,
    customer_external_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_e164: Option<String>,
    shipping_country: String,
    shipping_city: Option<String>,
    carrier: String,
    tracking_number: String,
    estimated_delivery: Option<String>,
    token: String,
    checkpoint_message: Option<String>,
    checkpoint_location: Option<String>,
    checkpoint_at_ms: Option<i64>,
}

async fn load(state: &AppState, shipment_id: &str) -> anyhow::Result<Option<EventRow>> {
    sqlx::query_as(
        "SELECT o.external_id AS order_external_id, o.customer_external_id, o.first_name,
                o.last_name, o.email, o.phone_e164, o.shipping_country, o.shipping_city, s.carrier, s.tracking_number,
                s.estimated_delivery, s.token,
                c.message AS checkpoint_message, c.location AS checkpoint_location,
                c.occurred_at_ms AS checkpoint_at_ms
         FROM shipments s JOIN orders o ON o.id = s.order_id
         LEFT JOIN checkpoints c ON c.id = (
             SELECT id FROM checkpoints WHERE shipment_id = s.id
             ORDER BY occurred_at_ms DESC, created_at_ms DESC LIMIT 1)
         WHERE s.id = $1",
    )
    .bind(shipment_id)
    .fetch_optional(state.db.pool())
    .await
    .context("reading an event's shipment")
}

/// The event for the provider, from the job and what the shipment says now.
fn build(state: &AppState, job: &ClaimedEvent, row: EventRow) -> anyhow::Result<MilestoneEvent> {
    let milestone = Milestone::parse(&job.milestone).map_err(anyhow::Error::msg)?;
    let token = TrackingToken::parse(&row.token).context("a stored token is malformed")?;
    let mut properties: Vec<(&'static str, String)> = vec![
        ("milestone", milestone.as_str().to_owned()),
        ("status", job.status.clone()),
        ("order_number", row.order_external_id),
        ("carrier", row.carrier),
        ("tracking_number", row.tracking_number),
        ("tracking_url", state.public_url.tracking_url(&token)),
    ];
    let optional = [
        ("estimated_delivery", row.estimated_delivery),
        ("last_checkpoint", row.checkpoint_message),
        ("last_checkpoint_location", row.checkpoint_location),
        (
            "last_checkpoint_time",
            row.checkpoint_at_ms.map(times::rfc3339),
        ),
    ];
    properties.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
    Ok(MilestoneEvent {
        milestone,
        unique_id: job.unique_id.clone(),
        occurred_at_ms: job.occurred_at_ms,
        customer: Contact {
            customer_id: row.customer_external_id,
            first_name: row.first_name.and_then(|n| PersonName::parse(&n).ok()),
            last_name: row.last_name.and_then(|n| PersonName::parse(&n).ok()),
            email: row.email.and_then(|e| Email::parse(&e).ok()),
            phone: row.phone_e164.and_then(|p| PhoneE164::parse(&p, None).ok()),
            country: Some(row.shipping_country),
            city: row.shipping_city,
        },
        properties,
    })
}

pub(super) async fn run(
    state: &AppState,
    config: &WorkerConfig,
    job: &ClaimedEvent,
) -> anyhow::Result<()> {
    let merchant = MerchantId::from_db(job.merchant_id.clone());
    let provider = ListProvider::parse(&job.provider).map_err(anyhow::Error::msg)?;
    let settings = settings::load(&state.db, &state.secrets, &merchant).await?;
    let account = settings
        .as_ref()
        .and_then(|s| s.account_of(provider, &job.account_id))
        .cloned();
    let Some(account) = account else {
        let reason = match &settings {
            Some(s) => {
                s.missing_account_reason_for(provider, &job.account_id, "this event was queued for")
            }
            None => "the store no longer exists".to_owned(),
        };
        return events::fail(&state.db, job, state.clock.now_ms(), &reason).await;
    };
    let Some(row) = load(state, &job.shipment_id).await? else {
        let reason = "the shipment no longer exists";
        return events::fail(&state.db, job, state.clock.now_ms(), reason).await;
    };
    let event = build(state, job, row)?;
    let result = state
        .providers
        .get(provider)
        .send_event(&account, &event)
        .await;
    let now = state.clock.now_ms();
    match result {
        Ok(()) => {
            if events::complete(&state.db, job, now).await? {
                metrics::counter!("milestone_events_sent_total", "provider" => provider.as_str())
                    .increment(1);
                tracing::info!("milestone event sent");
            } else {
                tracing::warn!("claim lost before the event was recorded");
            }
            Ok(())
        }
        Err(e) => match after_failure(config, job.attempts, job.failures, now, &e, "event") {
            AfterFailure::Retry {
                at_ms,
                count_attempt,
                ..
            } => events::retry_later(&state.db, job, now, at_ms, &e.reason, count_attempt).await,
            AfterFailure::Fail(reason) => events::fail(&state.db, job, now, &reason).await,
        },
    }
}
