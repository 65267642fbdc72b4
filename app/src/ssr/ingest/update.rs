//! What a delivery says, in Tracklight's terms ([`Update`]), and how it is written.
//!
//! Every scan a source reports becomes a checkpoint with the time the source gives it, so
//! a shipment's status is always its newest checkpoint's: a delivery that arrives late, out
//! of order or twice never moves a shipment backwards, and a repeated checkpoint is stored
//! once (`ssr::orders` deduplicates on time, status, place and message). A Shopify
//! fulfillment's own shipment status is the shipment's declared status (what it shows
//! before any scan), never taken back from delivered. A status Tracklight does not know (a
//! source added it) keeps the shipment's status.

use crate::domain::inputs::{
    Carrier, CarrierUrl, CheckpointMessage, CheckpointTime, City, CountryCode, Email, ExternalId,
    Location, PersonName, PhoneE164, Postcode, TrackingNumber,
};
use crate::domain::ShipmentStatus;
use crate::ssr::merchants::MerchantId;
use crate::ssr::orders::{
    self, CheckpointInput, CustomerInput, OrderInput, OrderRecord, ShipmentInput, WriteError,
};
use crate::ssr::Db;
use anyhow::Context;

/// An order's customer ID when the source sent none (a guest checkout without a customer
/// record): the page tracks, and offers no SMS sign-up (a consent needs the ID the list
/// provider knows the shopper by).
pub const NO_CUSTOMER_PREFIX: &str = "no-customer:";

/// Whether `customer_id` is one the list provider can know the shopper by.
pub fn is_known_customer(customer_id: &str) -> bool {
    !customer_id.starts_with(NO_CUSTOMER_PREFIX)
        && !customer_id.starts_with(crate::ssr::data_rights::ERASED_PREFIX)
}

/// The shopper as a payload describes them; every field may be missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerFacts {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
}

/// One scan or status change, as the source reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// RFC 3339.
    pub at: String,
    /// `None`: a value Tracklight does not know; the shipment keeps its status.
    pub status: Option<ShipmentStatus>,
    pub message: String,
    pub location: Option<String>,
}

/// A parcel of a Shopify fulfillment.
#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    /// Tracklight's shipment ID: `shopify-{fulfillment}`, then `-2`, `-3` for more numbers.
    pub shipment_id: String,
    pub carrier: Option<String>,
    pub tracking_number: String,
    /// The carrier's tracking page for it.
    pub carrier_url: Option<String>,
    /// The fulfillment's shipment status.
    pub declared: Option<ShipmentStatus>,
    /// What else happened to it (its fulfillment was cancelled).
    pub scans: Vec<Scan>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// An order with its customer and parcels (a Shopify order, or a fulfillment, which
    /// knows its order's number but not its customer's ID), and what happened to them.
    Order {
        number: String,
        /// The order itself speaks for its customer; a fulfillment only fills in what is
        /// not known yet (its names and phone are the recipient's).
        authoritative: bool,
        customer: CustomerFacts,
        parcels: Vec<Parcel>,
        /// What happened to every parcel of the order (its cancellation).
        scans: Vec<Scan>,
    },
    /// Scans of the parcels of one Shopify fulfillment (its events carry no tracking
    /// number).
    Fulfillment {
        fulfillment_id: String,
        scans: Vec<Scan>,
    },
    /// Scans of the parcel with this tracking number (the carrier-tracking services).
    Tracking {
        carrier: Option<String>,
        tracking_number: String,
        scans: Vec<Scan>,
    },
    /// Nothing Tracklight keeps (said why).
    Nothing(String),
}

/// How writing an update went: what it did, or why it must wait (the shipment it is about
/// is not there yet: another delivery may bring it) or cannot be written.
#[derive(Debug)]
pub enum Applied {
    Done(String),
    Wait(String),
    Refused(String),
}

/// Writes `update` for `merchant`.
pub async fn apply(
    db: &Db,
    merchant: &MerchantId,
    update: &Update,
    now_ms: i64,
) -> anyhow::Result<Applied> {
    match update {
        Update::Nothing(why) => Ok(Applied::Done(why.clone())),
        Update::Order {
            number,
            authoritative,
            customer,
            parcels,
            scans,
        } => {
            write_order(
                db,
                merchant,
                number,
                (customer, *authoritative),
                parcels,
                scans,
                now_ms,
            )
            .await
        }
        Update::Fulfillment {
            fulfillment_id,
            scans,
        } => {
            let shipments = fulfillment_shipments(db, merchant, fulfillment_id).await?;
            if shipments.is_empty() {
                return Ok(Applied::Wait(format!(
                    "fulfillment {fulfillment_id} has no shipment here yet"
                )));
            }
            let mut added = 0;
            for shipment in &shipments {
                added += append(db, merchant, shipment, scans, now_ms).await?;
            }
            Ok(Applied::Done(format!(
                "{added} new update(s) for fulfillment {fulfillment_id}"
            )))
        }
        Update::Tracking {
            carrier,
            tracking_number,
            scans,
        } => {
            let Some(shipment) =
                shipment_by_tracking(db, merchant, carrier.as_deref(), tracking_number).await?
            else {
                return Ok(Applied::Wait(format!(
                    "no shipment with tracking number {tracking_number}"
                )));
            };
            let added = append(db, merchant, &shipment, scans, now_ms).await?;
            Ok(Applied::Done(format!(
                "{added} new update(s) for shipment {shipment}"
            )))
        }
    }
}

async fn write_order(
    db: &Db,
    merchant: &MerchantId,
    number: &str,
    (facts, authoritative): (&CustomerFacts, bool),
    parcels: &[Parcel],
    scans: &[Scan],
    now_ms: i64,
) -> anyhow::Result<Applied> {
    let Ok(external_id) = ExternalId::parse(number.trim().trim_start_matches('#')) else {
        return Ok(Applied::Refused(if number.trim().is_empty() {
            "the order has no name or number".to_owned()
        } else {
            format!("{number:?} is not an order number")
        }));
    };
    let stored = orders::get_order(db, merchant, external_id.as_str()).await?;
    let Some(customer) =
        customer_input(facts, authoritative, stored.as_ref(), external_id.as_str())
    else {
        return Ok(Applied::Refused(
            "the order has no shipping country".to_owned(),
        ));
    };
    let shipments = parcels
        .iter()
        .filter_map(|p| {
            Some(ShipmentInput {
                external_id: ExternalId::parse(&p.shipment_id).ok()?,
                carrier: p
                    .carrier
                    .as_deref()
                    .and_then(|c| Carrier::parse(c).ok())
                    .or_else(|| Carrier::parse("Unknown carrier").ok())?,
                tracking_number: TrackingNumber::parse(&p.tracking_number).ok()?,
                estimated_delivery: None,
                status: declared(p, stored.as_ref()),
                carrier_url: p
                    .carrier_url
                    .as_deref()
                    .and_then(|u| CarrierUrl::parse(u).ok()),
            })
        })
        .collect::<Vec<_>>();
    let input = OrderInput {
        external_id,
        customer,
        shipments,
        product_ids: None,
    };
    let written = match orders::upsert_order(db, merchant, &input, now_ms).await {
        Ok(written) => written,
        Err(WriteError::ShipmentOfOtherOrder {
            external_id,
            other_order,
            ..
        }) => {
            return Ok(Applied::Refused(format!(
                "shipment {external_id} belongs to order {other_order}"
            )))
        }
        Err(WriteError::ShipmentNotFound) => anyhow::bail!("a shipment vanished"),
        Err(WriteError::Other(e)) => return Err(e),
    };
    let mut added = 0;
    for parcel in parcels {
        let known = written
            .order
            .shipments
            .iter()
            .any(|s| s.external_id == parcel.shipment_id);
        if known {
            added += append(db, merchant, &parcel.shipment_id, &parcel.scans, now_ms).await?;
        }
    }
    if !scans.is_empty() {
        for shipment in &written.order.shipments {
            added += append(db, merchant, &shipment.external_id, scans, now_ms).await?;
        }
    }
    Ok(Applied::Done(format!(
        "order {} with {} shipment(s), {added} new update(s)",
        input.external_id,
        written.order.shipments.len()
    )))
}

/// The status to declare for a parcel: its fulfillment's; a new parcel with none has a
/// label (info received); a delivered one stays delivered.
fn declared(parcel: &Parcel, stored: Option<&OrderRecord>) -> Option<ShipmentStatus> {
    let existing = stored.and_then(|o| {
        o.shipments
            .iter()
            .find(|s| s.external_id == parcel.shipment_id)
    });
    match (existing, parcel.declared) {
        (None, declared) => Some(declared.unwrap_or(ShipmentStatus::InfoReceived)),
        (Some(s), _) if s.status == ShipmentStatus::Delivered => None,
        (Some(_), declared) => declared,
    }
}

/// The customer to write: what the payload says (an order's own payload), the stored
/// order's values where it says nothing or is only a fulfillment, else the marker of no
/// known customer. An erased customer stays erased: nothing personal is written back.
fn customer_input(
    facts: &CustomerFacts,
    authoritative: bool,
    stored: Option<&OrderRecord>,
    order: &str,
) -> Option<CustomerInput> {
    let erased = stored.is_some_and(|o| {
        o.customer_external_id
            .starts_with(crate::ssr::data_rights::ERASED_PREFIX)
    });
    let pick = |new: &Option<String>, old: Option<&String>| -> Option<String> {
        let new = new.clone().filter(|v| !v.trim().is_empty());
        let old = old.cloned();
        if authoritative {
            new.or(old)
        } else {
            old.or(new)
        }
    };
    let country = pick(&facts.country, stored.map(|o| &o.shipping_country))
        .and_then(|c| CountryCode::parse(&c).ok())?;
    if erased {
        return Some(CustomerInput {
            external_id: ExternalId::parse(&stored?.customer_external_id).ok()?,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            country,
            city: None,
            postcode: None,
        });
    }
    // A known ID wins over the marker of none, whichever came first.
    let stored_id = stored
        .map(|o| &o.customer_external_id)
        .filter(|id| is_known_customer(id));
    let id = facts
        .id
        .clone()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| stored_id.cloned())
        .and_then(|id| ExternalId::parse(&id).ok())
        .or_else(|| ExternalId::parse(&format!("{NO_CUSTOMER_PREFIX}{order}")).ok())?;
    let first_name = pick(
        &facts.first_name,
        stored.and_then(|o| o.first_name.as_ref()),
    );
    let last_name = pick(&facts.last_name, stored.and_then(|o| o.last_name.as_ref()));
    let email = pick(&facts.email, stored.and_then(|o| o.email.as_ref()));
    let phone = pick(&facts.phone, stored.and_then(|o| o.phone_e164.as_ref()));
    let city = pick(&facts.city, stored.and_then(|o| o.shipping_city.as_ref()));
    let postcode = pick(
        &facts.postcode,
        stored.and_then(|o| o.shipping_postcode.as_ref()),
    );
    // What does not parse is left out, not a reason to lose the order.
    Some(CustomerInput {
        external_id: id,
        first_name: first_name.and_then(|v| PersonName::parse(&v).ok()),
        last_name: last_name.and_then(|v| PersonName::parse(&v).ok()),
        email: email.and_then(|v| Email::parse(&v).ok()),
        phone: phone.and_then(|v| PhoneE164::parse(&v, Some(country)).ok()),
        country,
        city: city.and_then(|v| City::parse(&v).ok()),
        postcode: postcode.and_then(|v| Postcode::parse(&v).ok()),
    })
}

/// Appends `scans` to the shipment `external_id`; how many were new.
async fn append(
    db: &Db,
    merchant: &MerchantId,
    external_id: &str,
    scans: &[Scan],
    now_ms: i64,
) -> anyhow::Result<usize> {
    if scans.is_empty() {
        return Ok(0);
    }
    // A status Tracklight does not know keeps the shipment's.
    let current = if scans.iter().any(|s| s.status.is_none()) {
        orders::get_shipment(db, merchant, external_id)
            .await?
            .map(|s| s.status)
    } else {
        None
    };
    let checkpoints = scans
        .iter()
        .filter_map(|s| checkpoint(s, current))
        .collect::<Vec<_>>();
    if checkpoints.is_empty() {
        return Ok(0);
    }
    match orders::append_checkpoints(db, merchant, external_id, &checkpoints, now_ms).await {
        Ok(appended) => Ok(appended.inserted),
        Err(WriteError::Other(e)) => Err(e),
        Err(e) => Err(anyhow::anyhow!("appending to {external_id}: {e}")),
    }
}

/// A scan as a checkpoint (an unknown status taken as `current`); one whose time does not
/// read is left out.
fn checkpoint(scan: &Scan, current: Option<ShipmentStatus>) -> Option<CheckpointInput> {
    let status = scan.status.or(current)?;
    let at = CheckpointTime::parse(&scan.at)
        .or_else(|_| CheckpointTime::parse(&format!("{}Z", scan.at.trim())))
        .ok()?;
    let message: String = if scan.message.trim().is_empty() {
        status.label().to_owned()
    } else {
        scan.message.chars().take(500).collect()
    };
    Some(CheckpointInput {
        at,
        location: scan
            .location
            .as_deref()
            .map(|l| l.chars().take(200).collect::<String>())
            .and_then(|l| Location::parse(&l).ok()),
        message: CheckpointMessage::parse(&message).ok()?,
        status,
    })
}

/// The shipments of a Shopify fulfillment, by their IDs.
async fn fulfillment_shipments(
    db: &Db,
    merchant: &MerchantId,
    fulfillment_id: &str,
) -> anyhow::Result<Vec<String>> {
    let first = format!("shopify-{fulfillment_id}");
    sqlx::query_scalar(
        "SELECT external_id FROM shipments
         WHERE merchant_id = $1 AND (external_id = $2 OR external_id LIKE $3)
         ORDER BY external_id",
    )
    .bind(merchant.as_str())
    .bind(&first)
    .bind(format!("{first}-%"))
    .fetch_all(db.pool())
    .await
    .context("finding a fulfillment's shipments")
}

/// Letters and digits, upper case: how tracking numbers and carriers are compared.
fn plain(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The merchant's shipment with `tracking_number` (spacing and case aside); of several, the
/// newest whose carrier matches.
async fn shipment_by_tracking(
    db: &Db,
    merchant: &MerchantId,
    carrier: Option<&str>,
    tracking_number: &str,
) -> anyhow::Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        external_id: String,
        carrier: String,
        tracking_number: String,
    }
    let wanted = plain(tracking_number);
    if wanted.is_empty() {
        return Ok(None);
    }
    // Stored numbers are compared as written first (the common case, indexed by merchant),
    // then spacing and case aside.
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT external_id, carrier, tracking_number FROM shipments
         WHERE merchant_id = $1 AND UPPER(REPLACE(REPLACE(tracking_number, ' ', ''), '-', '')) = $2
         ORDER BY created_at_ms DESC",
    )
    .bind(merchant.as_str())
    .bind(&wanted)
    .fetch_all(db.pool())
    .await
    .context("finding a shipment by tracking number")?;
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| plain(&r.tracking_number) == wanted)
        .collect();
    let carrier = carrier.map(plain).filter(|c| !c.is_empty());
    let matching = carrier.as_ref().and_then(|c| {
        rows.iter().find(|r| {
            let theirs = plain(&r.carrier);
            theirs.contains(c.as_str()) || c.contains(theirs.as_str())
        })
    });
    // Carriers are named differently by each system ("ups", "UPS Ground"): one shipment with
    // the number is it; of several, only the carrier tells them apart.
    let only = (rows.len() == 1).then(|| &rows[0]);
    Ok(matching.or(only).map(|r| r.external_id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_takes_what_the_payload_says_else_what_is_stored() {
        let facts = CustomerFacts {
            first_name: Some("Ana".into()),
            country: Some("US".into()),
            phone: Some("not a phone".into()),
            ..Default::default()
        };
        let c = customer_input(&facts, true, None, "1001").unwrap();
        assert_eq!(c.external_id.as_str(), "no-customer:1001");
        assert!(!is_known_customer(c.external_id.as_str()));
        assert_eq!(c.first_name.unwrap().as_str(), "Ana");
        assert!(c.phone.is_none(), "a phone that does not read is left out");
        assert!(customer_input(&CustomerFacts::default(), true, None, "1").is_none());
    }

    #[test]
    fn scans_become_checkpoints() {
        let scan = Scan {
            at: "2026-11-24T09:30:00".into(),
            status: Some(ShipmentStatus::InTransit),
            message: " ".into(),
            location: Some("Memphis, TN, US".into()),
        };
        let c = checkpoint(&scan, None).unwrap();
        assert_eq!(c.message.as_str(), "In transit", "no message: the status");
        assert_eq!(c.at.offset_minutes(), 0, "no offset: UTC");
        assert!(checkpoint(
            &Scan {
                at: "yesterday".into(),
                ..scan.clone()
            },
            None
        )
        .is_none());
        let unknown = Scan {
            status: None,
            ..scan
        };
        assert_eq!(
            checkpoint(&unknown, Some(ShipmentStatus::Delivered))
                .unwrap()
                .status,
            ShipmentStatus::Delivered,
            "an unknown status keeps the shipment's"
        );
    }

    #[test]
    fn tracking_numbers_compare_without_spacing_or_case() {
        assert_eq!(plain(" 1z 999-aa1 "), "1Z999AA1");
    }
}
