//! The shopper's view of a shipment, looked up by its token: the service behind the tracking
//! page, the widget and their Refresh. The view (what the browser gets) holds only what the
//! shopper needs: first name and destination city, never address, email or phone. The
//! [`Shopper`] read beside it stays on the server, for the consent block.

use super::consent::offer::{self, Shopper, ShopperRow, SHOPPER_COLUMNS};
use super::media::MediaLimits;
use super::{AppState, Db};
use crate::domain::inputs::{CheckpointTime, DeliveryDate};
use crate::domain::tracking::DateView;
use crate::domain::{
    AppError, Brand, CheckpointView, ParcelView, ShipmentStatus, TrackingToken, TrackingView,
};
use crate::i18n::{self, Lang, LangPrefs, StoreLangs};
use anyhow::Context;
use std::sync::LazyLock;

/// Newest checkpoints shown on the page; a shipment with more is unusual (lost parcels
/// bouncing between hubs) and the oldest ones tell the shopper nothing.
const MAX_CHECKPOINTS: i64 = 100;

/// Parcels shown for one order (its first ones; the link's own parcel always).
const MAX_PARCELS: i64 = 20;

/// The tracking view behind `token`, with its consent block, in the language the shopper's
/// `prefs` and the store choose ([`i18n::choose`]). Unknown and malformed tokens both answer
/// [`AppError::NotFound`]. A `page_view` counts towards the merchant's sign-up rate.
pub async fn view(
    state: &AppState,
    token: &str,
    page_view: bool,
    prefs: &LangPrefs,
) -> Result<TrackingView, AppError> {
    let token = TrackingToken::parse(token).map_err(|_| AppError::NotFound)?;
    let (mut view, shopper) = load(
        &state.db,
        &token,
        state.clock.now_ms(),
        prefs,
        &state.media.limits,
    )
    .await
    .map_err(AppError::internal)?
    .ok_or(AppError::NotFound)?;
    view.consent = offer::offer_to(
        state,
        &shopper,
        state.consent.lookup_bound,
        page_view,
        Some(view.lang),
    )
    .await
    .map_err(AppError::internal)?;
    // The banner for sign-ups that go to a built-in sandbox.
    view.sms_sandbox = view.consent.as_ref().is_some_and(|c| c.sandbox);
    Ok(view)
}

/// A page's tracking view that the router has read already (the page cache reads it to
/// know which copy of the page it is), or why it could not: the page renders this at once
/// instead of reading again.
#[derive(Clone)]
pub struct Loaded(pub Result<std::sync::Arc<TrackingView>, AppError>);

impl Loaded {
    /// What the router put on the request being rendered, if anything.
    pub fn current() -> Option<Result<TrackingView, AppError>> {
        leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
            parts.extensions.get::<Self>().map(|l| {
                l.0.as_ref()
                    .map(|view| (**view).clone())
                    .map_err(Clone::clone)
            })
        })
    }
}

/// A shipment with its order and merchant, as a page view reads it (one row: a page view is
/// the hot path).
#[derive(sqlx::FromRow)]
struct PageRow {
    order_id: String,
    parcel_count: i64,
    carrier: String,
    tracking_number: String,
    estimated_delivery: Option<String>,
    carrier_url: Option<String>,
    declared_status: String,
    order_number: String,
    shipping_city: Option<String>,
    brand_name: String,
    accent_color: Option<String>,
    logo_url: Option<String>,
    default_language: String,
    languages: Option<String>,
    photos_enabled: i64,
    photo_submissions: i64,
    photo_points: Option<i64>,
    #[sqlx(flatten)]
    shopper: ShopperRow,
}

static PAGE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.order_id,
                (SELECT COUNT(*) FROM shipments p WHERE p.order_id = s.order_id) AS parcel_count,
                s.carrier, s.tracking_number, s.estimated_delivery, s.carrier_url,
                s.declared_status,
                o.external_id AS order_number, o.shipping_city, m.name AS brand_name,
                m.accent_color, m.logo_url, m.default_language, m.languages,
                m.photos_enabled,
                (SELECT COUNT(*) FROM media_submissions ms WHERE ms.shipment_id = s.id)
                    AS photo_submissions,
                CASE WHEN m.loyalty_key_enc IS NOT NULL AND m.loyalty_guid IS NOT NULL
                          AND m.loyalty_photo_action IS NOT NULL
                     THEN m.loyalty_photo_points END AS photo_points,
                {SHOPPER_COLUMNS}
         FROM shipments s
         JOIN orders o ON o.id = s.order_id
         JOIN merchants m ON m.id = s.merchant_id
         WHERE s.token = $1"
    )
});

#[derive(sqlx::FromRow)]
struct CheckpointRow {
    occurred_at_ms: i64,
    utc_offset_min: i64,
    location: Option<String>,
    message: String,
    status: String,
}

/// The page behind `token`, in the language `prefs` and the store choose, and who it is for
/// (what the consent block needs). `media` says how many photo submissions a shipment takes.
pub async fn load(
    db: &Db,
    token: &TrackingToken,
    now_ms: i64,
    prefs: &LangPrefs,
    media: &MediaLimits,
) -> anyhow::Result<Option<(TrackingView, Shopper)>> {
    let Some(row) = sqlx::query_as::<_, PageRow>(&PAGE_SQL)
        .bind(token.as_str())
        .bind(offer::own_consent_cutoff(now_ms))
        .fetch_optional(db.pool())
        .await
        .context("reading a shipment by token")?
    else {
        return Ok(None);
    };
    let shopper = Shopper::try_from(row.shopper)?;
    let langs = StoreLangs::from_stored(Some(&row.default_language), row.languages.as_deref());
    let lang = i18n::choose(prefs, &langs, Some(shopper.country.as_str()));
    let linked = ShipmentRow {
        id: shopper.shipment_id.clone(),
        carrier: row.carrier,
        tracking_number: row.tracking_number,
        estimated_delivery: row.estimated_delivery,
        carrier_url: row.carrier_url,
        declared_status: row.declared_status,
    };
    // Most orders ship in one parcel: the page's own row is then the whole order.
    let shipments = if row.parcel_count > 1 {
        sqlx::query_as::<_, ShipmentRow>(
            "SELECT id, carrier, tracking_number, estimated_delivery, carrier_url,
                    declared_status
             FROM shipments WHERE order_id = $1 AND (id = $2 OR id IN (
                 SELECT id FROM shipments WHERE order_id = $1
                 ORDER BY created_at_ms, external_id LIMIT $3))
             ORDER BY created_at_ms, external_id",
        )
        .bind(&row.order_id)
        .bind(&linked.id)
        .bind(MAX_PARCELS)
        .fetch_all(db.pool())
        .await
        .context("reading an order's shipments")?
    } else {
        vec![linked]
    };
    let mut parcels = Vec::with_capacity(shipments.len());
    for shipment in shipments {
        let linked = shipment.id == shopper.shipment_id;
        parcels.push(parcel(db, shipment, linked, lang).await?);
    }
    let photos_open = row.photos_enabled != 0
        && row.photo_submissions < media.per_shipment
        && parcels
            .iter()
            .any(|p| p.linked && p.status == ShipmentStatus::Delivered);
    let view = TrackingView {
        photos: photos_open.then(|| crate::domain::PhotoOffer {
            // Yotpo Loyalty knows customers by email.
            points: row.photo_points.filter(|_| {
                shopper
                    .email
                    .as_deref()
                    .is_some_and(|e| !e.trim().is_empty())
            }),
            ..media.offer()
        }),
        brand: Brand {
            name: row.brand_name,
            accent_color: row.accent_color,
            logo_url: row.logo_url,
        },
        order_number: row.order_number,
        first_name: shopper.first_name.clone(),
        destination: row.shipping_city.map(|c| {
            format!(
                "{c}, {}",
                i18n::cldr::country_name(lang, shopper.country.as_str())
            )
        }),
        parcels,
        lang,
        languages: langs.offered,
        sms_sandbox: false,
        consent: None,
    };
    Ok(Some((view, shopper)))
}

/// A shipment of the page's order, as read for its parcel.
#[derive(sqlx::FromRow)]
struct ShipmentRow {
    id: String,
    carrier: String,
    tracking_number: String,
    carrier_url: Option<String>,
    estimated_delivery: Option<String>,
    declared_status: String,
}

/// One parcel with its newest checkpoints.
async fn parcel(
    db: &Db,
    shipment: ShipmentRow,
    linked: bool,
    lang: Lang,
) -> anyhow::Result<ParcelView> {
    let checkpoints = sqlx::query_as::<_, CheckpointRow>(
        "SELECT occurred_at_ms, utc_offset_min, location, message, status
         FROM checkpoints WHERE shipment_id = $1
         ORDER BY occurred_at_ms DESC, created_at_ms DESC LIMIT $2",
    )
    .bind(&shipment.id)
    .bind(MAX_CHECKPOINTS)
    .fetch_all(db.pool())
    .await
    .context("reading checkpoints")?;
    // When the newest checkpoint is the delivery: its moment, whole, for "Delivered …".
    let mut delivered_at = None;
    let checkpoints = checkpoints
        .into_iter()
        .enumerate()
        .map(|(i, r)| -> anyhow::Result<CheckpointView> {
            let at = CheckpointTime::from_parts(r.occurred_at_ms, r.utc_offset_min)
                .context("a stored checkpoint time is out of range")?;
            let status = ShipmentStatus::parse(&r.status).context("a stored status is unknown")?;
            let view = checkpoint_view(lang, at, r.location, r.message, status);
            if i == 0 && status == ShipmentStatus::Delivered {
                delivered_at = Some(DateView {
                    iso: view.iso.clone(),
                    display: i18n::cldr::local_date_time(lang, at.at()),
                });
            }
            Ok(view)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    let status = match checkpoints.first() {
        Some(newest) => newest.status,
        None => ShipmentStatus::parse(&shipment.declared_status)
            .context("a stored status is unknown")?,
    };
    Ok(ParcelView {
        carrier_url: shipment.carrier_url,
        carrier: shipment.carrier,
        tracking_number: shipment.tracking_number,
        status,
        estimated_delivery: shipment
            .estimated_delivery
            .as_deref()
            .map(DeliveryDate::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?
            .map(|date| date_view(lang, date)),
        checkpoints,
        delivered_at,
        linked,
    })
}

fn date_view(lang: Lang, date: DeliveryDate) -> DateView {
    DateView {
        iso: date.to_iso(),
        display: i18n::cldr::long_date(lang, date.date()),
    }
}

fn checkpoint_view(
    lang: Lang,
    at: CheckpointTime,
    location: Option<String>,
    message: String,
    status: ShipmentStatus,
) -> CheckpointView {
    let t = at.at();
    let (date, time) = i18n::cldr::local_moment(lang, t);
    CheckpointView {
        iso: t
            .format(&time::format_description::well_known::Rfc3339)
            .expect("times format"),
        date,
        time,
        location,
        message,
        status,
    }
}
