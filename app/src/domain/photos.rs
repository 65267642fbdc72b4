//! Photos and videos shoppers share of a delivered order: what the tracking page offers, why
//! an upload is refused (a fixed set: a page shows the message of a code, never text from a
//! URL), and what the merchant's moderation grid shows.

use serde::{Deserialize, Serialize};

/// A photo, or a short video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Video,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "image" => Some(Self::Image),
            "video" => Some(Self::Video),
            _ => None,
        }
    }
}

/// The tracking page's "Share a photo of your order" (a delivered order, a store that takes
/// photos, and room for another submission): the limits its hint states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoOffer {
    pub image_mb: u32,
    pub video_mb: u32,
    pub video_seconds: u32,
    pub files: u32,
    pub caption_chars: u32,
    /// Pixels of one photo, in millions.
    pub megapixels: u32,
    /// The loyalty points an approved photo earns (the store's Yotpo Loyalty photo action,
    /// when the order has the shopper's email).
    pub points: Option<i64>,
}

/// Why an upload was not taken. Each has a message (`photos-error-*`) and an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// No file chosen.
    NoFile,
    /// Not a format Tracklight takes (by content).
    Type,
    Heic,
    /// Cut off or corrupt: the decoder could not read all of it.
    Damaged,
    /// Over the byte limit of its kind.
    TooBig,
    /// Over the pixel limit (a decompression bomb, or a huge panorama).
    TooLarge,
    /// A video over the length limit.
    TooLong,
    TooMany,
    Caption,
    /// The shipment has had its submissions.
    Limit,
    /// Too many uploads from this link or network.
    Busy,
    /// No photos for this link: unknown, not delivered, or the store does not take them.
    Unavailable,
}

impl Refusal {
    pub const ALL: [Refusal; 12] = [
        Self::NoFile,
        Self::Type,
        Self::Heic,
        Self::Damaged,
        Self::TooBig,
        Self::TooLarge,
        Self::TooLong,
        Self::TooMany,
        Self::Caption,
        Self::Limit,
        Self::Busy,
        Self::Unavailable,
    ];

    /// The code in a URL (`?refused=too-big`) and in JSON answers.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoFile => "none",
            Self::Type => "type",
            Self::Heic => "heic",
            Self::Damaged => "damaged",
            Self::TooBig => "too-big",
            Self::TooLarge => "too-large",
            Self::TooLong => "too-long",
            Self::TooMany => "too-many",
            Self::Caption => "caption",
            Self::Limit => "limit",
            Self::Busy => "busy",
            Self::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The shopper's message.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::NoFile => "photos-error-none",
            Self::Type => "photos-error-type",
            Self::Heic => "photos-error-heic",
            Self::Damaged => "photos-error-damaged",
            Self::TooBig => "photos-error-too-big",
            Self::TooLarge => "photos-error-too-large",
            Self::TooLong => "photos-error-too-long",
            Self::TooMany => "photos-error-too-many",
            Self::Caption => "photos-error-caption",
            Self::Limit => "photos-error-limit",
            Self::Busy => "photos-error-busy",
            Self::Unavailable => "photos-error-unavailable",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            Self::NoFile | Self::TooMany | Self::Caption => 400,
            Self::Type | Self::Heic => 415,
            Self::Damaged => 422,
            Self::TooBig | Self::TooLarge | Self::TooLong => 413,
            Self::Limit => 409,
            Self::Busy => 429,
            Self::Unavailable => 404,
        }
    }
}

/// Where a submission is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Moderation {
    Pending,
    Approved,
    Rejected,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// One shopper's submission in the merchant's moderation grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub id: String,
    pub order_number: String,
    pub caption: Option<String>,
    pub state: Moderation,
    /// "2026-11-27 14:05 UTC".
    pub submitted: String,
    pub files: Vec<MediaFileView>,
    /// The import into Yotpo Reviews, once approved: "queued", "imported", "failed: …".
    pub import: Option<String>,
    /// The loyalty points for it, once approved, when the store rewards photos.
    pub points: Option<PhotoPoints>,
}

/// Where a photo's loyalty points are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoPoints {
    Waiting,
    Awarded,
    /// The customer's history had the action already (another photo of theirs).
    AlreadyAwarded,
    Failed(String),
}

/// One file of a submission, at URLs the merchant's session may open (pending ones too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaFileView {
    pub kind: MediaKind,
    pub url: String,
    pub thumb_url: Option<String>,
    /// Public once approved: the unguessable URL the provider fetches.
    pub public_url: Option<String>,
}

/// The merchant's photos page: the setting and the moderation grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoGridView {
    pub csrf: String,
    /// Delivered orders' tracking pages offer "Share a photo of your order".
    pub enabled: bool,
    /// Approved media go to Yotpo Reviews through the store's Yotpo connection.
    pub yotpo_connected: bool,
    pub pending: usize,
    pub submissions: Vec<SubmissionView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_code_reads_back() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
            assert!(r.message_id().starts_with("photos-error-"));
            assert!((400..500).contains(&r.status()));
        }
        assert_eq!(Refusal::from_code("<script>"), None);
    }
}
