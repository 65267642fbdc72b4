//! Types shared by the browser and the server. Nothing here may depend on server-only crates;
//! parsers that need them (phone numbers) sit behind `cfg(feature = "ssr")`.

pub mod consent;
pub mod countries;
pub mod error;
pub mod lookup;
pub mod mask;
pub mod milestone;
pub mod photos;
pub mod provider;
pub mod settings;
pub mod status;
pub mod token;
pub mod tracking;

#[cfg(feature = "ssr")]
pub mod inputs;

pub use consent::{CheckboxForm, ConsentOffer, OfferForm, OfferStatus, SubscribeOutcome};
pub use error::AppError;
pub use lookup::{LookupPageView, LookupProof};
pub use milestone::{Milestone, MilestoneSet};
pub use photos::{MediaKind, PhotoOffer};
pub use provider::ListProvider;
pub use status::ShipmentStatus;
pub use token::TrackingToken;
pub use tracking::{Brand, CheckpointView, ParcelView, TrackingView};
