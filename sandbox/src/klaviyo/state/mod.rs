//! The Klaviyo sandbox's memory, behind one mutex (a test double: one lock keeps its answers
//! consistent). What a request *does* to an account lives here; `api` owns HTTP (parsing,
//! validation, status codes) and must be the only caller of the request paths.
//!
//! This file owns the lock (`Inner`: `lock` for the state as it stands, `live` with the due
//! subscribe jobs applied first), the `State` behind it (the accounts and the keys that find
//! them, the fault switches, the clock) and what the in-process handle reads of an account.
//!
//! - `spec`: how an account is set up: keys and scopes, lists and their opt-in, countries.
//! - `faults`: the fault switches and the patches that change them.
//! - `account`: one account's data; profiles found, created or updated, the account resource.
//! - `profile`: a profile record, its consent per channel, and how it is shown.
//! - `lists`: an account's lists and members, found and shown.
//! - `subscriptions`: subscribe jobs applied after their 202, double opt-in by text (the
//!   outbox, the shopper's YES), STOP.
//! - `events`: events, the profile they name, deduplication.
//! - `limits`: the rate-limit windows and the `RateLimit-*` values.
//! - `request_log`: the request log, personal data masked.
//! - `ids`: profile, event, metric and error IDs as Klaviyo makes them.

mod account;
mod events;
mod faults;
mod ids;
mod limits;
mod lists;
mod profile;
mod request_log;
mod spec;
mod subscriptions;

pub use faults::{KlaviyoFaults, KlaviyoFaultsPatch};
pub use limits::KlaviyoLimits;
pub use spec::{KlaviyoAccountSpec, KlaviyoKeySpec, KlaviyoListSpec};

pub(super) use account::{Account, ProfileError};
pub(super) use events::EventInput;
pub(super) use ids::error_id;
pub(super) use limits::{Admission, RateHeaders};
pub(super) use profile::{Render, LOCATION_FIELDS, TEXT_ATTRIBUTES};
pub(super) use subscriptions::{Channel, Job, JobProfile};

use super::clock::Clock;
use crate::Recorded;
use limits::Windows;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

/// A collection's order: a field, ascending unless `descending`.
pub(super) struct Sort {
    pub field: String,
    pub descending: bool,
}

/// Everything the sandbox holds; reached through `Inner`'s lock.
pub(super) struct State {
    pub(super) faults: KlaviyoFaults,
    pub(super) clock: Clock,
    accounts: BTreeMap<String, Account>,
    /// key → (account ID, scopes)
    keys: HashMap<String, (String, Vec<String>)>,
    windows: HashMap<(String, &'static str), Windows>,
    requests: VecDeque<Recorded>,
    log_capacity: usize,
    dropped: u64,
    next_seq: u64,
}

impl State {
    pub(super) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub(super) fn add_account(&mut self, spec: KlaviyoAccountSpec) {
        let now = self.now_ms();
        let id = spec.account_id.clone();
        self.keys.retain(|_, (account, _)| *account != id);
        for key in &spec.keys {
            self.keys
                .insert(key.key.clone(), (id.clone(), key.scopes.clone()));
        }
        match self.accounts.get_mut(&id) {
            Some(account) => account.respec(spec),
            None => {
                self.accounts.insert(id, Account::new(spec, now));
            }
        }
    }

    pub(super) fn account_ids(&self) -> Vec<String> {
        self.accounts.keys().cloned().collect()
    }

    pub(super) fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.get(id)
    }

    pub(super) fn account_mut(&mut self, id: &str) -> Option<&mut Account> {
        self.accounts.get_mut(id)
    }

    /// The account a private key belongs to, and the key's scopes.
    pub(super) fn key(&self, key: &str) -> Option<(String, Vec<String>)> {
        self.keys.get(key).cloned()
    }

    /// A profile made directly, bypassing validation and matching (e.g. two profiles with
    /// one `external_id`).
    pub(super) fn seed_profile(
        &mut self,
        account_id: &str,
        attributes: &Map<String, Value>,
    ) -> Option<String> {
        let now = self.now_ms();
        let account = self.accounts.get_mut(account_id)?;
        let index = account.create_profile(now);
        let mut set = attributes.clone();
        set.retain(|k, v| {
            !v.is_null() && !["id", "created", "updated", "subscriptions"].contains(&k.as_str())
        });
        account.profiles[index].apply(&set, now);
        Some(account.profiles[index].id.clone())
    }

    pub(super) fn profiles(&self, account_id: &str) -> Vec<Value> {
        let render = Render {
            base: "",
            subscriptions: true,
            sms_null: false,
            fields: None,
        };
        self.accounts
            .get(account_id)
            .map(|a| a.profiles.iter().map(|p| p.resource(&render)).collect())
            .unwrap_or_default()
    }

    pub(super) fn list_members(&self, account_id: &str, list_id: &str) -> Vec<String> {
        self.accounts
            .get(account_id)
            .and_then(|a| a.lists.iter().find(|l| l.spec.id == list_id))
            .map(|l| l.members.clone())
            .unwrap_or_default()
    }

    pub(super) fn events(&self, account_id: &str) -> Vec<Value> {
        self.accounts
            .get(account_id)
            .map(|a| a.events.clone())
            .unwrap_or_default()
    }

    pub(super) fn outbox(&self, account_id: &str) -> Vec<Value> {
        self.accounts
            .get(account_id)
            .map(|a| a.outbox.clone())
            .unwrap_or_default()
    }
}

pub(super) struct Inner {
    state: Mutex<State>,
}

impl Inner {
    pub(super) fn new(faults: KlaviyoFaults, log_capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                faults,
                clock: Clock::default(),
                accounts: BTreeMap::new(),
                keys: HashMap::new(),
                windows: HashMap::new(),
                requests: VecDeque::new(),
                log_capacity: log_capacity.max(1),
                dropped: 0,
                next_seq: 1,
            }),
        }
    }

    /// The state as it stands (for the log, faults and clock).
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state with the subscribe jobs that are due applied: what a reader sees now.
    pub(super) fn live(&self) -> MutexGuard<'_, State> {
        let mut state = self.lock();
        state.settle();
        state
    }
}
