//! Tracklight's application crate.
//!
//! - [`domain`]: types shared by the browser and the server (statuses, the tracking view,
//!   tokens, the error that crosses the wire).
//! - [`api`]: server functions, one area per file, each at a stable endpoint.
//! - [`i18n`]: the shopper's language: which one, and the messages and CLDR formats in it.
//! - [`ui`]: Leptos components and routes.
//! - [`ssr`] (feature `ssr` only): what only the server does: the database, the clock,
//!   the services behind the server functions and the REST API. Never in the wasm build.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;

pub use ui::{shell, App};
