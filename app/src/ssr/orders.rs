//! Orders, their shipments and checkpoints as the feeding platform sends them. Writes are
//! idempotent on the merchant's own IDs and all-or-nothing: each call is one transaction that
//! starts with a write, so SQLite takes its write lock up front and PostgreSQL serialises
//! concurrent upserts of the same key through the unique indexes.
//!
//! A write that changes a shipment's status (or moves its estimated delivery later) queues
//! the milestone events the merchant sends, in the same transaction (`jobs::events`).

use super::jobs::events::{self, Snapshot};
use super::merchants::MerchantId;
use super::Db;
use crate::domain::inputs::{
    Carrier, CarrierUrl, CheckpointMessage, CheckpointTime, City, CountryCode, DeliveryDate, Email,
    ExternalId, Location, PersonName, PhoneE164, Postcode, TrackingNumber,
};
use crate::domain::{ShipmentStatus, TrackingToken};
use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

pub struct CustomerInput {
    pub external_id: ExternalId,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub email: Option<Email>,
    pub phone: Option<PhoneE164>,
    pub country: CountryCode,
    pub city: Option<City>,
    pub postcode: Option<Postcode>,
}

pub struct ShipmentInput {
    pub external_id: ExternalId,
    pub carrier: Carrier,
    pub tracking_number: TrackingNumber,
    pub estimated_delivery: Option<DeliveryDate>,
    pub status: Option<ShipmentStatus>,
    /// The carrier's own tracking page.
    pub carrier_url: Option<CarrierUrl>,
}

pub struct OrderInput {
    pub external_id: ExternalId,
    pub customer: CustomerInput,
    pub shipments: Vec<ShipmentInput>,
    /// The order's products as the store's review catalog knows them (Yotpo's product IDs,
    /// "domain keys"): a shopper's approved photo is imported for them. `None` keeps what
    /// is stored.
    pub product_ids: Option<Vec<String>>,
}

pub struct CheckpointInput {
    pub at: CheckpointTime,
    pub location: Option<Location>,
    pub message: CheckpointMessage,
    pub status: ShipmentStatus,
}

/// An order as stored, with its shipments.
#[derive(Debug, Clone)]
pub struct OrderRecord {
    pub external_id: String,
    pub customer_external_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone_e164: Option<String>,
    pub shipping_country: String,
    pub shipping_city: Option<String>,
    pub shipping_postcode: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub shipments: Vec<ShipmentRecord>,
}

#[derive(Debug, Clone)]
pub struct ShipmentRecord {
    pub external_id: String,
    pub order_external_id: String,
    pub carrier: String,
    pub tracking_number: String,
    pub estimated_delivery: Option<String>,
    pub carrier_url: Option<String>,
    /// The newest checkpoint's status, else the status the platform declared.
    pub status: ShipmentStatus,
    pub token: TrackingToken,
    pub checkpoint_count: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Failures the caller can act on; everything else is an `anyhow` error.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("shipment {external_id} already belongs to order {other_order}")]
    ShipmentOfOtherOrder {
        index: usize,
        external_id: String,
        other_order: String,
    },
    #[error("no such shipment")]
    ShipmentNotFound,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn db_err(what: &'static str) -> impl FnOnce(sqlx::Error) -> WriteError {
    move |e| WriteError::Other(anyhow::Error::new(e).context(what))
}

pub struct Upserted {
    pub created: bool,
    pub order: OrderRecord,
    /// Milestone events the write queued (wake the worker when some were).
    pub events_queued: usize,
}

pub async fn upsert_order(
    db: &Db,
    merchant: &MerchantId,
    input: &OrderInput,
    now_ms: i64,
) -> Result<Upserted, WriteError> {
    let mut tx = db
        .pool()
        .begin()
        .await
        .map_err(db_err("starting a transaction"))?;
    let inserted = bind_order(
        sqlx::query(
            "INSERT INTO orders (merchant_id, external_id, customer_external_id, first_name,
                 last_name, email, phone_e164, shipping_country, shipping_city, updated_at_ms,
                 shipping_postcode, created_at_ms, id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $12)
             ON CONFLICT (merchant_id, external_id) DO NOTHING
             RETURNING id",
        ),
        merchant,
        input,
        now_ms,
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_err("inserting an order"))?;

    let (order_id, created) = match inserted {
        Some(row) => (
            row.try_get::<String, _>("id")
                .map_err(db_err("reading an order id"))?,
            true,
        ),
        None => {
            let row = bind_order(
                sqlx::query(
                    "UPDATE orders SET customer_external_id = CASE
                             WHEN $3 LIKE 'no-customer:%' THEN orders.customer_external_id
                             ELSE $3 END,
                         first_name = $4,
                         last_name = $5, email = $6, phone_e164 = $7, shipping_country = $8,
                         shipping_city = $9, updated_at_ms = $10, shipping_postcode = $11
                     WHERE merchant_id = $1 AND external_id = $2
                     RETURNING id",
                ),
                merchant,
                input,
                now_ms,
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err("updating an order"))?;
            (
                row.try_get::<String, _>("id")
                    .map_err(db_err("reading an order id"))?,
                false,
            )
        }
    };

    if let Some(products) = &input.product_ids {
        sqlx::query("UPDATE orders SET product_ids = $1 WHERE id = $2")
            .bind(serde_json::to_string(products).map_err(|e| WriteError::Other(e.into()))?)
            .bind(&order_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err("recording an order's products"))?;
    }
    let mut events_queued = 0;
    for (index, shipment) in input.shipments.iter().enumerate() {
        events_queued +=
            upsert_shipment_in(&mut tx, merchant, &order_id, index, shipment, now_ms).await?;
    }
    tx.commit().await.map_err(db_err("committing an order"))?;

    let order = get_order(db, merchant, input.external_id.as_str())
        .await?
        .context("an order just written is missing")?;
    Ok(Upserted {
        created,
        order,
        events_queued,
    })
}

/// Inserts or updates one shipment of the order, and queues the milestone events the
/// change passed; returns how many were queued.
async fn upsert_shipment_in(
    tx: &mut Transaction<'_, Any>,
    merchant: &MerchantId,
    order_id: &str,
    index: usize,
    s: &ShipmentInput,
    now_ms: i64,
) -> Result<usize, WriteError> {
    let existing: Option<String> =
        sqlx::query_scalar("SELECT id FROM shipments WHERE merchant_id = $1 AND external_id = $2")
            .bind(merchant.as_str())
            .bind(s.external_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_err("finding a shipment"))?;
    let before = match &existing {
        Some(id) => Some(snapshot(tx, id).await?),
        None => None,
    };
    let inserted = bind_shipment(
        sqlx::query(
            "INSERT INTO shipments (merchant_id, external_id, order_id, carrier, tracking_number,
                 estimated_delivery, declared_status, updated_at_ms, carrier_url, created_at_ms,
                 id, token)
             VALUES ($1, $2, $3, $4, $5, $6, COALESCE(CAST($7 AS TEXT), 'pending'), $8, $9, $8,
                     $10, $11)
             ON CONFLICT (merchant_id, external_id) DO NOTHING
             RETURNING id",
        ),
        merchant,
        order_id,
        s,
        now_ms,
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(TrackingToken::generate().to_string())
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_err("inserting a shipment"))?;
    let written = match inserted {
        Some(row) => Some(row),
        None => bind_shipment(
            sqlx::query(
                "UPDATE shipments SET carrier = $4, tracking_number = $5,
                     estimated_delivery = $6,
                     declared_status = COALESCE(CAST($7 AS TEXT), declared_status),
                     updated_at_ms = $8, carrier_url = $9
                 WHERE merchant_id = $1 AND external_id = $2 AND order_id = $3
                 RETURNING id",
            ),
            merchant,
            order_id,
            s,
            now_ms,
        )
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err("updating a shipment"))?,
    };
    if let Some(row) = written {
        let shipment_id: String = row.try_get("id").map_err(db_err("reading a shipment id"))?;
        return queue_milestones(
            tx,
            merchant,
            &shipment_id,
            s.external_id.as_str(),
            before.as_ref(),
            &[],
            now_ms,
        )
        .await;
    }
    let other_order: String = sqlx::query_scalar(
        "SELECT o.external_id FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.merchant_id = $1 AND s.external_id = $2",
    )
    .bind(merchant.as_str())
    .bind(s.external_id.as_str())
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err("finding a shipment's order"))?;
    Err(WriteError::ShipmentOfOtherOrder {
        index,
        external_id: s.external_id.to_string(),
        other_order,
    })
}

/// A shipment's status (the newest checkpoint's, else the declared one) and estimate, as
/// the transaction sees it.
async fn snapshot(
    tx: &mut Transaction<'_, Any>,
    shipment_id: &str,
) -> Result<Snapshot, WriteError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        declared_status: String,
        estimated_delivery: Option<String>,
        newest_status: Option<String>,
        newest_at_ms: Option<i64>,
    }
    let row: Row = sqlx::query_as(
        "SELECT s.declared_status, s.estimated_delivery, c.status AS newest_status,
                c.occurred_at_ms AS newest_at_ms
         FROM shipments s
         LEFT JOIN checkpoints c ON c.id = (
             SELECT id FROM checkpoints WHERE shipment_id = s.id
             ORDER BY occurred_at_ms DESC, created_at_ms DESC LIMIT 1)
         WHERE s.id = $1",
    )
    .bind(shipment_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err("reading a shipment's status"))?;
    let (status, at) = match row.newest_status {
        Some(status) => (status, row.newest_at_ms),
        None => (row.declared_status, None),
    };
    Ok(Snapshot {
        status: ShipmentStatus::parse(&status)
            .map_err(|e| WriteError::Other(anyhow::anyhow!("a stored status is unknown: {e}")))?,
        checkpoint_at_ms: at,
        estimated_delivery: row.estimated_delivery,
    })
}

/// Compares the shipment now with `before` and queues the milestones passed.
async fn queue_milestones(
    tx: &mut Transaction<'_, Any>,
    merchant: &MerchantId,
    shipment_id: &str,
    shipment_external_id: &str,
    before: Option<&Snapshot>,
    new_checkpoints: &[(ShipmentStatus, i64)],
    now_ms: i64,
) -> Result<usize, WriteError> {
    let after = snapshot(tx, shipment_id).await?;
    let passed = events::milestones_passed(
        shipment_external_id,
        before,
        new_checkpoints,
        &after,
        now_ms,
    );
    Ok(events::enqueue(tx, merchant, shipment_id, &passed, now_ms).await?)
}

type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds `$1..$10`, shared by the order INSERT and UPDATE: merchant, order ID, the customer's
/// seven fields, now.
fn bind_order<'q>(
    q: AnyQuery<'q>,
    merchant: &'q MerchantId,
    input: &'q OrderInput,
    now_ms: i64,
) -> AnyQuery<'q> {
    let c = &input.customer;
    q.bind(merchant.as_str())
        .bind(input.external_id.as_str())
        .bind(c.external_id.as_str())
        .bind(c.first_name.as_ref().map(PersonName::as_str))
        .bind(c.last_name.as_ref().map(PersonName::as_str))
        .bind(c.email.as_ref().map(Email::as_str))
        .bind(c.phone.as_ref().map(PhoneE164::as_str))
        .bind(c.country.as_str())
        .bind(c.city.as_ref().map(City::as_str))
        .bind(now_ms)
        .bind(c.postcode.as_ref().map(Postcode::as_str))
}

/// Binds `$1..$9`, shared by the shipment INSERT and UPDATE.
fn bind_shipment<'q>(
    q: AnyQuery<'q>,
    merchant: &'q MerchantId,
    order_id: &'q str,
    s: &'q ShipmentInput,
    now_ms: i64,
) -> AnyQuery<'q> {
    q.bind(merchant.as_str())
        .bind(s.external_id.as_str())
        .bind(order_id)
        .bind(s.carrier.as_str())
        .bind(s.tracking_number.as_str())
        .bind(s.estimated_delivery.map(DeliveryDate::to_iso))
        // No status: a new shipment is pending, a known one keeps its status.
        .bind(s.status.map(ShipmentStatus::as_str))
        .bind(now_ms)
        .bind(s.carrier_url.as_ref().map(CarrierUrl::as_str))
}

/// How many checkpoints a call added, and how many it had already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub inserted: usize,
    pub duplicates: usize,
    /// Milestone events the new checkpoints queued.
    pub events_queued: usize,
}

fn dedupe_key(c: &CheckpointInput) -> String {
    let mut h = Sha256::new();
    for part in [
        c.at.unix_ms().to_string().as_str(),
        c.status.as_str(),
        c.location.as_ref().map(Location::as_str).unwrap_or(""),
        c.message.as_str(),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Appends checkpoints to a shipment; a checkpoint already stored (same time, status,
/// location and message) is counted as a duplicate, not stored twice.
pub async fn append_checkpoints(
    db: &Db,
    merchant: &MerchantId,
    shipment_external_id: &str,
    checkpoints: &[CheckpointInput],
    now_ms: i64,
) -> Result<Appended, WriteError> {
    let mut tx = db
        .pool()
        .begin()
        .await
        .map_err(db_err("starting a transaction"))?;
    let shipment_id: String = sqlx::query_scalar(
        "UPDATE shipments SET updated_at_ms = $3 WHERE merchant_id = $1 AND external_id = $2
         RETURNING id",
    )
    .bind(merchant.as_str())
    .bind(shipment_external_id)
    .bind(now_ms)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_err("touching a shipment"))?
    .ok_or(WriteError::ShipmentNotFound)?;
    let before = snapshot(&mut tx, &shipment_id).await?;

    let mut added = Vec::new();
    for c in checkpoints {
        let done = sqlx::query(
            "INSERT INTO checkpoints (id, shipment_id, occurred_at_ms, utc_offset_min, location,
                 message, status, dedupe_key, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (shipment_id, dedupe_key) DO NOTHING",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&shipment_id)
        .bind(c.at.unix_ms())
        .bind(c.at.offset_minutes())
        .bind(c.location.as_ref().map(Location::as_str))
        .bind(c.message.as_str())
        .bind(c.status.as_str())
        .bind(dedupe_key(c))
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(db_err("inserting a checkpoint"))?;
        if done.rows_affected() == 1 {
            added.push((c.status, c.at.unix_ms()));
        }
    }
    let inserted = added.len();
    let events_queued = queue_milestones(
        &mut tx,
        merchant,
        &shipment_id,
        shipment_external_id,
        Some(&before),
        &added,
        now_ms,
    )
    .await?;
    tx.commit()
        .await
        .map_err(db_err("committing checkpoints"))?;
    Ok(Appended {
        inserted,
        duplicates: checkpoints.len() - inserted,
        events_queued,
    })
}

/// The columns a [`ShipmentRow`] reads, for a shipment `s` joined with its order `o`.
const SHIPMENT_COLUMNS: &str = "s.external_id, o.external_id AS order_external_id, s.carrier,
    s.tracking_number, s.estimated_delivery, s.carrier_url, s.declared_status, s.token,
    s.created_at_ms,
    s.updated_at_ms,
    (SELECT c.status FROM checkpoints c WHERE c.shipment_id = s.id
        ORDER BY c.occurred_at_ms DESC, c.created_at_ms DESC LIMIT 1) AS newest_status,
    (SELECT COUNT(*) FROM checkpoints c WHERE c.shipment_id = s.id) AS checkpoint_count";

#[derive(sqlx::FromRow)]
struct ShipmentRow {
    external_id: String,
    order_external_id: String,
    carrier: String,
    tracking_number: String,
    estimated_delivery: Option<String>,
    carrier_url: Option<String>,
    declared_status: String,
    token: String,
    created_at_ms: i64,
    updated_at_ms: i64,
    newest_status: Option<String>,
    checkpoint_count: i64,
}

impl TryFrom<ShipmentRow> for ShipmentRecord {
    type Error = anyhow::Error;

    fn try_from(row: ShipmentRow) -> anyhow::Result<Self> {
        let status = row.newest_status.as_deref().unwrap_or(&row.declared_status);
        Ok(Self {
            external_id: row.external_id,
            order_external_id: row.order_external_id,
            carrier: row.carrier,
            tracking_number: row.tracking_number,
            estimated_delivery: row.estimated_delivery,
            carrier_url: row.carrier_url,
            status: ShipmentStatus::parse(status).context("a stored status is unknown")?,
            token: TrackingToken::parse(&row.token).context("a stored token is malformed")?,
            created_at_ms: row.created_at_ms,
            updated_at_ms: row.updated_at_ms,
            checkpoint_count: row.checkpoint_count,
        })
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    external_id: String,
    customer_external_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_e164: Option<String>,
    shipping_country: String,
    shipping_city: Option<String>,
    shipping_postcode: Option<String>,
    created_at_ms: i64,
    updated_at_ms: i64,
}

pub async fn get_order(
    db: &Db,
    merchant: &MerchantId,
    external_id: &str,
) -> anyhow::Result<Option<OrderRecord>> {
    let Some(row) = sqlx::query_as::<_, OrderRow>(
        "SELECT id, external_id, customer_external_id, first_name, last_name, email, phone_e164,
             shipping_country, shipping_city, shipping_postcode, created_at_ms, updated_at_ms
         FROM orders WHERE merchant_id = $1 AND external_id = $2",
    )
    .bind(merchant.as_str())
    .bind(external_id)
    .fetch_optional(db.pool())
    .await
    .context("reading an order")?
    else {
        return Ok(None);
    };
    let shipments = sqlx::query_as::<_, ShipmentRow>(&format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.order_id = $1 ORDER BY s.created_at_ms, s.external_id"
    ))
    .bind(&row.id)
    .fetch_all(db.pool())
    .await
    .context("reading an order's shipments")?
    .into_iter()
    .map(ShipmentRecord::try_from)
    .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(OrderRecord {
        external_id: row.external_id,
        customer_external_id: row.customer_external_id,
        first_name: row.first_name,
        last_name: row.last_name,
        email: row.email,
        phone_e164: row.phone_e164,
        shipping_country: row.shipping_country,
        shipping_city: row.shipping_city,
        shipping_postcode: row.shipping_postcode,
        created_at_ms: row.created_at_ms,
        updated_at_ms: row.updated_at_ms,
        shipments,
    }))
}

pub async fn get_shipment(
    db: &Db,
    merchant: &MerchantId,
    external_id: &str,
) -> anyhow::Result<Option<ShipmentRecord>> {
    sqlx::query_as::<_, ShipmentRow>(&format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.merchant_id = $1 AND s.external_id = $2"
    ))
    .bind(merchant.as_str())
    .bind(external_id)
    .fetch_optional(db.pool())
    .await
    .context("reading a shipment")?
    .map(ShipmentRecord::try_from)
    .transpose()
}

/// A merchant's shipments, newest first (the first-run banner lists the demo's).
pub async fn list_shipments(
    db: &Db,
    merchant: &MerchantId,
    limit: i64,
) -> anyhow::Result<Vec<ShipmentRecord>> {
    sqlx::query_as::<_, ShipmentRow>(&format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.merchant_id = $1 ORDER BY s.created_at_ms DESC, s.external_id LIMIT $2"
    ))
    .bind(merchant.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("listing shipments")?
    .into_iter()
    .map(ShipmentRecord::try_from)
    .collect()
}
