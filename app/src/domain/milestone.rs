//! Shipment milestones: the moments of a shipment Tracklight can send to the merchant's list
//! provider as an event on the shopper's profile, so the merchant's flows there can text or
//! mail about them. The merchant picks which ones are sent (stored as
//! [`MilestoneSet::to_stored`]); the catalogue of names and properties is here, shown on the
//! settings page and in the README.

use super::ShipmentStatus;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The carrier has the parcel and it is moving (first reached `in_transit`).
    Shipped,
    OutForDelivery,
    /// A delivery attempt failed (`attempt_fail`).
    DeliveryAttempted,
    /// Waiting at a pickup point (`available_for_pickup`).
    ReadyForPickup,
    Delivered,
    /// The carrier reports a problem (`exception`).
    Exception,
    /// The estimated delivery date moved later.
    Delayed,
}

impl Milestone {
    pub const ALL: [Self; 7] = [
        Self::Shipped,
        Self::OutForDelivery,
        Self::DeliveryAttempted,
        Self::ReadyForPickup,
        Self::Delivered,
        Self::Exception,
        Self::Delayed,
    ];

    /// The stored name, also the settings form's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shipped => "shipped",
            Self::OutForDelivery => "out_for_delivery",
            Self::DeliveryAttempted => "delivery_attempted",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Delivered => "delivered",
            Self::Exception => "exception",
            Self::Delayed => "delayed",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == input.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|m| m.as_str()).collect();
                format!(
                    "unknown milestone {:?}; expected one of: {}",
                    input.chars().take(40).collect::<String>(),
                    names.join(", ")
                )
            })
    }

    /// What the merchant reads in settings.
    pub fn label(self) -> &'static str {
        match self {
            Self::Shipped => "Shipped",
            Self::OutForDelivery => "Out for delivery",
            Self::DeliveryAttempted => "Delivery attempted",
            Self::ReadyForPickup => "Ready for pickup",
            Self::Delivered => "Delivered",
            Self::Exception => "Delivery problem",
            Self::Delayed => "Delayed",
        }
    }

    /// When it is sent, in the merchant's words.
    pub fn when(self) -> &'static str {
        match self {
            Self::Shipped => "the shipment's status becomes in transit",
            Self::OutForDelivery => "the status becomes out for delivery",
            Self::DeliveryAttempted => "the status becomes attempt failed",
            Self::ReadyForPickup => "the status becomes available for pickup",
            Self::Delivered => "the status becomes delivered",
            Self::Exception => "the status becomes exception",
            Self::Delayed => "the estimated delivery date moves later",
        }
    }

    /// The milestone a shipment reaching `status` passes, if any.
    pub fn of_status(status: ShipmentStatus) -> Option<Self> {
        match status {
            ShipmentStatus::InTransit => Some(Self::Shipped),
            ShipmentStatus::OutForDelivery => Some(Self::OutForDelivery),
            ShipmentStatus::AttemptFail => Some(Self::DeliveryAttempted),
            ShipmentStatus::AvailableForPickup => Some(Self::ReadyForPickup),
            ShipmentStatus::Delivered => Some(Self::Delivered),
            ShipmentStatus::Exception => Some(Self::Exception),
            ShipmentStatus::Pending | ShipmentStatus::InfoReceived | ShipmentStatus::Expired => {
                None
            }
        }
    }

    /// Klaviyo's metric name (free text; action-style, as Klaviyo suggests).
    pub fn klaviyo_metric(self) -> &'static str {
        match self {
            Self::Shipped => "Shipment Shipped",
            Self::OutForDelivery => "Shipment Out For Delivery",
            Self::DeliveryAttempted => "Shipment Delivery Attempted",
            Self::ReadyForPickup => "Shipment Ready For Pickup",
            Self::Delivered => "Shipment Delivered",
            Self::Exception => "Shipment Exception",
            Self::Delayed => "Shipment Delayed",
        }
    }

    /// Yotpo's event name (snake_case, as Yotpo requires).
    pub fn yotpo_event(self) -> String {
        format!("shipment_{}", self.as_str())
    }
}

impl fmt::Display for Milestone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The properties every milestone event carries (absent ones are left out, never null):
/// name and what it holds, for the catalogue.
pub const EVENT_PROPERTIES: [(&str, &str); 10] = [
    ("milestone", "the milestone's name, e.g. out_for_delivery"),
    ("status", "the shipment's status tag, e.g. out_for_delivery"),
    ("order_number", "the store's order ID"),
    ("carrier", "the carrier, e.g. UPS"),
    ("tracking_number", "the carrier's tracking number"),
    ("tracking_url", "the shopper's Tracklight tracking page"),
    (
        "estimated_delivery",
        "the estimated delivery date (YYYY-MM-DD), if known",
    ),
    ("last_checkpoint", "the newest checkpoint's message, if any"),
    ("last_checkpoint_location", "where it happened, if known"),
    (
        "last_checkpoint_time",
        "when it happened (RFC 3339 UTC), if any",
    ),
];

/// The milestones a merchant sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneSet(Vec<Milestone>);

impl MilestoneSet {
    pub fn new(milestones: impl IntoIterator<Item = Milestone>) -> Self {
        let mut set: Vec<Milestone> = milestones.into_iter().collect();
        set.sort_by_key(|m| Milestone::ALL.iter().position(|x| x == m));
        set.dedup();
        Self(set)
    }

    pub fn all() -> Self {
        Self::new(Milestone::ALL)
    }

    pub fn contains(&self, milestone: Milestone) -> bool {
        self.0.contains(&milestone)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Milestone> + '_ {
        self.0.iter().copied()
    }

    /// Comma-separated names, as stored.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads [`Self::to_stored`]; names it no longer knows are dropped.
    pub fn from_stored(stored: &str) -> Self {
        Self::new(
            stored
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .filter_map(|s| Milestone::parse(s).ok()),
        )
    }

    /// Parses the settings form's names; an unknown one is an error naming it.
    pub fn parse_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let milestones = names
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(Milestone::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(milestones))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_named() {
        for m in Milestone::ALL {
            assert_eq!(Milestone::parse(m.as_str()), Ok(m));
            assert!(m.klaviyo_metric().len() < 128);
            assert!(m
                .yotpo_event()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        let e = Milestone::parse("teleported").unwrap_err();
        assert!(
            e.contains("teleported") && e.contains("out_for_delivery"),
            "{e}"
        );
    }

    #[test]
    fn statuses_map_to_milestones() {
        assert_eq!(
            Milestone::of_status(ShipmentStatus::InTransit),
            Some(Milestone::Shipped)
        );
        assert_eq!(
            Milestone::of_status(ShipmentStatus::Delivered),
            Some(Milestone::Delivered)
        );
        assert_eq!(Milestone::of_status(ShipmentStatus::Pending), None);
        assert_eq!(Milestone::of_status(ShipmentStatus::Expired), None);
        // Every status-driven milestone has a status; only Delayed comes from the date.
        for m in Milestone::ALL {
            let from_status = ShipmentStatus::ALL
                .into_iter()
                .any(|s| Milestone::of_status(s) == Some(m));
            assert_eq!(from_status, m != Milestone::Delayed, "{m}");
        }
    }

    #[test]
    fn sets_store_in_catalogue_order_and_drop_unknown_names() {
        let set = MilestoneSet::parse_names(["delivered", "shipped", "delivered"]).unwrap();
        assert_eq!(set.to_stored(), "shipped,delivered");
        assert_eq!(MilestoneSet::from_stored("delivered,gone,shipped"), set);
        assert!(MilestoneSet::from_stored("").is_empty());
        assert!(MilestoneSet::parse_names(["nope"]).is_err());
        assert_eq!(MilestoneSet::all().iter().count(), Milestone::ALL.len());
    }
}
