//! Server functions, one area per file. Every one has an explicit, stable endpoint under
//! `/api/fn/` so the embed, CSP rules, tests and logs can name it.

pub mod consent;
pub mod tracking;

pub use consent::{sms_status, sms_subscribe, SmsStatus, SubscribeSms};
pub use tracking::{tracking_view, TrackingViewFn};
