//! The Tracklight server: configuration, logging, the HTTP router (REST API, pages, static
//! assets, health), first-run demo data and graceful shutdown. Business logic lives in
//! `app::ssr`; this crate wires it to the outside world.

pub mod cli;
pub mod config;
pub mod demo;
pub mod ops;
pub mod rest;
pub mod startup;
pub mod telemetry;
