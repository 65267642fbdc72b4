//! The Klaviyo sandbox's memory, behind one mutex (a test double: one lock keeps its answers
//! consistent): accounts with their keys and scopes, lists, profiles with their SMS and email
//! consent, events, the simulated SMS outbox, subscribe jobs waiting to be applied, double
//! opt-ins waiting for the shopper's YES; the rate-limit windows, the request log, the fault
//! switches and the clock. What a request *does* to an account lives here; `api` owns HTTP
//! (parsing, validation, status codes) and must be the only caller of the request paths.

use super::clock::{iso, Clock};
use super::phone::Phone;
use super::query::{mask_query, Condition};
use super::KLAVIYO_DEFAULT_COUNTRIES;
use crate::{mask, Recorded};
use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

/// A Klaviyo account as the sandbox knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KlaviyoAccountSpec {
    /// Also the account's public API key (site ID), as in Klaviyo.
    pub account_id: String,
    #[serde(default)]
    pub keys: Vec<KlaviyoKeySpec>,
    #[serde(default)]
    pub lists: Vec<KlaviyoListSpec>,
    /// Whether SMS is set up in the account (without it, no SMS consent is stored).
    #[serde(default = "enabled")]
    pub sms_enabled: bool,
    /// ISO 3166 alpha-2 codes where SMS consent is stored; empty: [`KLAVIYO_DEFAULT_COUNTRIES`].
    #[serde(default)]
    pub supported_countries: Vec<String>,
}

fn enabled() -> bool {
    true
}

impl KlaviyoAccountSpec {
    /// What the control API refuses to add.
    pub fn validate(&self) -> Result<(), String> {
        if self.account_id.trim().is_empty() {
            return Err("account_id is required".into());
        }
        if self.keys.iter().any(|k| k.key.trim().is_empty()) {
            return Err("every key needs a non-empty key".into());
        }
        for list in &self.lists {
            if list.id.trim().is_empty() {
                return Err("every list needs an id".into());
            }
            OptIn::parse(&list.opt_in_process).map_err(|e| format!("list {}: {e}", list.id))?;
        }
        if let Some(bad) = self
            .supported_countries
            .iter()
            .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(format!("{bad:?} is not an ISO 3166 alpha-2 country code"));
        }
        Ok(())
    }
}

/// A private API key and the scopes it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoKeySpec {
    /// `pk_...`
    pub key: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoListSpec {
    pub id: String,
    pub name: String,
    /// `single_opt_in` or `double_opt_in` (blank: unset, shown as `null`, and the account
    /// default, double, applies).
    #[serde(default)]
    pub opt_in_process: String,
}

/// Requests allowed per window, for every endpoint (0 turns a window off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoLimits {
    /// Per second.
    pub burst: u32,
    /// Per minute.
    pub steady: u32,
}

/// The fault switches and the sandbox's tunable behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KlaviyoFaults {
    /// Added before every `/api` answer.
    pub latency_ms: u64,
    /// The status injected failures answer with (429 gets `Retry-After`; 502, 504 and
    /// 520–524 an HTML page, as Cloudflare sends; others Klaviyo's JSON error body).
    pub error_status: u16,
    /// Share of `/api` requests (0 to 1) that fail with `error_status`.
    pub error_rate: f64,
    /// The next N `/api` requests fail with `error_status` (deterministic, for tests).
    pub fail_next: u32,
    /// How long after its 202 a subscribe job is applied (0: before the next request).
    pub subscribe_delay_ms: u64,
    /// Added after a write was made and logged, before its answer goes out.
    pub answer_delay_ms: u64,
    /// Replaces every endpoint's limits (e.g. shrunk for tests); `None`: Klaviyo's.
    pub limits: Option<KlaviyoLimits>,
    /// Subscriptions show `"sms": null`, to test a client's null handling.
    pub sms_null: bool,
    /// Every `/api` request gets Cloudflare's bot challenge: 403 `text/html` with
    /// `cf-mitigated: challenge`.
    pub html_challenge: bool,
    /// `Authorization: Bearer ...` gets Cloudflare's HTML 400 instead of the JSON 401.
    pub bearer_html: bool,
}

impl Default for KlaviyoFaults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_status: 503,
            error_rate: 0.0,
            fail_next: 0,
            subscribe_delay_ms: 0,
            answer_delay_ms: 0,
            limits: None,
            sms_null: false,
            html_challenge: false,
            bearer_html: false,
        }
    }
}

impl KlaviyoFaults {
    /// Takes every field the patch sets.
    pub fn apply(&mut self, patch: KlaviyoFaultsPatch) {
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(v) = patch.$field { self.$field = v; })* };
        }
        apply!(
            latency_ms,
            error_status,
            error_rate,
            fail_next,
            subscribe_delay_ms,
            answer_delay_ms,
            limits,
            sms_null,
            html_challenge,
            bearer_html
        );
    }
}

/// A partial change to [`KlaviyoFaults`] (`PUT /sandbox/klaviyo/faults`): absent fields
/// stay as they are; `"limits": null` restores Klaviyo's limits.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KlaviyoFaultsPatch {
    pub latency_ms: Option<u64>,
    pub error_status: Option<u16>,
    pub error_rate: Option<f64>,
    pub fail_next: Option<u32>,
    pub subscribe_delay_ms: Option<u64>,
    pub answer_delay_ms: Option<u64>,
    #[serde(deserialize_with = "present")]
    pub limits: Option<Option<KlaviyoLimits>>,
    pub sms_null: Option<bool>,
    pub html_challenge: Option<bool>,
    pub bearer_html: Option<bool>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl KlaviyoFaultsPatch {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(rate) = self.error_rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err("error_rate must be from 0 to 1".into());
            }
        }
        if let Some(status) = self.error_status {
            if !(400..=599).contains(&status) {
                return Err("error_status must be from 400 to 599".into());
            }
        }
        Ok(())
    }
}

/// A list's opt-in process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OptIn {
    Single,
    Double,
}

impl OptIn {
    /// Blank is a list without a setting (`null`).
    fn parse(text: &str) -> Result<Option<Self>, String> {
        match text {
            "single_opt_in" => Ok(Some(Self::Single)),
            "double_opt_in" => Ok(Some(Self::Double)),
            "" => Ok(None),
            other => Err(format!(
                "opt_in_process {other:?} is not single_opt_in or double_opt_in"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum ConsentStatus {
    #[default]
    NeverSubscribed,
    Subscribed,
    Unsubscribed,
}

impl ConsentStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::NeverSubscribed => "NEVER_SUBSCRIBED",
            Self::Subscribed => "SUBSCRIBED",
            Self::Unsubscribed => "UNSUBSCRIBED",
        }
    }
}

/// One channel's consent on a profile.
#[derive(Debug, Clone, Default)]
struct Consent {
    status: ConsentStatus,
    timestamp: Option<i64>,
    method: Option<String>,
    method_detail: String,
    last_updated: Option<i64>,
}

impl Consent {
    /// Records consent given at `at`; an existing consent is left as it is [fake policy].
    fn subscribe(&mut self, at: i64, now: i64, source: Option<&str>) {
        if self.status == ConsentStatus::Subscribed {
            return;
        }
        *self = Self {
            status: ConsentStatus::Subscribed,
            timestamp: Some(at),
            method: Some("API".into()),
            method_detail: source.unwrap_or_default().to_owned(),
            last_updated: Some(now),
        };
    }

    fn render(&self, can_receive_key: &str) -> Value {
        let mut out = Map::new();
        out.insert("consent".into(), self.status.as_str().into());
        out.insert(
            can_receive_key.into(),
            (self.status == ConsentStatus::Subscribed).into(),
        );
        out.insert("consent_timestamp".into(), self.timestamp.map(iso).into());
        out.insert("method".into(), self.method.clone().into());
        out.insert("method_detail".into(), self.method_detail.clone().into());
        out.insert("last_updated".into(), self.last_updated.map(iso).into());
        Value::Object(out)
    }
}

/// Profile attributes that hold text (identifiers first).
pub(super) const TEXT_ATTRIBUTES: &[&str] = &[
    "email",
    "phone_number",
    "external_id",
    "anonymous_id",
    "first_name",
    "last_name",
    "organization",
    "locale",
    "title",
    "image",
];

pub(super) const LOCATION_FIELDS: &[&str] = &[
    "address1",
    "address2",
    "city",
    "country",
    "region",
    "zip",
    "timezone",
    "ip",
    "latitude",
    "longitude",
];

struct Profile {
    id: String,
    /// Only what was set: text attributes, `location`, `properties`.
    attributes: Map<String, Value>,
    created_ms: i64,
    updated_ms: i64,
    last_event_ms: Option<i64>,
    sms: Consent,
    sms_transactional: Consent,
    email: Consent,
}

impl Profile {
    fn new(id: String, now: i64) -> Self {
        Self {
            id,
            attributes: Map::new(),
            created_ms: now,
            updated_ms: now,
            last_event_ms: None,
            sms: Consent::default(),
            sms_transactional: Consent::default(),
            email: Consent::default(),
        }
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).and_then(Value::as_str)
    }

    fn phone(&self) -> Option<Phone> {
        self.text("phone_number").and_then(Phone::parse)
    }

    /// Whether the profile's `field` is `value` (emails compare without case).
    fn has(&self, field: &str, value: &str) -> bool {
        match field {
            "id" => self.id == value,
            "email" => self
                .text("email")
                .is_some_and(|e| e.eq_ignore_ascii_case(value)),
            _ => self.text(field) == Some(value),
        }
    }

    /// Sets what `attributes` sets: `null` clears; `location` and `properties` merge key by
    /// key (a `null` inside removes that key; `null` for the whole object clears it).
    fn apply(&mut self, attributes: &Map<String, Value>, now: i64) {
        for (key, value) in attributes {
            match (key.as_str(), value) {
                (_, Value::Null) => {
                    self.attributes.remove(key);
                }
                ("location" | "properties", Value::Object(fields)) => {
                    let entry = self
                        .attributes
                        .entry(key.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(existing) = entry {
                        for (k, v) in fields {
                            if v.is_null() {
                                existing.remove(k);
                            } else {
                                existing.insert(k.clone(), v.clone());
                            }
                        }
                    }
                }
                _ => {
                    self.attributes.insert(key.clone(), value.clone());
                }
            }
        }
        self.updated_ms = now;
    }

    fn resource(&self, render: &Render) -> Value {
        let mut attributes = Map::new();
        for key in TEXT_ATTRIBUTES.iter().filter(|k| **k != "anonymous_id") {
            attributes.insert(
                (*key).into(),
                self.attributes.get(*key).cloned().unwrap_or(Value::Null),
            );
        }
        attributes.insert("created".into(), iso(self.created_ms).into());
        attributes.insert("updated".into(), iso(self.updated_ms).into());
        attributes.insert("last_event_date".into(), self.last_event_ms.map(iso).into());
        let stored = self.attributes.get("location").and_then(Value::as_object);
        let location: Map<String, Value> = LOCATION_FIELDS
            .iter()
            .map(|k| {
                let v = stored.and_then(|l| l.get(*k)).cloned();
                ((*k).to_owned(), v.unwrap_or(Value::Null))
            })
            .collect();
        attributes.insert("location".into(), Value::Object(location));
        attributes.insert(
            "properties".into(),
            self.attributes
                .get("properties")
                .cloned()
                .unwrap_or_else(|| json!({})),
        );
        if render.subscriptions {
            attributes.insert("subscriptions".into(), self.subscriptions(render.sms_null));
        }
        if let Some(fields) = render.fields {
            attributes.retain(|k, _| fields.iter().any(|f| f == k));
        }
        json!({
            "type": "profile",
            "id": self.id,
            "attributes": attributes,
            "links": {"self": format!("{}/api/profiles/{}/", render.base, self.id)},
        })
    }

    fn subscriptions(&self, sms_null: bool) -> Value {
        let mut email = self.email.render("can_receive_email_marketing");
        if let Value::Object(e) = &mut email {
            e.insert("custom_method_detail".into(), Value::Null);
            e.insert("double_optin".into(), Value::Null);
            e.insert("suppression".into(), json!([]));
            e.insert("list_suppressions".into(), json!([]));
        }
        let sms = if sms_null {
            Value::Null
        } else {
            json!({
                "marketing": self.sms.render("can_receive_sms_marketing"),
                "transactional": self.sms_transactional.render("can_receive_sms_transactional"),
            })
        };
        json!({"email": {"marketing": email}, "sms": sms})
    }
}

/// How a profile resource is shown.
pub(super) struct Render<'a> {
    /// `http://host:port`, for `links`.
    pub base: &'a str,
    pub subscriptions: bool,
    pub sms_null: bool,
    /// Sparse fieldset: only these attributes.
    pub fields: Option<&'a [String]>,
}

/// A collection's order: a field, ascending unless `descending`.
pub(super) struct Sort {
    pub field: String,
    pub descending: bool,
}

struct ListState {
    spec: KlaviyoListSpec,
    opt_in: Option<OptIn>,
    created_ms: i64,
    members: Vec<String>,
}

impl ListState {
    fn resource(&self, base: &str, profile_count: bool) -> Value {
        let mut attributes = json!({
            "name": self.spec.name,
            "created": iso(self.created_ms),
            "updated": iso(self.created_ms),
            "opt_in_process": match self.opt_in {
                Some(OptIn::Single) => Value::from("single_opt_in"),
                Some(OptIn::Double) => Value::from("double_opt_in"),
                None => Value::Null,
            },
        });
        if profile_count {
            attributes["profile_count"] = self.members.len().into();
        }
        json!({
            "type": "list",
            "id": self.spec.id,
            "attributes": attributes,
            "links": {"self": format!("{base}/api/lists/{}/", self.spec.id)},
        })
    }

    fn join(&mut self, profile_id: &str) {
        if !self.members.iter().any(|m| m == profile_id) {
            self.members.push(profile_id.to_owned());
        }
    }
}

/// A requested subscription to one channel (`consented_at` only for historical imports).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Channel {
    pub consented_at: Option<i64>,
}

/// One profile of a subscribe job, validated.
#[derive(Debug, Clone, Default)]
pub(super) struct JobProfile {
    pub id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Phone>,
    pub sms_marketing: Option<Channel>,
    pub sms_transactional: Option<Channel>,
    pub email_marketing: Option<Channel>,
}

/// A subscribe job, validated, waiting to be applied.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub list_id: Option<String>,
    pub custom_source: Option<String>,
    pub historical: bool,
    pub profiles: Vec<JobProfile>,
}

struct Queued {
    due_ms: i64,
    job: Job,
}

/// A confirmation text sent, waiting for the shopper's YES.
struct PendingOptIn {
    profile_id: String,
    phone: String,
    list_id: Option<String>,
    custom_source: Option<String>,
}

/// An event, validated.
pub(super) struct EventInput {
    pub metric: String,
    pub properties: Map<String, Value>,
    pub time_ms: Option<i64>,
    pub unique_id: Option<String>,
    pub value: Option<Value>,
    pub value_currency: Option<String>,
    pub profile_id: Option<String>,
    pub profile: Map<String, Value>,
}

/// Why a profile write was refused.
pub(super) enum ProfileError {
    /// `data.id` names no profile.
    UnknownId(String),
    /// The identifiers point at another profile than the one being written.
    Duplicate(String),
}

pub(super) struct Account {
    spec: KlaviyoAccountSpec,
    created_ms: i64,
    countries: BTreeSet<String>,
    lists: Vec<ListState>,
    profiles: Vec<Profile>,
    events: Vec<Value>,
    event_keys: HashSet<(String, String, String)>,
    metrics: BTreeMap<String, String>,
    outbox: Vec<Value>,
    pending: Vec<PendingOptIn>,
    jobs: Vec<Queued>,
}

impl Account {
    fn new(spec: KlaviyoAccountSpec, now: i64) -> Self {
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
    fn respec(&mut self, spec: KlaviyoAccountSpec) {
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

    pub(super) fn spec(&self) -> &KlaviyoAccountSpec {
        &self.spec
    }

    pub(super) fn has_list(&self, list_id: &str) -> bool {
        self.lists.iter().any(|l| l.spec.id == list_id)
    }

    fn list_mut(&mut self, list_id: Option<&str>) -> Option<&mut ListState> {
        let id = list_id?;
        self.lists.iter_mut().find(|l| l.spec.id == id)
    }

    /// Whether Klaviyo stores SMS consent for this number here.
    fn sms_allowed(&self, phone: &Phone) -> bool {
        self.spec.sms_enabled && phone.country().is_some_and(|c| self.countries.contains(c))
    }

    fn index_of(&self, field: &str, value: &str) -> Option<usize> {
        self.profiles.iter().position(|p| p.has(field, value))
    }

    fn create_profile(&mut self, now: i64) -> usize {
        self.profiles.push(Profile::new(new_id(now), now));
        self.profiles.len() - 1
    }

    /// Profiles matching every condition, in `sort` order (default: as created).
    pub(super) fn find_profiles(
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

    pub(super) fn profile(&self, index: usize, render: &Render) -> Value {
        self.profiles[index].resource(render)
    }

    /// Create or update (`POST /api/profile-import`): the profile `id` names, else the one an
    /// identifier (`external_id`, `email`, `phone_number`) finds. Returns its index and
    /// whether it was created.
    pub(super) fn import_profile(
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

    /// The profile an event names (by `id`, else `external_id`, `email`, `phone_number`),
    /// created when none matches, updated with the event's profile attributes (identifiers
    /// another profile holds are not taken over).
    fn event_profile(
        &mut self,
        id: Option<&str>,
        attributes: &Map<String, Value>,
        now: i64,
    ) -> Result<usize, ProfileError> {
        let found = match id {
            Some(id) => Some(
                self.index_of("id", id)
                    .ok_or_else(|| ProfileError::UnknownId(id.to_owned()))?,
            ),
            None => ["external_id", "email", "phone_number"]
                .iter()
                .find_map(|f| {
                    let v = attributes.get(*f).and_then(Value::as_str)?;
                    self.index_of(f, v)
                }),
        };
        let index = found.unwrap_or_else(|| self.create_profile(now));
        let mut update = attributes.clone();
        update.retain(|k, v| {
            let taken = v.as_str().is_some_and(|v| {
                ["external_id", "email", "phone_number"].contains(&k.as_str())
                    && self.index_of(k, v).is_some_and(|i| i != index)
            });
            !taken
        });
        self.profiles[index].apply(&update, now);
        Ok(index)
    }

    /// Stores an event unless it repeats one already stored (same profile and metric, and
    /// the same `unique_id`, or without one the same second). Returns whether it was stored.
    pub(super) fn create_event(
        &mut self,
        event: EventInput,
        now: i64,
    ) -> Result<bool, ProfileError> {
        let index = self.event_profile(event.profile_id.as_deref(), &event.profile, now)?;
        let profile_id = self.profiles[index].id.clone();
        let at = event.time_ms.unwrap_or(now).div_euclid(1000) * 1000;
        let key = match &event.unique_id {
            Some(id) => format!("unique_id:{id}"),
            None => format!("time:{}", at / 1000),
        };
        let metric_id = self
            .metrics
            .entry(event.metric.clone())
            .or_insert_with(|| random_text(6))
            .clone();
        if !self
            .event_keys
            .insert((profile_id.clone(), event.metric.clone(), key))
        {
            return Ok(false);
        }
        let profile = &mut self.profiles[index];
        profile.last_event_ms = Some(profile.last_event_ms.map_or(at, |t| t.max(at)));
        self.events.push(json!({
            "type": "event",
            "id": new_id(now),
            "metric": event.metric,
            "metric_id": metric_id,
            "profile_id": profile_id,
            "unique_id": event.unique_id,
            "datetime": iso(at),
            "timestamp": at / 1000,
            "properties": event.properties,
            "value": event.value,
            "value_currency": event.value_currency,
            "received_at_ms": now,
        }));
        Ok(true)
    }

    /// A subscribe job's effects, at `at` (section 14: find or create each profile, then
    /// subscribe at once, or text for confirmation, or store nothing for SMS).
    fn apply_job(&mut self, job: Job, at: i64) {
        let list_opt_in = self
            .list_mut(job.list_id.as_deref())
            .map(|l| l.opt_in.unwrap_or(OptIn::Double));
        let single = job.historical || list_opt_in.unwrap_or(OptIn::Double) == OptIn::Single;
        let source = job.custom_source.as_deref();
        for wanted in &job.profiles {
            let index = self.job_profile(wanted, at);
            let mut joined = false;
            let phone = self.profiles[index].phone().filter(|p| self.sms_allowed(p));
            if let (Some(channel), Some(phone)) = (wanted.sms_marketing, &phone) {
                let profile = &mut self.profiles[index];
                if single || profile.sms.status == ConsentStatus::Subscribed {
                    profile
                        .sms
                        .subscribe(channel.consented_at.unwrap_or(at), at, source);
                    joined = true;
                } else {
                    let profile_id = profile.id.clone();
                    self.send_confirmation(&profile_id, phone, job.list_id.as_deref(), source, at);
                }
            }
            if let (Some(channel), Some(_)) = (wanted.sms_transactional, &phone) {
                self.profiles[index].sms_transactional.subscribe(
                    channel.consented_at.unwrap_or(at),
                    at,
                    source,
                );
            }
            if let Some(channel) = wanted.email_marketing {
                // Email double opt-in (a confirmation email) is not simulated: consent
                // waits, unchanged [fake policy].
                let profile = &mut self.profiles[index];
                if profile.text("email").is_some()
                    && (single || profile.email.status == ConsentStatus::Subscribed)
                {
                    profile
                        .email
                        .subscribe(channel.consented_at.unwrap_or(at), at, source);
                    joined = true;
                }
            }
            if joined {
                let id = self.profiles[index].id.clone();
                if let Some(list) = self.list_mut(job.list_id.as_deref()) {
                    list.join(&id);
                }
            }
        }
    }

    /// The profile a job names: by `id`, then email, then phone; created when none matches.
    /// The job's email and phone are set on it unless another profile holds them.
    fn job_profile(&mut self, wanted: &JobProfile, at: i64) -> usize {
        let phone = wanted.phone.as_ref().map(Phone::as_str);
        let found = wanted
            .id
            .as_deref()
            .and_then(|id| self.index_of("id", id))
            .or_else(|| {
                wanted
                    .email
                    .as_deref()
                    .and_then(|e| self.index_of("email", e))
            })
            .or_else(|| phone.and_then(|p| self.index_of("phone_number", p)));
        let index = found.unwrap_or_else(|| self.create_profile(at));
        let mut update = Map::new();
        for (field, value) in [("email", wanted.email.as_deref()), ("phone_number", phone)] {
            if let Some(value) = value {
                let held_elsewhere = self.index_of(field, value).is_some_and(|i| i != index);
                if !held_elsewhere && !self.profiles[index].has(field, value) {
                    update.insert(field.into(), value.into());
                }
            }
        }
        if !update.is_empty() {
            self.profiles[index].apply(&update, at);
        }
        index
    }

    fn send_confirmation(
        &mut self,
        profile_id: &str,
        phone: &Phone,
        list_id: Option<&str>,
        source: Option<&str>,
        at: i64,
    ) {
        let list_name = self
            .list_mut(list_id)
            .map(|l| l.spec.name.clone())
            .unwrap_or_else(|| "our texts".into());
        self.outbox.push(json!({
            "phone_number": phone.as_str(),
            "list_id": list_id,
            "profile_id": profile_id,
            "at_ms": at,
            "body": format!("Reply Y to confirm your subscription to {list_name}. Msg & data rates may apply. Reply STOP to opt out."),
        }));
        self.pending.push(PendingOptIn {
            profile_id: profile_id.to_owned(),
            phone: phone.as_str().to_owned(),
            list_id: list_id.map(str::to_owned),
            custom_source: source.map(str::to_owned),
        });
    }

    fn confirm(&mut self, phone: &str, now: i64) -> bool {
        let (mine, rest): (Vec<_>, Vec<_>) = self.pending.drain(..).partition(|p| p.phone == phone);
        self.pending = rest;
        for pending in &mine {
            let Some(index) = self.index_of("id", &pending.profile_id) else {
                continue;
            };
            self.profiles[index]
                .sms
                .subscribe(now, now, pending.custom_source.as_deref());
            if let Some(list) = self.list_mut(pending.list_id.as_deref()) {
                list.join(&pending.profile_id);
            }
        }
        !mine.is_empty()
    }

    /// The shopper texted STOP: SMS marketing consent ends for every profile with the
    /// number (list memberships stay [fake policy]); a confirmation still waiting is void.
    fn stop(&mut self, phone: &str, now: i64) -> bool {
        self.pending.retain(|p| p.phone != phone);
        let mut found = false;
        for profile in self
            .profiles
            .iter_mut()
            .filter(|p| p.has("phone_number", phone))
        {
            profile.sms = Consent {
                status: ConsentStatus::Unsubscribed,
                timestamp: Some(now),
                method: Some("TEXT".into()),
                method_detail: "STOP".into(),
                last_updated: Some(now),
            };
            profile.updated_ms = now;
            found = true;
        }
        found
    }

    /// Lists matching every condition (`id`, `name`), in `sort` order (default: as set up).
    pub(super) fn find_lists(
        &self,
        conditions: &[Condition],
        sort: Option<&Sort>,
        base: &str,
    ) -> Vec<Value> {
        let mut found: Vec<&ListState> = self
            .lists
            .iter()
            .filter(|l| {
                conditions.iter().all(|c| {
                    c.values.iter().any(|v| match c.field.as_str() {
                        "id" => &l.spec.id == v,
                        _ => &l.spec.name == v,
                    })
                })
            })
            .collect();
        if let Some(sort) = sort {
            found.sort_by(|a, b| {
                let order = match sort.field.as_str() {
                    "name" => a.spec.name.cmp(&b.spec.name),
                    "id" => a.spec.id.cmp(&b.spec.id),
                    _ => a.created_ms.cmp(&b.created_ms),
                };
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        found.into_iter().map(|l| l.resource(base, false)).collect()
    }

    pub(super) fn list(&self, list_id: &str, base: &str, profile_count: bool) -> Option<Value> {
        self.lists
            .iter()
            .find(|l| l.spec.id == list_id)
            .map(|l| l.resource(base, profile_count))
    }

    pub(super) fn resource(&self, base: &str) -> Value {
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

/// Rate-limit counters of one endpoint of one account: two fixed windows, each starting
/// at its first request.
#[derive(Default)]
struct Windows {
    burst: Window,
    steady: Window,
}

#[derive(Default)]
struct Window {
    start_ms: i64,
    count: u32,
}

const BURST_MS: i64 = 1_000;
const STEADY_MS: i64 = 60_000;

impl Window {
    fn roll(&mut self, now: i64, len: i64) {
        if self.count == 0 || now >= self.start_ms + len {
            self.start_ms = now;
            self.count = 0;
        }
    }

    /// Whole seconds (at least 1) until the window ends.
    fn reset_secs(&self, now: i64, len: i64) -> u64 {
        let left = (self.start_ms + len - now).max(1);
        (left as u64).div_ceil(1000)
    }
}

/// The `RateLimit-*` headers' values, for the steady window.
#[derive(Debug, Clone, Copy)]
pub(super) struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

pub(super) enum Admission {
    Admitted(Option<RateHeaders>),
    Throttled { retry_after: u64 },
}

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

    /// Applies the subscribe jobs that are due, oldest first.
    pub(super) fn settle(&mut self) {
        let now = self.now_ms();
        for account in self.accounts.values_mut() {
            if !account.jobs.iter().any(|q| q.due_ms <= now) {
                continue;
            }
            let (due, later): (Vec<_>, Vec<_>) =
                account.jobs.drain(..).partition(|q| q.due_ms <= now);
            account.jobs = later;
            for queued in due {
                account.apply_job(queued.job, queued.due_ms);
            }
        }
    }

    /// Queues a subscribe job, applied after the configured delay.
    pub(super) fn enqueue(&mut self, account_id: &str, job: Job) {
        let due_ms = self.now_ms() + self.faults.subscribe_delay_ms as i64;
        if let Some(account) = self.accounts.get_mut(account_id) {
            account.jobs.push(Queued { due_ms, job });
        }
    }

    pub(super) fn confirm(&mut self, account_id: &str, phone: &str) -> bool {
        let now = self.now_ms();
        self.accounts
            .get_mut(account_id)
            .is_some_and(|a| a.confirm(phone, now))
    }

    pub(super) fn stop(&mut self, account_id: &str, phone: &str) -> bool {
        let now = self.now_ms();
        self.accounts
            .get_mut(account_id)
            .is_some_and(|a| a.stop(phone, now))
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

    /// Counts a request against its endpoint's windows, or refuses it.
    pub(super) fn admit(
        &mut self,
        account: &str,
        endpoint: &'static str,
        limits: KlaviyoLimits,
    ) -> Admission {
        let now = self.now_ms();
        let limits = self.faults.limits.unwrap_or(limits);
        let w = self
            .windows
            .entry((account.to_owned(), endpoint))
            .or_default();
        w.burst.roll(now, BURST_MS);
        w.steady.roll(now, STEADY_MS);
        let mut retry_after = 0;
        if limits.burst > 0 && w.burst.count >= limits.burst {
            retry_after = w.burst.reset_secs(now, BURST_MS);
        }
        if limits.steady > 0 && w.steady.count >= limits.steady {
            retry_after = retry_after.max(w.steady.reset_secs(now, STEADY_MS));
        }
        if retry_after > 0 {
            return Admission::Throttled { retry_after };
        }
        w.burst.count += 1;
        w.steady.count += 1;
        Admission::Admitted(headers(w, limits, now))
    }

    /// The headers for an answer given before the request was counted.
    pub(super) fn peek(
        &mut self,
        account: &str,
        endpoint: &'static str,
        limits: KlaviyoLimits,
    ) -> Option<RateHeaders> {
        let now = self.now_ms();
        let limits = self.faults.limits.unwrap_or(limits);
        let w = self
            .windows
            .entry((account.to_owned(), endpoint))
            .or_default();
        w.steady.roll(now, STEADY_MS);
        headers(w, limits, now)
    }

    /// Logs a request with its personal data masked; the oldest entry goes when full. An
    /// event's metric name is not a person's, so it stays readable.
    pub(super) fn record(&mut self, mut request: Recorded) {
        const METRIC_NAME: &str = "/data/attributes/metric/data/attributes/name";
        request.body = request.body.map(|body| {
            let metric = body.pointer(METRIC_NAME).cloned();
            let mut masked = mask::json(body);
            if let (Some(name), Some(slot)) = (metric, masked.pointer_mut(METRIC_NAME)) {
                *slot = name;
            }
            masked
        });
        request.query = request.query.as_deref().map(mask_query);
        request.seq = self.next_seq;
        self.next_seq += 1;
        if self.requests.len() >= self.log_capacity {
            self.requests.pop_front();
            self.dropped += 1;
        }
        self.requests.push_back(request);
    }

    pub(super) fn requests(&self) -> Vec<Recorded> {
        self.requests.iter().cloned().collect()
    }

    pub(super) fn dropped_requests(&self) -> u64 {
        self.dropped
    }

    pub(super) fn clear_requests(&mut self) {
        self.requests.clear();
    }
}

fn headers(w: &Windows, limits: KlaviyoLimits, now: i64) -> Option<RateHeaders> {
    (limits.steady > 0).then(|| RateHeaders {
        limit: limits.steady,
        remaining: limits.steady.saturating_sub(w.steady.count),
        reset_secs: if w.steady.count == 0 {
            (STEADY_MS / 1000) as u64
        } else {
            w.steady.reset_secs(now, STEADY_MS)
        },
    })
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

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ULID-like ID as Klaviyo gives profiles and events (`01GDDKASAP8TKDDA2GRZDSVP4H`):
/// 10 characters of time, 16 random.
fn new_id(now_ms: i64) -> String {
    let mut rng = rand::rng();
    let time = now_ms.max(0) as u64;
    (0..10)
        .rev()
        .map(|i| CROCKFORD[((time >> (5 * i)) & 31) as usize])
        .chain((0..16).map(|_| CROCKFORD[rng.random_range(0..32)]))
        .map(char::from)
        .collect()
}

fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// An error ID in UUID form.
pub(super) fn error_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(burst: u32, steady: u32) -> KlaviyoLimits {
        KlaviyoLimits { burst, steady }
    }

    #[test]
    fn both_windows_limit_and_reset() {
        let mut state = Inner::new(KlaviyoFaults::default(), 10)
            .state
            .into_inner()
            .unwrap();
        state.clock.freeze(true);
        let admitted = |a: Admission| matches!(a, Admission::Admitted(_));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(matches!(
            state.admit("A", "e", limits(2, 3)),
            Admission::Throttled { retry_after: 1 }
        ));
        assert!(admitted(state.admit("B", "e", limits(2, 3))), "per account");
        assert!(
            admitted(state.admit("A", "f", limits(2, 3))),
            "per endpoint"
        );
        state.clock.advance(std::time::Duration::from_secs(1));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(matches!(
            state.admit("A", "e", limits(2, 3)),
            Admission::Throttled { retry_after: 59 }
        ));
        state.clock.advance(std::time::Duration::from_secs(59));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
    }

    #[test]
    fn ids_look_like_klaviyos() {
        let id = new_id(1_700_000_000_000);
        assert_eq!(id.len(), 26);
        assert!(id.bytes().all(|b| CROCKFORD.contains(&b)));
        let uuid = error_id();
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.matches('-').count(), 4);
    }

    #[test]
    fn fault_patches_set_and_clear_limits() {
        let mut faults = KlaviyoFaults::default();
        let patch: KlaviyoFaultsPatch =
            serde_json::from_str(r#"{"limits": {"burst": 2, "steady": 5}}"#).unwrap();
        faults.apply(patch);
        assert_eq!(faults.limits, Some(limits(2, 5)));
        faults.apply(serde_json::from_str(r#"{"fail_next": 1}"#).unwrap());
        assert_eq!(faults.limits, Some(limits(2, 5)), "absent: unchanged");
        faults.apply(serde_json::from_str(r#"{"limits": null}"#).unwrap());
        assert_eq!(faults.limits, None);
        assert!(serde_json::from_str::<KlaviyoFaultsPatch>(r#"{"limit": 1}"#).is_err());
    }
}
