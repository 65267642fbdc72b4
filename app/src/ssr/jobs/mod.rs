//! Durable delivery of consents to the SMS list provider.
//!
//! Each consent has two jobs, written in the same transaction as the consent: step 1
//! `upsert_customer` (queued at once) and step 2 `subscribe` (blocked until step 1
//! succeeds, then queued to run the opt-in delay later). Workers in any number of server
//! processes claim due jobs with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
//! has one writer at a time), so each step is sent by one of them; a crashed worker's lease
//! runs out and the job is claimed again. Time comes from the `Clock`.
//!
//! - `queue`: the SQL: enqueue, claim, complete, retry, fail, release.
//! - `worker`: the loop that runs due jobs against the provider.

pub mod queue;
pub mod worker;

pub use worker::{Worker, WorkerConfig};
