//! The sandbox's memory: stores with their secrets, lists and forms; issued tokens;
//! customers (each upsert becomes visible to reads only after the visibility delay);
//! subscribers; per-store request windows for the rate limits; Reviews / Visual UGC v1
//! utokens and imported images and videos; the request log; the fault switches. Everything
//! sits behind one mutex: the sandbox is a test double, and a single lock keeps its answers
//! consistent.

use super::{mask, VISUAL_UGC_RATE_LIMIT_PER_MINUTE, YOTPO_VISIBILITY_DELAY};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A Yotpo account as the sandbox knows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxStore {
    pub store_id: String,
    pub secret: String,
    #[serde(default)]
    pub lists: Vec<SmsListSpec>,
    #[serde(default)]
    pub forms: Vec<SignupFormSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmsListSpec {
    pub id: u64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignupFormSpec {
    pub form_id: u64,
    /// Blank: the sandbox's own stand-in script (`/forms/{store_id}/form_{id}.js`).
    #[serde(default)]
    pub script_source: String,
    /// The list the form subscribes to (default: the store's first list).
    #[serde(default)]
    pub list_id: Option<u64>,
    #[serde(default = "published")]
    pub status: String,
}

fn published() -> String {
    "published".into()
}

/// The fault switches and the sandbox's tunable behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Added before every Yotpo answer.
    pub latency_ms: u64,
    /// The status injected failures answer with (e.g. 500, 503, 429).
    pub error_status: u16,
    /// Share of Yotpo requests (0 to 1) that fail with `error_status`.
    pub error_rate: f64,
    /// The next N Yotpo requests fail with `error_status` (deterministic, for tests).
    pub fail_next: u32,
    /// How long an access token stays valid. Yotpo documents 14 days for v1 tokens.
    pub token_ttl_secs: u64,
    /// How long an upserted customer stays invisible to reads (Yotpo: about 60 s).
    pub visibility_delay_ms: u64,
    /// Requests per second per store before 429 (Yotpo: 5; Yotpo Loyalty twice that, 10).
    /// 0 turns the limits off.
    pub rate_limit_per_second: u32,
    /// Added after a write was made and logged, before its answer goes out: the caller
    /// hears late (or never, if it dies meanwhile) about a change that happened.
    #[serde(default)]
    pub answer_delay_ms: u64,
    /// The same for Yotpo Loyalty's writes only (recording an action).
    #[serde(default)]
    pub loyalty_answer_delay_ms: u64,
    /// Reviews / Visual UGC v1 (`/oauth/token`, `/v1/apps/...`): while set, every such
    /// request answers with this status (e.g. 500). Set with [`ReviewsFaultsPatch`].
    #[serde(default)]
    pub reviews_status: Option<u16>,
    /// The next N Reviews / Visual UGC requests fail with `error_status`.
    #[serde(default)]
    pub reviews_fail_next: u32,
    /// While set, video imports (only) answer with this status: videos fail while images
    /// go through. Set with [`ReviewsFaultsPatch`].
    #[serde(default)]
    pub reviews_video_status: Option<u16>,
    /// Reviews / Visual UGC requests per minute per app key before 429 (Yotpo: 5,000).
    /// 0 turns the limit off.
    #[serde(default = "visual_ugc_rate_limit")]
    pub reviews_rate_limit_per_minute: u32,
}

fn visual_ugc_rate_limit() -> u32 {
    VISUAL_UGC_RATE_LIMIT_PER_MINUTE
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_status: 503,
            error_rate: 0.0,
            fail_next: 0,
            token_ttl_secs: 14 * 24 * 3600,
            visibility_delay_ms: YOTPO_VISIBILITY_DELAY.as_millis() as u64,
            rate_limit_per_second: 5,
            answer_delay_ms: 0,
            loyalty_answer_delay_ms: 0,
            reviews_status: None,
            reviews_fail_next: 0,
            reviews_video_status: None,
            reviews_rate_limit_per_minute: VISUAL_UGC_RATE_LIMIT_PER_MINUTE,
        }
    }
}

impl Faults {
    /// Takes every field the patch sets.
    pub fn apply(&mut self, patch: FaultsPatch) {
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(v) = patch.$field { self.$field = v; })* };
        }
        apply!(
            latency_ms,
            error_status,
            error_rate,
            fail_next,
            token_ttl_secs,
            visibility_delay_ms,
            rate_limit_per_second,
            answer_delay_ms,
            loyalty_answer_delay_ms
        );
    }

    /// Takes every Reviews / Visual UGC field the patch sets.
    pub fn apply_reviews(&mut self, patch: ReviewsFaultsPatch) {
        if let Some(status) = patch.reviews_status {
            self.reviews_status = status;
        }
        if let Some(n) = patch.reviews_fail_next {
            self.reviews_fail_next = n;
        }
        if let Some(status) = patch.reviews_video_status {
            self.reviews_video_status = status;
        }
        if let Some(limit) = patch.reviews_rate_limit_per_minute {
            self.reviews_rate_limit_per_minute = limit;
        }
    }
}

/// A partial change to [`Faults`] (`PUT /sandbox/faults`): absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultsPatch {
    pub latency_ms: Option<u64>,
    pub error_status: Option<u16>,
    pub error_rate: Option<f64>,
    pub fail_next: Option<u32>,
    pub token_ttl_secs: Option<u64>,
    pub visibility_delay_ms: Option<u64>,
    pub rate_limit_per_second: Option<u32>,
    pub answer_delay_ms: Option<u64>,
    pub loyalty_answer_delay_ms: Option<u64>,
}

impl FaultsPatch {
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

/// A partial change to the Reviews / Visual UGC fields of [`Faults`] (`PUT /sandbox/faults`
/// takes these `reviews_*` keys beside [`FaultsPatch`]'s): absent fields stay as they are;
/// `"reviews_status": null` turns the forced status off.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewsFaultsPatch {
    #[serde(deserialize_with = "present")]
    pub reviews_status: Option<Option<u16>>,
    pub reviews_fail_next: Option<u32>,
    #[serde(deserialize_with = "present")]
    pub reviews_video_status: Option<Option<u16>>,
    pub reviews_rate_limit_per_minute: Option<u32>,
}

impl ReviewsFaultsPatch {
    pub fn validate(&self) -> Result<(), String> {
        for (name, status) in [
            ("reviews_status", self.reviews_status),
            ("reviews_video_status", self.reviews_video_status),
        ] {
            if let Some(Some(status)) = status {
                if !(400..=599).contains(&status) {
                    return Err(format!("{name} must be from 400 to 599, or null"));
                }
            }
        }
        Ok(())
    }
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// One Yotpo request the sandbox received, and its answer's status. Personal data in the
/// body and query is masked ([`mask`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recorded {
    pub seq: u64,
    /// Unix time in milliseconds when the request arrived.
    pub at_ms: i64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub store_id: Option<String>,
    pub status: u16,
    /// The JSON body, when there was one.
    pub body: Option<Value>,
}

pub(super) struct Inner {
    state: Mutex<State>,
}

struct State {
    faults: Faults,
    stores: BTreeMap<String, StoreState>,
    /// token → (store ID, issued at)
    tokens: HashMap<String, (String, Instant)>,
    /// Reviews / Visual UGC v1 utoken (`/oauth/token`) → (app key, i.e. store ID, issued at)
    utokens: HashMap<String, (String, Instant)>,
    /// The newest requests, at most `log_capacity`, personal data masked.
    requests: VecDeque<Recorded>,
    log_capacity: usize,
    /// Requests that fell out of the log because it was full.
    dropped: u64,
    next_seq: u64,
}

impl State {
    /// A store the gate has already found, and the current visibility delay.
    fn store_mut(&mut self, store_id: &str) -> (Duration, &mut StoreState) {
        let delay = Duration::from_millis(self.faults.visibility_delay_ms);
        let store = self
            .stores
            .get_mut(store_id)
            .expect("the gate checked the store");
        (delay, store)
    }
}

struct StoreState {
    spec: SandboxStore,
    customers: Vec<CustomerRecord>,
    /// By phone (E.164).
    subscribers: BTreeMap<String, Map<String, Value>>,
    /// Custom customer events by event ID (an existing ID is replaced, in place).
    events: BTreeMap<String, Map<String, Value>>,
    /// Arrival times of the requests inside the last second.
    window: VecDeque<Instant>,
    /// The same for Yotpo Loyalty, which has its own limit (10 a second: twice the core
    /// API's 5, `yotpo-api.md` §3).
    loyalty_window: VecDeque<Instant>,
    /// Yotpo Loyalty: the account's custom-action campaigns (action name, points).
    campaigns: Vec<(String, i64)>,
    /// Yotpo Loyalty customers by email (lower case) or `id:{customer_id}`.
    loyalty: BTreeMap<String, LoyaltyCustomer>,
    /// Reviews / Visual UGC v1 requests inside the last minute (5,000 a minute per app key,
    /// `yotpo-api.md` §3 and §10).
    reviews_window: VecDeque<Instant>,
    /// Whether the app key may import more than 3 images at a time (Yotpo support enables it).
    bulk_image_import: bool,
    /// Imported images and videos, each as received plus `received_at_ms`, oldest first.
    images: Vec<Value>,
    videos: Vec<Value>,
}

/// What a Visual UGC import brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Media {
    Images,
    Videos,
}

/// A Yotpo Loyalty customer: their points and the actions that earned them.
#[derive(Default)]
struct LoyaltyCustomer {
    points: i64,
    history: Vec<Value>,
}

/// What recording a loyalty action did.
pub(super) enum LoyaltyOutcome {
    Recorded,
    NoCampaign,
}

/// A customer's successive versions; reads see the newest one already visible.
struct CustomerRecord {
    versions: Vec<(Instant, Map<String, Value>)>,
}

impl CustomerRecord {
    fn latest(&self) -> &Map<String, Value> {
        &self.versions.last().expect("at least one version").1
    }

    fn visible(&self, now: Instant) -> Option<&Map<String, Value>> {
        self.versions
            .iter()
            .rev()
            .find(|(at, _)| *at <= now)
            .map(|(_, v)| v)
    }
}

/// What the gate in front of every Yotpo endpoint decided.
pub(super) enum Gate {
    Pass,
    RateLimited { reset_secs: u64 },
    Inject(u16),
    UnknownStore,
}

pub(super) enum Auth {
    Ok,
    Invalid,
}

/// Which customers a read asks for.
pub(super) struct CustomerFilter {
    pub external_ids: Option<Vec<String>>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

impl CustomerFilter {
    fn matches(&self, c: &Map<String, Value>) -> bool {
        let field = |k: &str| c.get(k).and_then(Value::as_str);
        self.external_ids
            .as_ref()
            .is_none_or(|ids| field("external_id").is_some_and(|id| ids.iter().any(|x| x == id)))
            && self
                .email
                .as_ref()
                .is_none_or(|e| field("email").is_some_and(|x| x.eq_ignore_ascii_case(e)))
            && self
                .phone_number
                .as_ref()
                .is_none_or(|p| field("phone_number") == Some(p.as_str()))
    }
}

pub(super) fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

impl Inner {
    pub(super) fn new(faults: Faults, log_capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                faults,
                stores: BTreeMap::new(),
                tokens: HashMap::new(),
                utokens: HashMap::new(),
                requests: VecDeque::new(),
                log_capacity: log_capacity.max(1),
                dropped: 0,
                next_seq: 1,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn add_store(&self, spec: SandboxStore) {
        let mut state = self.lock();
        let id = spec.store_id.clone();
        match state.stores.get_mut(&id) {
            Some(existing) => existing.spec = spec,
            None => {
                state.stores.insert(
                    id,
                    StoreState {
                        spec,
                        customers: Vec::new(),
                        subscribers: BTreeMap::new(),
                        events: BTreeMap::new(),
                        window: VecDeque::new(),
                        loyalty_window: VecDeque::new(),
                        campaigns: super::loyalty::DEFAULT_CAMPAIGNS
                            .iter()
                            .map(|(name, points)| ((*name).to_owned(), *points))
                            .collect(),
                        loyalty: BTreeMap::new(),
                        reviews_window: VecDeque::new(),
                        bulk_image_import: false,
                        images: Vec::new(),
                        videos: Vec::new(),
                    },
                );
            }
        }
    }

    pub(super) fn store_specs(&self) -> Vec<SandboxStore> {
        self.lock()
            .stores
            .values()
            .map(|s| s.spec.clone())
            .collect()
    }

    pub(super) fn store_ids(&self) -> Vec<String> {
        self.lock().stores.keys().cloned().collect()
    }

    pub(super) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub(super) fn set_faults(&self, patch: FaultsPatch) -> Faults {
        let mut state = self.lock();
        state.faults.apply(patch);
        state.faults.clone()
    }

    pub(super) fn set_reviews_faults(&self, patch: ReviewsFaultsPatch) -> Faults {
        let mut state = self.lock();
        state.faults.apply_reviews(patch);
        state.faults.clone()
    }

    /// Forgets every issued token: v3 access tokens and v1 utokens.
    pub(super) fn expire_tokens(&self) {
        let mut state = self.lock();
        state.tokens.clear();
        state.utokens.clear();
    }

    /// Logs a request with its personal data masked; the oldest entry goes when the log is
    /// full.
    pub(super) fn record(&self, mut request: Recorded) {
        request.body = request.body.map(mask::json);
        request.query = request.query.as_deref().map(mask::query);
        let mut state = self.lock();
        request.seq = state.next_seq;
        state.next_seq += 1;
        if state.requests.len() >= state.log_capacity {
            state.requests.pop_front();
            state.dropped += 1;
        }
        state.requests.push_back(request);
    }

    pub(super) fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.iter().cloned().collect()
    }

    /// Requests that no longer fit in the log.
    pub(super) fn dropped_requests(&self) -> u64 {
        self.lock().dropped
    }

    pub(super) fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// The checks every Yotpo request passes first: the store exists, its request budget,
    /// injected failures.
    /// `loyalty`: a Yotpo Loyalty request (its own limit, twice the core API's).
    pub(super) fn gate(&self, store_id: &str, loyalty: bool) -> Gate {
        let mut state = self.lock();
        let now = Instant::now();
        let faults = state.faults.clone();
        let Some(store) = state.stores.get_mut(store_id) else {
            return Gate::UnknownStore;
        };
        let (window, limit) = if loyalty {
            (&mut store.loyalty_window, faults.rate_limit_per_second * 2)
        } else {
            (&mut store.window, faults.rate_limit_per_second)
        };
        if limit > 0 {
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
            {
                window.pop_front();
            }
            if window.len() >= limit as usize {
                let oldest = *window.front().expect("non-empty window");
                let left = Duration::from_secs(1).saturating_sub(now.duration_since(oldest));
                return Gate::RateLimited {
                    reset_secs: left.as_secs_f64().ceil().max(1.0) as u64,
                };
            }
            window.push_back(now);
        }
        if state.faults.fail_next > 0 {
            state.faults.fail_next -= 1;
            return Gate::Inject(faults.error_status);
        }
        if faults.error_rate > 0.0 && rand::rng().random_bool(faults.error_rate) {
            return Gate::Inject(faults.error_status);
        }
        Gate::Pass
    }

    /// Requests the store may still make in the current window.
    pub(super) fn remaining(&self, store_id: &str) -> u32 {
        let state = self.lock();
        let limit = state.faults.rate_limit_per_second;
        let used = state
            .stores
            .get(store_id)
            .map(|s| s.window.len() as u32)
            .unwrap_or(0);
        limit.saturating_sub(used)
    }

    /// Token exchange: a new token when the secret is the store's.
    pub(super) fn issue_token(&self, store_id: &str, secret: &str) -> Option<String> {
        let mut state = self.lock();
        let store = state.stores.get(store_id)?;
        if !constant_time_eq(store.spec.secret.as_bytes(), secret.as_bytes()) {
            return None;
        }
        let token = random_token();
        state
            .tokens
            .insert(token.clone(), (store_id.to_owned(), Instant::now()));
        Some(token)
    }

    /// A v3 token check. A v1 utoken of the same store also passes: "a v1 utoken also works
    /// as `X-Yotpo-Token` on v3 endpoints" (`yotpo-api.md` §2a, from tap-yotpo).
    pub(super) fn check_token(&self, store_id: &str, token: Option<&str>) -> Auth {
        let state = self.lock();
        let ttl = Duration::from_secs(state.faults.token_ttl_secs);
        match token.and_then(|t| state.tokens.get(t).or_else(|| state.utokens.get(t))) {
            Some((store, issued)) if store == store_id && issued.elapsed() < ttl => Auth::Ok,
            _ => Auth::Invalid,
        }
    }

    /// v1 token exchange (`POST /oauth/token`): a new utoken for the app key (a store's ID)
    /// when the secret is the store's. Utokens expire like v3 tokens (`token_ttl_secs`).
    pub(super) fn issue_utoken(&self, app_key: &str, secret: &str) -> Option<String> {
        let mut state = self.lock();
        let store = state.stores.get(app_key)?;
        if !constant_time_eq(store.spec.secret.as_bytes(), secret.as_bytes()) {
            return None;
        }
        let token = random_token();
        state
            .utokens
            .insert(token.clone(), (app_key.to_owned(), Instant::now()));
        Some(token)
    }

    /// Whether `token` is a live utoken of this app key (a v3 access token is not one).
    pub(super) fn check_utoken(&self, app_key: &str, token: Option<&str>) -> Auth {
        let state = self.lock();
        let ttl = Duration::from_secs(state.faults.token_ttl_secs);
        match token.and_then(|t| state.utokens.get(t)) {
            Some((key, issued)) if key == app_key && issued.elapsed() < ttl => Auth::Ok,
            _ => Auth::Invalid,
        }
    }

    /// The gate in front of the Reviews / Visual UGC v1 routes: the app key's own window
    /// (`reviews_rate_limit_per_minute` a minute), then the reviews fault switches, then the
    /// shared ones (`fail_next`, `error_rate`).
    pub(super) fn reviews_gate(&self, app_key: &str) -> Gate {
        let mut state = self.lock();
        let now = Instant::now();
        let faults = state.faults.clone();
        let Some(store) = state.stores.get_mut(app_key) else {
            return Gate::UnknownStore;
        };
        let limit = faults.reviews_rate_limit_per_minute;
        if limit > 0 {
            let window = &mut store.reviews_window;
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= REVIEWS_WINDOW)
            {
                window.pop_front();
            }
            if window.len() >= limit as usize {
                let oldest = *window.front().expect("non-empty window");
                let left = REVIEWS_WINDOW.saturating_sub(now.duration_since(oldest));
                return Gate::RateLimited {
                    reset_secs: left.as_secs_f64().ceil().max(1.0) as u64,
                };
            }
            window.push_back(now);
        }
        if let Some(status) = faults.reviews_status {
            return Gate::Inject(status);
        }
        if state.faults.reviews_fail_next > 0 {
            state.faults.reviews_fail_next -= 1;
            return Gate::Inject(faults.error_status);
        }
        if state.faults.fail_next > 0 {
            state.faults.fail_next -= 1;
            return Gate::Inject(faults.error_status);
        }
        if faults.error_rate > 0.0 && rand::rng().random_bool(faults.error_rate) {
            return Gate::Inject(faults.error_status);
        }
        Gate::Pass
    }

    /// Reviews / Visual UGC requests the app key may still make in the current minute.
    pub(super) fn reviews_remaining(&self, app_key: &str) -> u32 {
        let state = self.lock();
        let limit = state.faults.reviews_rate_limit_per_minute;
        let used = state
            .stores
            .get(app_key)
            .map(|s| s.reviews_window.len() as u32)
            .unwrap_or(0);
        limit.saturating_sub(used)
    }

    pub(super) fn bulk_image_import(&self, app_key: &str) -> bool {
        self.lock()
            .stores
            .get(app_key)
            .is_some_and(|s| s.bulk_image_import)
    }

    pub(super) fn set_bulk_image_import(&self, app_key: &str, enabled: bool) {
        if let Some(store) = self.lock().stores.get_mut(app_key) {
            store.bulk_image_import = enabled;
        }
    }

    /// Keeps imported images or videos, each as received plus `received_at_ms`; how many.
    pub(super) fn import_media(
        &self,
        app_key: &str,
        media: Media,
        items: Vec<Map<String, Value>>,
    ) -> usize {
        let mut state = self.lock();
        let Some(store) = state.stores.get_mut(app_key) else {
            return 0;
        };
        let received_at = unix_ms();
        let kept = match media {
            Media::Images => &mut store.images,
            Media::Videos => &mut store.videos,
        };
        let count = items.len();
        kept.extend(items.into_iter().map(|mut item| {
            item.insert("received_at_ms".into(), Value::from(received_at));
            Value::Object(item)
        }));
        count
    }

    /// The app key's imported images or videos, oldest first.
    pub(super) fn imported(&self, app_key: &str, media: Media) -> Vec<Value> {
        self.lock()
            .stores
            .get(app_key)
            .map(|s| match media {
                Media::Images => s.images.clone(),
                Media::Videos => s.videos.clone(),
            })
            .unwrap_or_default()
    }

    /// Upsert by `external_id`, else by the one of email/phone given. The new version is
    /// visible to reads after the visibility delay.
    pub(super) fn upsert_customer(&self, store_id: &str, patch: Map<String, Value>) {
        let mut state = self.lock();
        let (delay, store) = state.store_mut(store_id);
        let key = customer_key(&patch);
        let now = Instant::now();
        let existing = store
            .customers
            .iter_mut()
            .find(|c| customer_key(c.latest()) == key);
        let mut next = existing
            .as_ref()
            .map(|r| r.latest().clone())
            .unwrap_or_default();
        // "To skip a parameter, leave it out or send null."
        next.extend(patch.into_iter().filter(|(_, v)| !v.is_null()));
        match existing {
            Some(record) => record.versions.push((now + delay, next)),
            None => store.customers.push(CustomerRecord {
                versions: vec![(now + delay, next)],
            }),
        }
    }

    /// Customers visible now that match the filter, from `offset`, at most `limit`; and
    /// whether more follow.
    pub(super) fn find_customers(
        &self,
        store_id: &str,
        filter: &CustomerFilter,
        offset: usize,
        limit: usize,
    ) -> (Vec<Value>, bool) {
        let state = self.lock();
        let now = Instant::now();
        let Some(store) = state.stores.get(store_id) else {
            return (Vec::new(), false);
        };
        let mut matching = store
            .customers
            .iter()
            .filter_map(|c| c.visible(now))
            .filter(|c| filter.matches(c))
            .skip(offset);
        let page: Vec<Value> = matching
            .by_ref()
            .take(limit)
            .map(|c| Value::Object(public_customer(c)))
            .collect();
        let more = matching.next().is_some();
        (page, more)
    }

    pub(super) fn visible_customers(&self, store_id: &str) -> Vec<Value> {
        let all = CustomerFilter {
            external_ids: None,
            email: None,
            phone_number: None,
        };
        self.find_customers(store_id, &all, 0, usize::MAX).0
    }

    pub(super) fn has_list(&self, store_id: &str, list_id: u64) -> bool {
        self.lock()
            .stores
            .get(store_id)
            .is_some_and(|s| s.spec.lists.iter().any(|l| l.id == list_id))
    }

    pub(super) fn default_list(&self, store_id: &str) -> Option<u64> {
        self.lock()
            .stores
            .get(store_id)
            .and_then(|s| s.spec.lists.first().map(|l| l.id))
    }

    /// Upsert by phone. A `subscribed` SMS consent also marks the customers already
    /// visible with that phone or email as accepting SMS marketing (after the visibility
    /// delay, like any profile change): one not yet visible is not linked, which is why
    /// Yotpo asks for the wait between the customer upsert and the opt-in.
    pub(super) fn upsert_subscriber(&self, store_id: &str, subscriber: Map<String, Value>) {
        let mut state = self.lock();
        let (delay, store) = state.store_mut(store_id);
        let now = Instant::now();
        let phone = subscriber["phone"].as_str().unwrap_or_default().to_owned();
        let email = subscriber
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let consent = sms_consent(&subscriber)
            .and_then(Value::as_str)
            .map(str::to_owned);
        let entry = store.subscribers.entry(phone.clone()).or_default();
        let mut lists: Vec<Value> = entry
            .get("list_ids")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(list) = subscriber.get("list_id") {
            if !lists.contains(list) {
                lists.push(list.clone());
            }
        }
        for (k, v) in subscriber {
            if k != "list_id" && !v.is_null() {
                entry.insert(k, v);
            }
        }
        entry.insert("list_ids".into(), Value::Array(lists));
        entry.insert("updated_at_ms".into(), Value::from(unix_ms()));
        if consent.as_deref() == Some("subscribed") {
            let mut linked = 0;
            for record in &mut store.customers {
                let Some(visible) = record.visible(now) else {
                    continue;
                };
                let same_phone =
                    visible.get("phone_number").and_then(Value::as_str) == Some(phone.as_str());
                let same_email = email.as_deref().is_some_and(|e| {
                    visible
                        .get("email")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case(e))
                });
                if same_phone || same_email {
                    let mut next = record.latest().clone();
                    next.insert("accepts_sms_marketing".into(), Value::Bool(true));
                    record.versions.push((now + delay, next));
                    linked += 1;
                }
            }
            entry.insert("linked_customers".into(), Value::from(linked));
        }
    }

    /// Every customer's newest version, visible to reads yet or not.
    pub(super) fn customers(&self, store_id: &str) -> Vec<Value> {
        self.lock()
            .stores
            .get(store_id)
            .map(|s| {
                s.customers
                    .iter()
                    .map(|c| Value::Object(public_customer(c.latest())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn subscribers(&self, store_id: &str) -> Vec<Value> {
        self.lock()
            .stores
            .get(store_id)
            .map(|s| {
                s.subscribers
                    .values()
                    .map(|v| Value::Object(v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Stores a custom customer event by its ID; true when the ID was new (false: replaced).
    pub(super) fn upsert_event(&self, store_id: &str, id: &str, event: Map<String, Value>) -> bool {
        let mut state = self.lock();
        let Some(store) = state.stores.get_mut(store_id) else {
            return false;
        };
        store.events.insert(id.to_owned(), event).is_none()
    }

    /// Whether `key` is the loyalty API key of the account `guid` (a store's secret).
    pub(super) fn loyalty_key_ok(&self, guid: &str, key: &str) -> bool {
        self.lock()
            .stores
            .get(guid)
            .is_some_and(|s| s.spec.secret == key)
    }

    /// Records a custom action for `customer`: its campaign's points (or `points`) and a
    /// history item. Not idempotent, like Yotpo's.
    pub(super) fn record_loyalty_action(
        &self,
        guid: &str,
        customer: &str,
        action_name: &str,
        points: Option<i64>,
        completed_at: &str,
        title: Option<&str>,
    ) -> LoyaltyOutcome {
        let mut state = self.lock();
        let Some(store) = state.stores.get_mut(guid) else {
            return LoyaltyOutcome::NoCampaign;
        };
        let Some(campaign_points) = store
            .campaigns
            .iter()
            .find(|(name, _)| name == action_name)
            .map(|(_, p)| *p)
        else {
            return LoyaltyOutcome::NoCampaign;
        };
        let points = points.unwrap_or(campaign_points);
        let entry = store.loyalty.entry(customer.to_owned()).or_default();
        entry.points += points;
        entry.history.push(serde_json::json!({
            "action": title.unwrap_or(action_name),
            "action_name": action_name,
            "points": points,
            "completed_at": completed_at,
            "status": "Approved",
        }));
        LoyaltyOutcome::Recorded
    }

    /// A loyalty customer's points and history, oldest first.
    pub(super) fn loyalty_customer(&self, guid: &str, customer: &str) -> Option<(i64, Vec<Value>)> {
        self.lock()
            .stores
            .get(guid)?
            .loyalty
            .get(customer)
            .map(|c| (c.points, c.history.clone()))
    }

    /// Replaces the account's custom-action campaigns.
    pub(super) fn set_loyalty_campaigns(&self, guid: &str, campaigns: Vec<(String, i64)>) {
        if let Some(store) = self.lock().stores.get_mut(guid) {
            store.campaigns = campaigns;
        }
    }

    /// The store's custom customer events, one per event ID.
    pub(super) fn events(&self, store_id: &str) -> Vec<Value> {
        self.lock()
            .stores
            .get(store_id)
            .map(|s| {
                s.events
                    .values()
                    .map(|v| Value::Object(v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn lists(&self, store_id: &str) -> Vec<SmsListSpec> {
        self.lock()
            .stores
            .get(store_id)
            .map(|s| s.spec.lists.clone())
            .unwrap_or_default()
    }

    pub(super) fn forms(&self, store_id: &str) -> Vec<SignupFormSpec> {
        self.lock()
            .stores
            .get(store_id)
            .map(|s| s.spec.forms.clone())
            .unwrap_or_default()
    }
}

/// A subscriber's `channels.sms.consent`.
pub(super) fn sms_consent(subscriber: &Map<String, Value>) -> Option<&Value> {
    subscriber.get("channels")?.pointer("/sms/consent")
}

/// The upsert key: `external_id`, else the email, else the phone.
fn customer_key(c: &Map<String, Value>) -> (String, String) {
    for k in ["external_id", "email", "phone_number"] {
        if let Some(v) = c.get(k).and_then(Value::as_str) {
            let v = if k == "email" {
                v.to_ascii_lowercase()
            } else {
                v.to_owned()
            };
            return (k.to_owned(), v);
        }
    }
    (String::new(), String::new())
}

/// A customer as Retrieve customers shows it: every documented field, `null` when unset.
fn public_customer(c: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for k in [
        "external_id",
        "email",
        "phone_number",
        "first_name",
        "last_name",
        "gender",
        "account_created_at",
        "account_status",
        "default_language",
        "default_currency",
        "accepts_sms_marketing",
        "accepts_email_marketing",
        "tags",
        "address",
    ] {
        out.insert(k.into(), c.get(k).cloned().unwrap_or(Value::Null));
    }
    out
}

/// The span of the Reviews / Visual UGC rate window.
const REVIEWS_WINDOW: Duration = Duration::from_secs(60);

/// A new opaque token: 40 lower-case letters and digits.
fn random_token() -> String {
    let mut rng = rand::rng();
    (0..40)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(path: &str) -> Recorded {
        Recorded {
            seq: 0,
            at_ms: unix_ms(),
            method: "PATCH".into(),
            path: path.into(),
            query: Some("email=ana%40example.com".into()),
            store_id: Some("s".into()),
            status: 200,
            body: Some(json!({"customer": {"phone_number": "+14155552671"}})),
        }
    }

    #[test]
    fn the_request_log_is_bounded_and_masked() {
        let inner = Inner::new(Faults::default(), 3);
        for n in 0..5 {
            inner.record(request(&format!("/r{n}")));
        }
        let log = inner.requests();
        let paths: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["/r2", "/r3", "/r4"], "the newest are kept");
        assert_eq!(log[0].seq, 3, "sequence numbers go on");
        assert_eq!(inner.dropped_requests(), 2);
        assert_eq!(
            log[0].body,
            Some(json!({"customer": {"phone_number": "+1*******671"}}))
        );
        assert_eq!(log[0].query.as_deref(), Some("email=a***@example.com"));
    }
}
