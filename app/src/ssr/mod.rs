//! Server-only code: the database, the clock, application state and the services behind
//! the server functions and the REST API. Compiled with the `ssr` feature only, so `sqlx`
//! and friends never reach the WebAssembly build.

pub mod accounts;
pub mod budget;
pub mod client_ip;
pub mod clock;
pub mod consent;
pub mod consent_log;
pub mod data_rights;
pub mod db;
pub mod embed;
pub mod ingest;
pub mod jobs;
pub mod klaviyo;
pub mod limits;
pub mod media;
pub mod merchant_settings;
pub mod merchants;
pub mod order_lookup;
pub mod orders;
pub mod page_stats;
pub mod request;
pub mod secrets;
pub mod sms;
pub mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod times;
pub mod tracking;
pub mod write_mark;
pub mod yotpo;

pub use clock::{Clock, SystemClock};
pub use db::Db;
pub use state::AppState;
