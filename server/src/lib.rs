//! The Tracklight server: configuration, logging, the HTTP router (`routes`: REST API, pages,
//! static assets, health), first-run demo data, graceful shutdown, and sandbox mode (the
//! `sandbox` crate in-process). Business logic lives in `app::ssr`; this crate wires it to the
//! outside world.
// Leptos view types of the routed pages nest deeper than the default limit of 128.
#![recursion_limit = "256"]

pub mod cli;
pub mod config;
pub mod demo;
pub mod downloads;
pub mod embed;
pub mod form_errors;
pub mod hooks;
pub mod metrics;
pub mod ops;
pub mod page_cache;
pub mod photos;
pub mod rest;
pub mod routes;
pub mod startup;
pub mod telemetry;
