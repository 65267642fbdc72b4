//! One account's data (`Account`): its spec and countries, lists, profiles, events, outbox,
//! and the subscribe jobs and confirmations waiting; finding profiles, creating or updating
//! one by its identifiers (`profile-import`), and the account resource (`GET /api/accounts`).

use super::ids::new_id;
use super::lists::ListState;
use super::profile::{Profile, Render};
use super::spec::OptIn;
use super::subscriptions::{PendingOptIn, Queued};
use super::{KlaviyoAccountSpec, Sort};
use crate::klaviyo::phone::Phone;
use crate::klaviyo::query::Condition;
use crate::klaviyo::KLAVIYO_DEFAULT_COUNTRIES;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Why a profile write was refused.
pub(in crate::klaviyo) enum ProfileError {
    /// `data.id` names no profile.
    UnknownId(String),
    /// The identifiers point at another profile than the one being written.
    Duplicate(String),
}

pub(in crate::klaviyo) struct Account {
    pub(super) spec: KlaviyoAccountSpec,
    pub(super) created_ms: i64,
    pub(super) countries: BTreeSet<String>,
    pub(super) lists: Vec<ListState>,
    pub(super) profiles: Vec<Profile>,
    pub(super) events: Vec<Value>,
    pub(super) event_keys: HashSet<(String, String, String)>,
    pub(super) metrics: BTreeMap<String, String>,
    pub(super) outbox: Vec<Value>,
    pub(super) pending: Vec<PendingOptIn>,
    pub(super) jobs: Vec<Queued>,
}

impl Account {
    pub(super) fn new(spec: KlaviyoAccountSpec, now: i64) -> Self {
        let mut account = Self {
            spec: spec.clone(),
            created_ms: now,
            countries: BTreeSet::new(),
            lists: Vec::new(),
            profiles: Vec::new(),
            events: Vec::new(),
            event_keys: HashSet::new(),
            metrics: BTreeMap::new(),
            outbox: Vec::new(),
            pending: Vec::new(),
            jobs: Vec::new(),
        };
        account.respec(spec);
        account
    }

    /// Takes a new spec, keeping profiles, events and the members of lists that stay.
    pub(super) fn respec(&mut self, spec: KlaviyoAccountSpec) {
        let mut old: HashMap<String, ListState> = self
            .lists
            .drain(..)
            .map(|l| (l.spec.id.clone(), l))
            .collect();
        self.lists = spec
            .lists
            .iter()
            .map(|l| {
                let kept = old.remove(&l.id);
                ListState {
                    opt_in: OptIn::parse(&l.opt_in_process).ok().flatten(),
                    created_ms: kept.as_ref().map_or(self.created_ms, |k| k.created_ms),
                    members: kept.map(|k| k.members).unwrap_or_default(),
                    spec: l.clone(),
                }
            })
            .collect();
        self.countries = if spec.supported_countries.is_empty() {
            KLAVIYO_DEFAULT_COUNTRIES
                .iter()
                .map(|c| (*c).to_owned())
                .collect()
        } else {
            spec.supported_countries
                .iter()
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
        self.spec = spec;
    }

    pub(in crate::klaviyo) fn spec(&self) -> &KlaviyoAccountSpec {
        &self.spec
    }

    pub(in crate::klaviyo) fn has_list(&self, list_id: &str) -> bool {
        self.lists.iter().any(|l| l.spec.id == list_id)
    }

    pub(super) fn list_mut(&mut self, list_id: Option<&str>) -> Option<&mut ListState> {
        let id = list_id?;
        self.lists.iter_mut().find(|l| l.spec.id == id)
    }

    /// Whether Klaviyo stores SMS consent for this number here.
    pub(super) fn sms_allowed(&self, phone: &Phone) -> bool {
        self.spec.sms_enabled && phone.country().is_some_and(|c| self.countries.contains(c))
    }

    pub(super) fn index_of(&self, field: &str, value: &str) -> Option<usize> {
        self.profiles.iter().position(|p| p.has(field, value))
    }

    pub(super) fn create_profile(&mut self, now: i64) -> usize {
        self.profiles.push(Profile::new(new_id(now), now));
        self.profiles.len() - 1
    }

    /// Profiles matching every condition, in `sort` order (default: as created).
    pub(in crate::klaviyo) fn find_profiles(
        &self,
        conditions: &[Condition],
        sort: Option<&Sort>,
        render: &Render,
    ) -> Vec<Value> {
        let mut found: Vec<&Profile> = self
            .profiles
            .iter()
            .filter(|p| {
                conditions
                    .iter()
                    .all(|c| c.values.iter().any(|v| p.has(&c.field, v)))
            })
            .collect();
        if let Some(sort) = sort {
            found.sort_by(|a, b| {
                let order = match sort.field.as_str() {
                    "created" => a.created_ms.cmp(&b.created_ms),
                    "updated" => a.updated_ms.cmp(&b.updated_ms),
                    "id" => a.id.cmp(&b.id),
                    field => a.text(field).cmp(&b.text(field)),
                };
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        found.into_iter().map(|p| p.resource(render)).collect()
    }

    pub(in crate::klaviyo) fn profile(&self, index: usize, render: &Render) -> Value {
        self.profiles[index].resource(render)
    }

    /// Create or update (`POST /api/profile-import`): the profile `id` names, else the one an
    /// identifier (`external_id`, `email`, `phone_number`) finds. Returns its index and
    /// whether it was created.
    pub(in crate::klaviyo) fn import_profile(
        &mut self,
        id: Option<&str>,
        attributes: &Map<String, Value>,
        now: i64,
    ) -> Result<(usize, bool), ProfileError> {
        let mut target = match id {
            Some(id) => Some(
                self.index_of("id", id)
                    .ok_or_else(|| ProfileError::UnknownId(id.to_owned()))?,
            ),
            None => None,
        };
        for field in ["external_id", "email", "phone_number"] {
            let Some(value) = attributes.get(field).and_then(Value::as_str) else {
                continue;
            };
            let hits: Vec<usize> = (0..self.profiles.len())
                .filter(|i| self.profiles[*i].has(field, value))
                .collect();
            match target {
                None => target = hits.first().copied(),
                Some(t) if !hits.is_empty() && !hits.contains(&t) => {
                    return Err(ProfileError::Duplicate(self.profiles[hits[0]].id.clone()));
                }
                Some(_) => {}
            }
        }
        let created = target.is_none();
        let index = target.unwrap_or_else(|| self.create_profile(now));
        self.profiles[index].apply(attributes, now);
        Ok((index, created))
    }

    pub(in crate::klaviyo) fn resource(&self, base: &str) -> Value {
        let id = &self.spec.account_id;
        json!({
            "type": "account",
            "id": id,
            "attributes": {
                "test_account": true,
                "contact_information": {
                    "default_sender_name": format!("{id} (Klaviyo sandbox)"),
                    "default_sender_email": format!("{}@example.com", id.to_ascii_lowercase()),
                    "website_url": "https://example.com",
                    "organization_name": format!("{id} (Klaviyo sandbox)"),
                    "street_address": {
                        "address1": "1 Example Street", "address2": null, "city": "Boston",
                        "region": "MA", "country": "US", "zip": "02110",
                    },
                },
                "industry": "Retail",
                "timezone": "America/New_York",
                "preferred_currency": "USD",
                "public_api_key": id,
                "locale": "en-US",
            },
            "links": {"self": format!("{base}/api/accounts/{id}/")},
        })
    }
}
