//! Photos and short videos that shoppers share of a delivered order ("Share a photo of your
//! order" on the tracking page), from the upload to Yotpo Reviews:
//!
//! - `decode`: what a file is by its content; photos decoded and made anew (web copy and
//!   thumbnail, no metadata), videos parsed and their metadata boxes blanked.
//! - `store`: where the files live (a directory under the data directory by default), by
//!   unguessable names.
//! - `upload`: the shopper's upload: limits per link, per network and per shipment, the
//!   files checked off the async threads, the submission recorded pending.
//! - `cleanup`: files that are to go (a new upload's until recorded, a rejected or erased
//!   submission's), listed in the database so that none outlives a crash.
//! - `moderation`: the merchant's grid (approve, reject), the files served (approved ones to
//!   anyone with their unguessable URL, the rest only to the store's own session), and the
//!   import queued on approval (`jobs::reviews`).
//!
//! Nothing reaches a public URL or Yotpo before the merchant approves it.

pub mod cleanup;
pub mod decode;
pub mod moderation;
pub mod store;
pub mod upload;

pub use crate::domain::photos::{MediaKind, Refusal};
pub use store::{FsMediaStore, MediaStore, ObjectMediaStore, S3Config};

use std::sync::Arc;
use tokio::sync::Semaphore;

/// The limits on what shoppers upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaLimits {
    /// One photo's file.
    pub image_bytes: usize,
    /// One video's file.
    pub video_bytes: usize,
    /// Pixels of one photo, read from its header before decoding (decompression bombs).
    pub max_pixels: u64,
    /// Either side of one photo, in pixels.
    pub max_side: u32,
    pub video_seconds: u32,
    /// Files in one upload.
    pub files_per_upload: usize,
    pub caption_chars: usize,
    /// Submissions one shipment accepts, ever.
    pub per_shipment: i64,
}

impl Default for MediaLimits {
    fn default() -> Self {
        Self {
            image_bytes: 15 * 1024 * 1024,
            video_bytes: 50 * 1024 * 1024,
            // A 16-bit RGBA picture this size takes 320 MB to decode, and copies after.
            max_pixels: 40_000_000,
            max_side: 12_000,
            video_seconds: 60,
            files_per_upload: 4,
            caption_chars: 500,
            per_shipment: 3,
        }
    }
}

impl MediaLimits {
    /// The most one upload request may carry: a video, or its photos at their largest,
    /// and room for the form's fields and multipart framing.
    pub fn request_bytes(&self) -> usize {
        (self.files_per_upload * self.image_bytes).max(self.video_bytes) + 64 * 1024
    }

    /// What the tracking page's hint states.
    pub fn offer(&self) -> crate::domain::PhotoOffer {
        const MB: usize = 1024 * 1024;
        crate::domain::PhotoOffer {
            image_mb: (self.image_bytes / MB) as u32,
            video_mb: (self.video_bytes / MB) as u32,
            video_seconds: self.video_seconds,
            files: self.files_per_upload as u32,
            caption_chars: self.caption_chars as u32,
            megapixels: (self.max_pixels / 1_000_000) as u32,
            points: None,
        }
    }
}

/// Shoppers' media: where they are stored, the limits, and the gate that keeps decoding to
/// a few files at a time (each may take hundreds of megabytes and a core for a second).
#[derive(Clone)]
pub struct Media {
    pub store: Arc<dyn MediaStore>,
    pub limits: MediaLimits,
    pub decode_gate: Arc<Semaphore>,
    /// Uploads read at once by this instance (each holds its files in memory, at most
    /// [`MediaLimits::request_bytes`]); more are told to try again later.
    pub upload_gate: Arc<Semaphore>,
}

impl Media {
    pub fn new(store: Arc<dyn MediaStore>, limits: MediaLimits) -> Self {
        Self {
            store,
            limits,
            decode_gate: Arc::new(Semaphore::new(2)),
            upload_gate: Arc::new(Semaphore::new(4)),
        }
    }
}
