//! Durable delivery of consents to the SMS list provider.
//!
//! Each consent has two jobs, written in the same transaction as the consent: step 1
//! `upsert_customer` (queued at once) and step 2 `subscribe` (blocked until step 1
//! succeeds, then queued to run the opt-in delay later). Workers in any number of server
//! processes claim due jobs with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
//! has one writer at a time), so each step is sent by one of them; a crashed worker's lease
//! runs out and the job is claimed again. Time comes from the `Clock`.
//!
//! Shipment milestone events (the merchant's chosen milestones, sent as events on the
//! shopper's profile) are jobs of their own table with the same discipline, queued in the
//! transaction of the shipment change, run by the same workers.
//!
//! - `queue`: the SQL: enqueue, claim, complete, retry, fail, release (and the lease
//!   renewal, release and next due time of both kinds).
//! - `events`: milestone events: which a change passed, enqueue, claim, complete, fail.
//! - `milestone`: running one milestone event against the provider.
//! - `loyalty`: loyalty points for a delivered sign-up (Yotpo Loyalty's custom action),
//!   queued with the opt-in; the customer's history is read before every send.
//! - `liveness`: each worker's liveness lock (PostgreSQL), by which a killed process's claims
//!   are taken over within a heartbeat instead of when their leases run out.
//! - `lease`: the claim, completion, retry and dead letter `events` and `loyalty` share.
//! - `worker`: the loop that runs due jobs against the provider.

pub mod events;
mod lease;
mod liveness;
pub mod loyalty;
mod milestone;
pub mod queue;
pub mod reviews;
pub mod worker;

pub use worker::{Worker, WorkerConfig};
