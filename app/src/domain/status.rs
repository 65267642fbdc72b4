//! The normalised shipment status tag set (the one AfterShip made the de-facto standard).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    Pending,
    InfoReceived,
    InTransit,
    OutForDelivery,
    AttemptFail,
    AvailableForPickup,
    Delivered,
    Exception,
    Expired,
}

/// Returned when a status string is none of the known tags or their spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}; expected one of: pending, info_received, in_transit, out_for_delivery, attempt_fail, available_for_pickup, delivered, exception, expired")]
pub struct UnknownStatus(pub String);

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 9] = [
        Self::Pending,
        Self::InfoReceived,
        Self::InTransit,
        Self::OutForDelivery,
        Self::AttemptFail,
        Self::AvailableForPickup,
        Self::Delivered,
        Self::Exception,
        Self::Expired,
    ];

    /// The canonical tag, as stored and as sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::InfoReceived => "info_received",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::AttemptFail => "attempt_fail",
            Self::AvailableForPickup => "available_for_pickup",
            Self::Delivered => "delivered",
            Self::Exception => "exception",
            Self::Expired => "expired",
        }
    }

    /// What a shopper reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Order received",
            Self::InfoReceived => "Label created",
            Self::InTransit => "In transit",
            Self::OutForDelivery => "Out for delivery",
            Self::AttemptFail => "Delivery attempted",
            Self::AvailableForPickup => "Ready for pickup",
            Self::Delivered => "Delivered",
            Self::Exception => "Delivery problem",
            Self::Expired => "Tracking expired",
        }
    }

    /// Where the status sits on the progress bar (0..=4), `None` for off-path states.
    pub fn progress_step(self) -> Option<u8> {
        match self {
            Self::Pending => Some(0),
            Self::InfoReceived => Some(1),
            Self::InTransit | Self::AttemptFail | Self::Exception => Some(2),
            Self::OutForDelivery | Self::AvailableForPickup => Some(3),
            Self::Delivered => Some(4),
            Self::Expired => None,
        }
    }

    /// Needs the shopper's attention (styled as a warning).
    pub fn is_problem(self) -> bool {
        matches!(self, Self::AttemptFail | Self::Exception | Self::Expired)
    }

    /// Accepts the canonical tags and the usual spellings of carriers and aggregators:
    /// `in_transit`, `InTransit`, `in-transit`, `IN TRANSIT` all mean [`Self::InTransit`].
    pub fn parse(input: &str) -> Result<Self, UnknownStatus> {
        let key: String = input
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let status = match key.as_str() {
            "pending" => Self::Pending,
            "inforeceived" => Self::InfoReceived,
            "intransit" => Self::InTransit,
            "outfordelivery" => Self::OutForDelivery,
            "attemptfail" | "attemptfailed" | "failedattempt" => Self::AttemptFail,
            "availableforpickup" => Self::AvailableForPickup,
            "delivered" => Self::Delivered,
            "exception" => Self::Exception,
            "expired" => Self::Expired,
            _ => return Err(UnknownStatus(input.chars().take(64).collect())),
        };
        Ok(status)
    }
}

impl fmt::Display for ShipmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_tags_round_trip() {
        for s in ShipmentStatus::ALL {
            assert_eq!(ShipmentStatus::parse(s.as_str()), Ok(s));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn serde_name_is_the_stored_tag() {
        for s in ShipmentStatus::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn spellings_are_normalised() {
        let cases = [
            ("InTransit", ShipmentStatus::InTransit),
            ("in-transit", ShipmentStatus::InTransit),
            (" IN TRANSIT ", ShipmentStatus::InTransit),
            ("OutForDelivery", ShipmentStatus::OutForDelivery),
            ("AvailableForPickup", ShipmentStatus::AvailableForPickup),
            ("attempt_failed", ShipmentStatus::AttemptFail),
            ("InfoReceived", ShipmentStatus::InfoReceived),
        ];
        for (input, want) in cases {
            assert_eq!(ShipmentStatus::parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn unknown_statuses_are_rejected() {
        for bad in ["", "shipped", "in transit!!x", "deliver", "12"] {
            assert!(ShipmentStatus::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
