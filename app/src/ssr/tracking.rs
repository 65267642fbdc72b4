//! The shopper's view of a shipment, looked up by its token. The view (what the browser gets)
//! holds only what the shopper needs: first name and destination city, never address, email
//! or phone. The [`Shopper`] read beside it stays on the server, for the consent block.

use super::consent::offer::Shopper;
use super::Db;
use crate::domain::inputs::{CheckpointTime, DeliveryDate};
use crate::domain::tracking::DateView;
use crate::domain::{Brand, CheckpointView, ShipmentStatus, TrackingToken, TrackingView};
use anyhow::Context;
use sqlx::Row;
use time::macros::format_description;

/// Newest checkpoints shown on the page; a shipment with more is unusual (lost parcels
/// bouncing between hubs) and the oldest ones tell the shopper nothing.
const MAX_CHECKPOINTS: i64 = 100;

/// The page behind `token` and who it is for (what the consent block needs), in one read of
/// the shipment row: a page view is the hot path.
pub async fn load(
    db: &Db,
    token: &TrackingToken,
) -> anyhow::Result<Option<(TrackingView, Shopper)>> {
    let Some(row) = sqlx::query(concat!(
        "SELECT s.carrier, s.tracking_number, s.estimated_delivery, s.declared_status,
             o.external_id, o.shipping_city, m.name, m.accent_color, m.logo_url, ",
        crate::shopper_columns!(),
        " FROM shipments s
         JOIN orders o ON o.id = s.order_id
         JOIN merchants m ON m.id = s.merchant_id
         WHERE s.token = $1",
    ))
    .bind(token.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a shipment by token")?
    else {
        return Ok(None);
    };
    // After the nine page columns above.
    let shopper = Shopper::from_row(&row, 9)?;
    let checkpoints = sqlx::query(
        "SELECT occurred_at_ms, utc_offset_min, location, message, status
         FROM checkpoints WHERE shipment_id = $1
         ORDER BY occurred_at_ms DESC, created_at_ms DESC LIMIT $2",
    )
    .bind(&shopper.shipment_id)
    .bind(MAX_CHECKPOINTS)
    .fetch_all(db.pool())
    .await
    .context("reading checkpoints")?
    .iter()
    .map(|r| -> anyhow::Result<CheckpointView> {
        let at = CheckpointTime::from_parts(r.try_get(0)?, r.try_get(1)?)
            .context("a stored checkpoint time is out of range")?;
        let status: String = r.try_get(4)?;
        Ok(checkpoint_view(
            at,
            r.try_get(2)?,
            r.try_get(3)?,
            ShipmentStatus::parse(&status).context("a stored status is unknown")?,
        ))
    })
    .collect::<anyhow::Result<Vec<_>>>()?;

    let declared: String = row.try_get(3)?;
    let status = match checkpoints.first() {
        Some(newest) => newest.status,
        None => ShipmentStatus::parse(&declared).context("a stored status is unknown")?,
    };
    let eta: Option<String> = row.try_get(2)?;
    let city: Option<String> = row.try_get(5)?;
    let view = TrackingView {
        brand: Brand {
            name: row.try_get(6)?,
            accent_color: row.try_get(7)?,
            logo_url: row.try_get(8)?,
        },
        order_number: row.try_get(4)?,
        first_name: shopper.first_name.clone(),
        destination: city.map(|c| format!("{c}, {}", shopper.country.as_str())),
        carrier: row.try_get(0)?,
        tracking_number: row.try_get(1)?,
        status,
        estimated_delivery: eta
            .as_deref()
            .map(DeliveryDate::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?
            .map(date_view),
        checkpoints,
        sms_sandbox: false,
        consent: None,
    };
    Ok(Some((view, shopper)))
}

fn date_view(date: DeliveryDate) -> DateView {
    let display = date
        .date()
        .format(format_description!(
            "[weekday], [day padding:none] [month repr:long] [year]"
        ))
        .expect("dates format");
    DateView {
        iso: date.to_iso(),
        display,
    }
}

fn checkpoint_view(
    at: CheckpointTime,
    location: Option<String>,
    message: String,
    status: ShipmentStatus,
) -> CheckpointView {
    let t = at.at();
    CheckpointView {
        iso: t
            .format(&time::format_description::well_known::Rfc3339)
            .expect("times format"),
        date: t
            .format(format_description!(
                "[weekday repr:short] [day padding:none] [month repr:short]"
            ))
            .expect("times format"),
        time: t
            .format(format_description!("[hour]:[minute]"))
            .expect("times format"),
        location,
        message,
        status,
    }
}
