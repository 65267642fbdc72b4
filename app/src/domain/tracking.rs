//! What a shopper's tracking page shows: already reduced to what the shopper needs (first
//! name, destination city, no address or email) and already formatted on the server, so the
//! browser needs no date or time-zone code.

use super::ShipmentStatus;
use serde::{Deserialize, Serialize};

/// One order's tracking: every parcel it ships in, and one consent block for the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingView {
    pub brand: Brand,
    /// The merchant's own order number, as the shopper knows it.
    pub order_number: String,
    pub first_name: Option<String>,
    /// "City, Country" when known (the country's name in the page's language).
    pub destination: Option<String>,
    /// The order's parcels in the order they were shipped; never empty. The parcel whose
    /// link this page is, is marked [`ParcelView::linked`].
    pub parcels: Vec<ParcelView>,
    /// SMS sign-ups go to the built-in Yotpo sandbox (demo and test instances).
    pub sms_sandbox: bool,
    /// The SMS consent block; `None` when the merchant has not set up SMS sign-ups.
    pub consent: Option<super::ConsentOffer>,
    /// The page's language (its dates and times are written in it already).
    pub lang: crate::i18n::Lang,
    /// The languages the store offers: the language switcher's choices.
    pub languages: Vec<crate::i18n::Lang>,
    /// "Share a photo of your order": a delivered parcel of a store that takes photos, with
    /// room for another submission.
    pub photos: Option<super::PhotoOffer>,
}

impl TrackingView {
    /// The parcel this page's link is for (the page's title and the single-parcel layout).
    pub fn linked(&self) -> &ParcelView {
        self.parcels
            .iter()
            .find(|p| p.linked)
            .or(self.parcels.first())
            .expect("a tracking view has a parcel")
    }
}

/// One shipment of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParcelView {
    pub carrier: String,
    pub tracking_number: String,
    /// The carrier's own tracking page, when the shop gave it.
    pub carrier_url: Option<String>,
    pub status: ShipmentStatus,
    pub estimated_delivery: Option<DateView>,
    /// Newest first.
    pub checkpoints: Vec<CheckpointView>,
    /// When the newest checkpoint is its delivery: when and where it happened, whole
    /// ("Tue, Nov 24, 2:05 PM GMT+1").
    pub delivered_at: Option<DateView>,
    /// This page's link is this parcel's.
    pub linked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    pub name: String,
    /// `#rrggbb`, validated when stored; used as the page's accent colour.
    pub accent_color: Option<String>,
    /// An https image URL, shown next to the name.
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateView {
    /// `YYYY-MM-DD` (or RFC 3339 for a moment), for `<time datetime>`.
    pub iso: String,
    /// "Friday, November 27, 2026", as the page's language writes it.
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointView {
    /// RFC 3339 with the carrier's local offset, for `<time datetime>`.
    pub iso: String,
    /// "Tue, Nov 24" in the checkpoint's local time, as the page's language writes it.
    pub date: String,
    /// "2:05 PM GMT+1": the checkpoint's local time with its UTC offset.
    pub time: String,
    pub location: Option<String>,
    pub message: String,
    pub status: ShipmentStatus,
}
