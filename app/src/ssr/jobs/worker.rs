//! The job runner inside each server process: claims due jobs, runs each against the SMS
//! list provider, and records the outcome. Retryable failures back off (honouring the wait
//! the provider asks for after a 429); permanent ones, and retryable ones past the attempt
//! bound, fail the consent with the reason. On shutdown it stops claiming, lets running jobs
//! finish within a grace period, and hands back what is left.
//!
//! Claims are short leases kept alive by a heartbeat while this process runs the job, so a
//! process that dies loses its claims within one lease and another takes them over. A job
//! whose claim is lost (the heartbeat could not renew it) is stopped here; its outcome could
//! not be recorded anyway (the fence). An opt-in whose earlier attempt may have reached the
//! provider (any attempt after the first) is checked with the provider before it is sent
//! again.

use super::events::{self, ClaimedEvent};
use super::lease;
use super::liveness::{self, Liveness};
use super::loyalty;
use super::milestone;
use super::queue::{self, ClaimedJob, STEP_CUSTOMER, STEP_SUBSCRIBE};
use super::reviews::{self, ClaimedImport};
use crate::domain::inputs::{Email, PersonName, PhoneE164};
use crate::domain::mask;
use crate::ssr::consent::settings;
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::{
    Contact, ListId, ListProvider, OptIn, PhoneConsent, ProviderError, ProviderErrorKind, Source,
};
use crate::ssr::write_mark;
use crate::ssr::AppState;
use anyhow::Context;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tracing::Instrument;

/// The reason recorded when a job fails inside Tracklight (the details, which may name the
/// database, are in the server's log).
const INTERNAL_ERROR: &str = "Tracklight could not run or record this (see the server log)";

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Longest sleep between looks at the queue (new work also wakes the worker at once).
    pub poll: Duration,
    /// How long a claim holds without a heartbeat: a worker that dies mid-job loses its
    /// claims after this.
    pub lease: Duration,
    /// How often the worker renews the leases of the jobs it runs.
    pub heartbeat: Duration,
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// Jobs of one merchant held at once by all workers: about what their provider budget
    /// serves in a second (4 requests/s), so one store's burst cannot take every slot.
    pub per_merchant: usize,
    /// Failed attempts before a retryable failure becomes final (claims lost to a killed
    /// worker do not count, up to `CLAIMS_PER_ATTEMPT` times as many claims).
    pub max_attempts: i64,
    /// First wait after a retryable failure; doubles per failure up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Step 2 runs this long after step 1 succeeded, for Yotpo (which needs the customer
    /// in place first: 60 s).
    pub optin_delay: Duration,
    /// The same for Klaviyo (none needed by default: the subscribe call takes the profile).
    pub klaviyo_optin_delay: Duration,
    /// How long Yotpo takes to show a write to reads: an opt-in that may have landed is read
    /// back (and sent again only if it had not) no sooner than this after it left.
    pub read_delay: Duration,
    /// The same for Klaviyo.
    pub klaviyo_read_delay: Duration,
    /// At shutdown, how long running jobs may take to finish.
    pub grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            // Short, so a killed process's jobs are taken over within two seconds (the
            // step-2 timing promise); five renewals fit in one, so a slow database moment
            // does not lose a claim.
            lease: Duration::from_secs(2),
            heartbeat: Duration::from_millis(400),
            concurrency: 32,
            per_merchant: 4,
            max_attempts: 10,
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(15 * 60),
            optin_delay: Duration::from_secs(60),
            klaviyo_optin_delay: Duration::ZERO,
            read_delay: Duration::from_secs(60),
            klaviyo_read_delay: Duration::from_secs(60),
            grace: Duration::from_secs(15),
        }
    }
}

pub struct Worker {
    state: AppState,
    config: Arc<WorkerConfig>,
    id: Arc<str>,
}

/// Each claim this worker holds, by job ID: its fence, and the handle that stops its task.
/// Shared with the heartbeat, which runs on its own task.
type Held =
    Arc<std::sync::Mutex<std::collections::HashMap<String, (i64, tokio::task::AbortHandle)>>>;

/// A claimed row of a one-row-per-job table: where it is, and under which claim.
struct Claim {
    table: &'static str,
    id: String,
    fence: i64,
    /// Including this one.
    attempts: i64,
    /// Failed runs recorded before this one.
    failures: i64,
}

impl Claim {
    fn new(table: &'static str, id: &str, fence: i64, attempts: i64, failures: i64) -> Self {
        Self {
            table,
            id: id.to_owned(),
            fence,
            attempts,
            failures,
        }
    }
}

/// A claimed job of any kind: its ID and the claim's fence.
trait Claimed {
    fn claim(&self) -> (String, i64);
}

macro_rules! claimed {
    ($($kind:ty),*) => {$(
        impl Claimed for $kind {
            fn claim(&self) -> (String, i64) {
                (self.id.clone(), self.fence)
            }
        }
    )*};
}
claimed!(
    ClaimedJob,
    loyalty::ClaimedLoyalty,
    ClaimedImport,
    ClaimedEvent
);

/// The jobs this worker runs: their tasks (each ends with its job's ID and claim's fence),
/// and their claims.
#[derive(Default)]
struct Running {
    tasks: JoinSet<(String, i64)>,
    held: Held,
}

impl Running {
    fn hold(&self, id: String, fence: i64, task: tokio::task::AbortHandle) {
        self.held
            .lock()
            .expect("claims lock")
            .insert(id, (fence, task));
    }

    /// The task of this claim ended. Only this claim is let go: the job may be claimed
    /// again already (a retry due at once), with a new fence and task.
    fn finished(&self, (id, fence): &(String, i64)) {
        release_claim(&self.held, id, *fence);
    }
}

impl Worker {
    pub fn new(state: AppState, config: WorkerConfig) -> Self {
        let id = format!(
            "{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            state,
            config: Arc::new(config),
            id: id.into(),
        }
    }

    /// Runs until `shutdown` completes.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tracing::info!(worker = %self.id, "job worker started");
        let wake: Arc<Notify> = self.state.jobs_wake.clone();
        let mut running = Running::default();
        // Held before the first claim, so no other worker takes this one's claims for a dead
        // worker's (PostgreSQL; see `liveness`).
        let mut liveness = Liveness::new(self.state.db.clone(), &self.id);
        let alive = Arc::new(AtomicBool::new(liveness.keep(LIVENESS_TIMEOUT).await));
        let keeper = tokio::spawn(keep_liveness(
            self.state.clone(),
            self.config.heartbeat,
            liveness,
            alive.clone(),
        ));
        // On its own task: a slow claim or queue read in this loop never delays a renewal.
        let heartbeat = tokio::spawn(heartbeat(
            self.state.clone(),
            self.config.clone(),
            self.id.clone(),
            running.held.clone(),
            alive.clone(),
        ));
        tokio::pin!(shutdown);
        loop {
            // A read first: claiming is a write, which on SQLite would take the database's
            // one write lock on every idle poll.
            let due = match queue::next_due(&self.state.db).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "reading the queue failed");
                    None
                }
            };
            let now = self.state.clock.now_ms();
            let free = self.config.concurrency.saturating_sub(running.tasks.len());
            let mut claimed = 0;
            let may_claim = alive.load(Ordering::Acquire);
            if free > 0 && may_claim && due.is_some_and(|due| due <= now) {
                let claimed_now = self.claim(free).await;
                claimed = self.start(&mut running, claimed_now, "consent steps", Self::run_job);
                // Loyalty actions, review imports, then milestone events, take the slots
                // consents left.
                if claimed < free {
                    let claimed_now = loyalty::claim(
                        &self.state,
                        &self.id,
                        self.config.lease.as_millis() as i64,
                        (free - claimed) as i64,
                        self.config.per_merchant as i64,
                    )
                    .await;
                    claimed += self.start(
                        &mut running,
                        claimed_now,
                        "loyalty actions",
                        Self::run_loyalty,
                    );
                }
                if claimed < free {
                    let claimed_now = reviews::claim(
                        &self.state,
                        &self.id,
                        self.config.lease.as_millis() as i64,
                        (free - claimed) as i64,
                        self.config.per_merchant as i64,
                    )
                    .await;
                    claimed += self.start(
                        &mut running,
                        claimed_now,
                        "review imports",
                        Self::run_import,
                    );
                }
                if claimed < free {
                    let claimed_now = self.claim_events(free - claimed).await;
                    claimed += self.start(
                        &mut running,
                        claimed_now,
                        "milestone events",
                        Self::run_event,
                    );
                }
            }
            let pause = match due {
                // More may be due right away.
                _ if claimed > 0 && claimed == free => Duration::ZERO,
                // Due but not claimable (another worker holds it): look again soon.
                Some(due) if due <= now => self.config.poll.min(Duration::from_millis(100)),
                Some(due) => Duration::from_millis((due - now) as u64).min(self.config.poll),
                None => self.config.poll,
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
                Some(done) = running.tasks.join_next(), if !running.tasks.is_empty() => {
                    match done {
                        Ok(claim) => running.finished(&claim),
                        Err(e) if e.is_cancelled() => {}
                        Err(e) => tracing::error!(error = %e, "a job task panicked"),
                    }
                }
            }
        }
        tracing::info!(running = running.tasks.len(), "job worker stopping");
        // Running jobs keep their claims alive while they finish.
        let drained = tokio::time::timeout(self.config.grace, async {
            loop {
                tokio::select! {
                    done = running.tasks.join_next() => match done {
                        Some(Ok(claim)) => running.finished(&claim),
                        Some(Err(_)) => {}
                        None => break,
                    },
                }
            }
        })
        .await;
        if drained.is_err() {
            running.tasks.abort_all();
            while running.tasks.join_next().await.is_some() {}
        }
        heartbeat.abort();
        match queue::release(&self.state.db, &self.id, self.state.clock.now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "handed back unfinished jobs"),
            Err(e) => tracing::error!(error = format!("{e:#}"), "releasing jobs failed"),
        }
        // Last: until its claims are handed back, no other worker takes them for a dead one's.
        keeper.abort();
        tracing::info!("job worker stopped");
    }

    /// Starts a task for each job just claimed, holding its claim; returns how many.
    fn start<J, F>(
        &self,
        running: &mut Running,
        claimed: anyhow::Result<Vec<J>>,
        what: &'static str,
        run: impl Fn(&Self, J) -> F,
    ) -> usize
    where
        J: Claimed,
        F: Future<Output = (String, i64)> + Send + 'static,
    {
        match claimed {
            Ok(jobs) => {
                let count = jobs.len();
                for job in jobs {
                    let (id, fence) = job.claim();
                    let task = running.tasks.spawn(run(self, job));
                    running.hold(id, fence, task);
                }
                count
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), what, "claiming jobs failed");
                0
            }
        }
    }

    async fn claim(&self, limit: usize) -> anyhow::Result<Vec<ClaimedJob>> {
        queue::claim(
            &self.state.db,
            &self.id,
            self.state.clock.now_ms(),
            self.config.lease.as_millis() as i64,
            limit as i64,
            self.config.per_merchant as i64,
        )
        .await
    }

    async fn claim_events(&self, limit: usize) -> anyhow::Result<Vec<ClaimedEvent>> {
        events::claim(
            &self.state.db,
            &self.id,
            self.state.clock.now_ms(),
            self.config.lease.as_millis() as i64,
            limit as i64,
            self.config.per_merchant as i64,
        )
        .await
    }

    fn run_loyalty(
        &self,
        job: loyalty::ClaimedLoyalty,
    ) -> impl Future<Output = (String, i64)> + Send + 'static {
        let span = tracing::info_span!("loyalty", job = %job.id, consent = ?job.consent_id, submission = ?job.submission_id, attempt = job.attempts, fence = job.fence);
        let claim = Claim::new(
            loyalty::TABLE,
            &job.id,
            job.fence,
            job.attempts,
            job.failures,
        );
        let (state, config) = (self.state.clone(), self.config.clone());
        self.run_leased(span, "loyalty action", claim, async move {
            loyalty::run(&state, &config, &job).await
        })
    }

    fn run_import(
        &self,
        job: ClaimedImport,
    ) -> impl Future<Output = (String, i64)> + Send + 'static {
        let span = tracing::info_span!("review_import", job = %job.id, submission = %job.submission_id, attempt = job.attempts, fence = job.fence);
        let claim = Claim::new(
            reviews::TABLE,
            &job.id,
            job.fence,
            job.attempts,
            job.failures,
        );
        let (state, config) = (self.state.clone(), self.config.clone());
        self.run_leased(span, "review import", claim, async move {
            reviews::run(&state, &config, &job).await
        })
    }

    fn run_event(
        &self,
        event: ClaimedEvent,
    ) -> impl Future<Output = (String, i64)> + Send + 'static {
        let span = tracing::info_span!("event", job = %event.id, milestone = %event.milestone, attempt = event.attempts, fence = event.fence);
        let claim = Claim::new(
            events::TABLE,
            &event.id,
            event.fence,
            event.attempts,
            event.failures,
        );
        let (state, config) = (self.state.clone(), self.config.clone());
        self.run_leased(span, "milestone event", claim, async move {
            milestone::run(&state, &config, &event).await
        })
    }

    /// Runs a job of a one-row-per-job table (`lease`): `run` records its own outcome; when
    /// it cannot (the database failed, or data cannot be read), the job is tried again after
    /// a back-off, or failed once its attempts are spent. Ends with the claim it ran under.
    fn run_leased(
        &self,
        span: tracing::Span,
        what: &'static str,
        claim: Claim,
        run: impl Future<Output = anyhow::Result<()>> + Send + 'static,
    ) -> impl Future<Output = (String, i64)> + Send + 'static {
        let state = self.state.clone();
        let config = self.config.clone();
        async move {
            let ran = if config.claims_spent(claim.attempts) {
                let now = state.clock.now_ms();
                let reason = cut_short(claim.attempts - 1);
                tracing::warn!(%reason, what, "job failed for good");
                lease::fail(&state.db, claim.table, &claim.id, claim.fence, now, &reason).await
            } else {
                run.await
            };
            if let Err(e) = ran {
                tracing::error!(
                    error = format!("{e:#}"),
                    what,
                    "job could not be run or recorded"
                );
                let now = state.clock.now_ms();
                let db = &state.db;
                let (table, id, fence) = (claim.table, claim.id.as_str(), claim.fence);
                let recorded = if config.spent(claim.attempts, claim.failures) {
                    lease::fail(db, table, id, fence, now, INTERNAL_ERROR).await
                } else {
                    let wait = backoff(&config, claim.failures + 1).as_millis() as i64;
                    lease::retry_later(db, table, id, fence, now, now + wait, INTERNAL_ERROR, true)
                        .await
                };
                if let Err(e) = recorded {
                    tracing::error!(
                        error = format!("{e:#}"),
                        what,
                        "the job's failure could not be recorded either"
                    );
                }
            }
            (claim.id, claim.fence)
        }
        .instrument(span)
    }

    fn run_job(&self, job: ClaimedJob) -> impl Future<Output = (String, i64)> + Send + 'static {
        let state = self.state.clone();
        let config = self.config.clone();
        let span = tracing::info_span!("job", job = %job.id, step = %job.step, consent = %job.consent_id, attempt = job.attempts, fence = job.fence);
        async move {
            if let Err(e) = run_job(&state, &config, &job).await {
                // A database error, or data that cannot be read: tried again after a back-off
                // (a step 2 that may have been sent is checked first, as after any repeat
                // claim), failed with the reason once the attempts are used up. If even that
                // cannot be written, the claim runs out and the job is tried again.
                tracing::error!(error = format!("{e:#}"), "job could not be run or recorded");
                let now = state.clock.now_ms();
                let recorded = if config.spent(job.attempts, job.failures) {
                    queue::fail(&state.db, &job, now, INTERNAL_ERROR).await
                } else {
                    let wait = backoff(&config, job.failures + 1).as_millis() as i64;
                    queue::retry_later(
                        &state.db,
                        &job,
                        now,
                        now + wait,
                        INTERNAL_ERROR,
                        true,
                        false,
                    )
                    .await
                };
                if let Err(e) = recorded {
                    tracing::error!(
                        error = format!("{e:#}"),
                        "the job's failure could not be recorded either"
                    );
                }
            }
            (job.id, job.fence)
        }
        .instrument(span)
    }
}

/// The heartbeat: renews the leases of the running jobs, and stops any job whose claim is no
/// longer this worker's (or that cannot be vouched for: the database has not answered for a
/// whole lease), before it sends something another worker will send too.
/// How long the check of the liveness lock's connection may take before the connection
/// counts as lost (and the lock with it).
const LIVENESS_TIMEOUT: Duration = Duration::from_secs(10);

/// Every beat, on a task of its own (a slow check never delays a lease renewal): checks this
/// worker's liveness lock, or takes it again; `alive` says whether it is held.
async fn keep_liveness(
    state: AppState,
    beat: Duration,
    mut liveness: Liveness,
    alive: Arc<AtomicBool>,
) {
    let mut tick = tokio::time::interval(beat);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let was_alive = alive.load(Ordering::Acquire);
        let is_alive = liveness.keep(LIVENESS_TIMEOUT).await;
        alive.store(is_alive, Ordering::Release);
        if is_alive && !was_alive {
            // Claiming may resume.
            state.jobs_wake.notify_one();
        }
    }
}

/// Every beat: renews the leases of the claims this worker holds (stopping the jobs whose
/// claims were lost), then, while it holds its liveness lock, takes over the claims of dead
/// workers.
async fn heartbeat(
    state: AppState,
    config: Arc<WorkerConfig>,
    worker: Arc<str>,
    held: Held,
    alive: Arc<AtomicBool>,
) {
    let mut tick = tokio::time::interval(config.heartbeat);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let lease = config.lease.as_millis() as i64;
    let mut last_renewed = state.clock.now_ms();
    loop {
        tick.tick().await;
        renew_claims(&state, &worker, &held, lease, &mut last_renewed).await;
        if !alive.load(Ordering::Acquire) {
            continue;
        }
        match liveness::take_over_dead(&state.db, &worker, state.clock.now_ms()).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(jobs = n, "took over the claims of a worker that died");
                state.jobs_wake.notify_one();
            }
            Err(e) => tracing::warn!(error = format!("{e:#}"), "looking for dead workers failed"),
        }
    }
}

/// Renews the leases of the claims this worker holds; stops the jobs whose claims were lost.
async fn renew_claims(
    state: &AppState,
    worker: &str,
    held: &Held,
    lease: i64,
    last_renewed: &mut i64,
) {
    let now = state.clock.now_ms();
    // The claims to vouch for: those taken before the renewal (one taken while it runs is
    // judged at the next beat).
    let judged: Vec<(String, i64)> = held
        .lock()
        .expect("claims lock")
        .iter()
        .map(|(id, (fence, _))| (id.clone(), *fence))
        .collect();
    if judged.is_empty() {
        *last_renewed = now;
        return;
    }
    let lost: Vec<(String, i64)> = match queue::renew(&state.db, worker, now, lease).await {
        Ok(renewed) => {
            *last_renewed = now;
            let renewed: std::collections::HashSet<(String, i64)> = renewed.into_iter().collect();
            judged
                .into_iter()
                .filter(|claim| !renewed.contains(claim))
                .collect()
        }
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "renewing job leases failed");
            if now - *last_renewed < lease {
                return;
            }
            judged
        }
    };
    for (id, fence) in lost {
        // Only the claim judged: the job may have finished and been claimed again (a new
        // fence) meanwhile. And a job that has just finished is not a lost claim.
        if let Some(task) = release_claim(held, &id, fence).filter(|t| !t.is_finished()) {
            tracing::warn!(job = %id, "claim lost; stopping the job here");
            task.abort();
        }
    }
}

/// Lets go of the claim on job `id` with this `fence`, if it is still the one held; returns its
/// task's handle.
fn release_claim(held: &Held, id: &str, fence: i64) -> Option<tokio::task::AbortHandle> {
    let mut held = held.lock().expect("claims lock");
    match held.get(id) {
        Some((held_fence, _)) if *held_fence == fence => held.remove(id).map(|(_, task)| task),
        _ => None,
    }
}

impl WorkerConfig {
    /// Step 2's delay after step 1 for a provider.
    pub fn optin_delay_for(&self, provider: ListProvider) -> Duration {
        match provider {
            ListProvider::Yotpo => self.optin_delay,
            ListProvider::Klaviyo => self.klaviyo_optin_delay,
        }
    }

    /// How long a provider takes to show a write to reads.
    pub fn read_delay_for(&self, provider: ListProvider) -> Duration {
        match provider {
            ListProvider::Yotpo => self.read_delay,
            ListProvider::Klaviyo => self.klaviyo_read_delay,
        }
    }
}

/// What a job needs from its consent.
struct ConsentWork {
    merchant_id: MerchantId,
    /// Where the consent goes: the provider and account it was given under.
    provider: ListProvider,
    account_id: String,
    consented_at_ms: i64,
    customer_id: String,
    phone: PhoneE164,
    first_name: Option<PersonName>,
    last_name: Option<PersonName>,
    email: Option<Email>,
    list_id: ListId,
    source: Source,
    /// Where the order ships, when the consent's shipment is still there.
    country: Option<String>,
    city: Option<String>,
}

#[derive(sqlx::FromRow)]
struct WorkRow {
    merchant_id: String,
    customer_external_id: String,
    phone_e164: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    provider: String,
    account_id: String,
    list_id: String,
    source: String,
    consented_at_ms: i64,
    shipping_country: Option<String>,
    shipping_city: Option<String>,
}

async fn load_work(state: &AppState, consent_id: &str) -> anyhow::Result<ConsentWork> {
    let row: WorkRow = sqlx::query_as(
        "SELECT c.merchant_id, c.customer_external_id, c.phone_e164, c.first_name, c.last_name,
                c.email, c.provider, c.account_id, c.list_id, c.source, c.consented_at_ms,
                o.shipping_country, o.shipping_city
         FROM consents c
         LEFT JOIN shipments s ON s.id = c.shipment_id
         LEFT JOIN orders o ON o.id = s.order_id
         WHERE c.id = $1",
    )
    .bind(consent_id)
    .fetch_one(state.db.pool())
    .await
    .context("reading a job's consent")?;
    Ok(ConsentWork {
        merchant_id: MerchantId::from_db(row.merchant_id),
        provider: ListProvider::parse(&row.provider).map_err(anyhow::Error::msg)?,
        account_id: row.account_id,
        consented_at_ms: row.consented_at_ms,
        customer_id: row.customer_external_id,
        phone: PhoneE164::parse(&row.phone_e164, None).map_err(anyhow::Error::msg)?,
        first_name: row.first_name.and_then(|n| PersonName::parse(&n).ok()),
        last_name: row.last_name.and_then(|n| PersonName::parse(&n).ok()),
        email: row.email.and_then(|e| Email::parse(&e).ok()),
        list_id: ListId::parse(&row.list_id).map_err(anyhow::Error::msg)?,
        source: Source::parse(&row.source).map_err(anyhow::Error::msg)?,
        country: row.shipping_country,
        city: row.shipping_city,
    })
}

async fn run_job(state: &AppState, config: &WorkerConfig, job: &ClaimedJob) -> anyhow::Result<()> {
    if config.claims_spent(job.attempts) {
        let reason = cut_short(job.attempts - 1);
        tracing::warn!(%reason, "step failed for good");
        return queue::fail(&state.db, job, state.clock.now_ms(), &reason).await;
    }
    let work = load_work(state, &job.consent_id).await?;
    let settings = settings::load(&state.db, &state.secrets, &work.merchant_id).await?;
    // The account the consent was given under, even if the merchant has since chosen
    // another provider: a consent is never split between two.
    let account = settings
        .as_ref()
        .and_then(|s| s.account_of(work.provider, &work.account_id));
    let Some(account) = account.cloned() else {
        // Waiting will not change this: the consent fails with the reason, and the
        // merchant's retry queues it again once the settings are fixed.
        let reason = match &settings {
            Some(s) => s.missing_account_reason(work.provider, &work.account_id),
            None => "the store no longer exists".to_owned(),
        };
        return queue::fail(&state.db, job, state.clock.now_ms(), &reason).await;
    };
    let provider = state.providers.get(work.provider);
    // Whether a failure below is the opt-in's write's own answer (not a read-back's).
    let mut from_write = false;
    let result = match job.step.as_str() {
        STEP_CUSTOMER => {
            let contact = Contact {
                customer_id: work.customer_id.clone(),
                first_name: work.first_name.clone(),
                last_name: work.last_name.clone(),
                email: work.email.clone(),
                phone: Some(work.phone.clone()),
                country: work.country.clone(),
                city: work.city.clone(),
            };
            provider.upsert_contact(&account, &contact).await
        }
        STEP_SUBSCRIBE => {
            // How late step 2 starts after its due time (the setting's delay after step 1).
            let late_ms = (state.clock.now_ms() - job.run_at_ms).max(0);
            metrics::histogram!("optin_delay_error_seconds").record(late_ms as f64 / 1000.0);
            let opt_in = OptIn {
                phone: work.phone.clone(),
                list_id: work.list_id.clone(),
                source: work.source.clone(),
                email: work.email.clone(),
                first_name: work.first_name.clone(),
                last_name: work.last_name.clone(),
            };
            // An earlier attempt left and its outcome is unknown (a time-out, a cut
            // connection, a worker that died or lost its claim mid-call): it may have landed,
            // or the shopper may have texted STOP since. Ask before sending it again, once
            // the provider shows its writes to reads. A check that fails is tried again
            // later: never send blind. (An attempt stopped before its write left, or answered
            // 429, left no mark: it is sent as it is.)
            if let Some(sent_at) = job.sent_at_ms {
                let readable_at = sent_at + config.read_delay_for(work.provider).as_millis() as i64;
                let now = state.clock.now_ms();
                if now < readable_at {
                    let reason = "an earlier attempt's opt-in may have landed; reading it back \
                        once the provider shows it";
                    return queue::retry_later(
                        &state.db,
                        job,
                        now,
                        readable_at,
                        reason,
                        false,
                        false,
                    )
                    .await;
                }
            }
            let now_there = if job.sent_at_ms.is_some() {
                provider.phone_consent(&account, &opt_in).await.map(Some)
            } else {
                Ok(None)
            };
            match now_there {
                Err(e) => Err(ProviderError {
                    // The read failed, not the write: the write's mark stays.
                    kind: match e.kind {
                        ProviderErrorKind::Retryable { after, .. } => {
                            ProviderErrorKind::Retryable {
                                after,
                                unapplied: false,
                            }
                        }
                        kind => kind,
                    },
                    reason: format!(
                        "could not re-read the shopper's consent before sending again: {}",
                        e.reason
                    ),
                }),
                Ok(Some(Some(PhoneConsent {
                    subscribed: true, ..
                }))) => {
                    tracing::info!("an earlier attempt's opt-in had landed; not sending it again");
                    Ok(())
                }
                // Withdrawn after this consent was given, or at a time the provider does not
                // say: a replay must not undo it.
                Ok(Some(Some(PhoneConsent {
                    unsubscribed: true,
                    changed_at_ms,
                    ..
                }))) if changed_at_ms.is_none_or(|at| at > work.consented_at_ms) => {
                    // Withdrawn after this consent was given: a replay must not undo it.
                    let reason = "the shopper unsubscribed (for example by texting STOP) after \
                        consenting; the opt-in was not sent again";
                    tracing::warn!("{reason}");
                    return queue::fail(&state.db, job, state.clock.now_ms(), reason).await;
                }
                _ => {
                    from_write = true;
                    // Marked, under this claim, as leaving right before the write is sent.
                    let (db, clock, claim) = (state.db.clone(), state.clock.clone(), job.clone());
                    let mark: write_mark::Mark = Arc::new(move || {
                        let (db, clock, claim) = (db.clone(), clock.clone(), claim.clone());
                        Box::pin(
                            async move { queue::mark_sending(&db, &claim, clock.now_ms()).await },
                        )
                    });
                    write_mark::scoped(mark, provider.subscribe(&account, &opt_in)).await
                }
            }
        }
        other => {
            let reason = format!("unknown job step {other}");
            return queue::fail(&state.db, job, state.clock.now_ms(), &reason).await;
        }
    };
    let now = state.clock.now_ms();
    match result {
        Ok(()) => {
            let recorded = if job.step == STEP_CUSTOMER {
                let delay = config.optin_delay_for(work.provider).as_millis() as i64;
                queue::complete_customer_step(&state.db, job, now, delay).await?
            } else {
                // The list the consent went to asks the shopper to confirm by text.
                let confirming = settings.as_ref().is_some_and(|s| {
                    s.connections.iter().any(|c| {
                        c.provider == work.provider
                            && c.account.id.as_str() == work.account_id
                            && c.list_id.as_ref() == Some(&work.list_id)
                            && c.double_opt_in
                    })
                });
                queue::complete_subscribe_step(&state.db, job, now, confirming).await?
            };
            if recorded {
                tracing::info!(phone = %mask::phone(work.phone.as_str()), "step done");
                // Step 2 is now queued: let the loop see its due time.
                state.jobs_wake.notify_one();
            } else {
                tracing::warn!("claim lost before the result was recorded");
            }
            Ok(())
        }
        Err(e) => match after_failure(config, job.attempts, job.failures, now, &e, "step") {
            AfterFailure::Retry {
                at_ms,
                count_attempt,
                unapplied,
            } => {
                queue::retry_later(
                    &state.db,
                    job,
                    now,
                    at_ms,
                    &e.reason,
                    count_attempt,
                    unapplied,
                )
                .await
            }
            AfterFailure::Fail(reason) => {
                // A refusal of the write (a 4xx) did nothing; a failed read-back says nothing
                // about the write.
                let refused = from_write && !e.is_retryable();
                queue::fail_as(&state.db, job, now, &reason, refused).await
            }
        },
    }
}

/// What a failed attempt at a job leads to.
pub(super) enum AfterFailure {
    /// Again at `at_ms`; a wait the provider asked for (429) does not count as an attempt.
    /// `unapplied`: the provider's answer says the attempt did nothing.
    Retry {
        at_ms: i64,
        count_attempt: bool,
        unapplied: bool,
    },
    /// The dead letter, with the reason the merchant will see.
    Fail(String),
}

/// The retry policy every job kind shares: a retryable failure is tried again after the
/// provider's wait or the back-off, until `max_attempts`; a refusal fails at once. `what`
/// names the job in the log.
pub(super) fn after_failure(
    config: &WorkerConfig,
    attempts: i64,
    failures: i64,
    now_ms: i64,
    e: &ProviderError,
    what: &str,
) -> AfterFailure {
    match e.kind {
        ProviderErrorKind::Retryable { after, unapplied } if !config.spent(attempts, failures) => {
            let wait = after.unwrap_or_else(|| backoff(config, failures + 1));
            tracing::warn!(error = %e.reason, wait_ms = wait.as_millis() as u64, "{what} failed; will retry");
            AfterFailure::Retry {
                at_ms: now_ms + wait.as_millis() as i64,
                count_attempt: after.is_none(),
                unapplied,
            }
        }
        ProviderErrorKind::Retryable { .. } => {
            let reason = if failures + 1 >= config.max_attempts {
                format!("gave up after {} attempts: {}", failures + 1, e.reason)
            } else {
                format!("{}: {}", cut_short(attempts), e.reason)
            };
            tracing::warn!(%reason, "{what} failed for good");
            AfterFailure::Fail(reason)
        }
        ProviderErrorKind::BadCredentials | ProviderErrorKind::Permanent => {
            tracing::warn!(error = %e.reason, "{what} refused; not retrying");
            AfterFailure::Fail(e.reason.clone())
        }
    }
}

/// How many claims a job may take per attempt it is allowed: claims a killed worker spent
/// count too, so a job that kills every worker that runs it (a poison pill) still ends.
pub(super) const CLAIMS_PER_ATTEMPT: i64 = 3;

impl WorkerConfig {
    /// Whether a job that failed now, in its `attempts`-th claim after `failures` failures
    /// before it, has had its last try.
    pub(super) fn spent(&self, attempts: i64, failures: i64) -> bool {
        failures + 1 >= self.max_attempts || attempts >= self.max_attempts * CLAIMS_PER_ATTEMPT
    }

    /// Whether a job just claimed for the `attempts`-th time is over its claims: the workers
    /// that took it kept stopping before it ended (a job that kills them). It is failed
    /// without being run.
    pub(super) fn claims_spent(&self, attempts: i64) -> bool {
        attempts > self.max_attempts * CLAIMS_PER_ATTEMPT
    }
}

/// Why a job over its claims gave up.
fn cut_short(attempts: i64) -> String {
    format!("gave up after {attempts} tries, most cut short by a worker that stopped")
}

/// The wait after a job's `attempts`-th failure.
pub(super) fn backoff(config: &WorkerConfig, attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    config
        .backoff
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(config.max_backoff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, Call, TestEnv};

    fn config() -> WorkerConfig {
        WorkerConfig {
            max_attempts: 3,
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            optin_delay: Duration::from_secs(60),
            // As long as the first back-off: an opt-in in doubt is read back at its retry.
            read_delay: Duration::from_secs(5),
            ..WorkerConfig::default()
        }
    }

    /// Claims what is due now as worker `w` and runs it, as the loop would.
    async fn run_due(env: &TestEnv, config: &WorkerConfig) -> usize {
        let jobs = queue::claim(&env.state.db, "w", env.now_ms(), 120_000, 10, 4)
            .await
            .unwrap();
        for job in &jobs {
            run_job(&env.state, config, job).await.unwrap();
        }
        jobs.len()
    }

    fn retryable(after: Option<Duration>) -> ProviderError {
        ProviderError {
            // A wait the provider asked for is a 429, which did nothing; a 503 may have.
            kind: ProviderErrorKind::Retryable {
                after,
                unapplied: after.is_some(),
            },
            reason: "HTTP 503 from the provider".into(),
        }
    }

    /// How many opt-ins reached the provider.
    fn opt_ins_sent(env: &TestEnv) -> usize {
        env.provider
            .calls()
            .iter()
            .filter(|c| matches!(c, Call::Subscribe { .. }))
            .count()
    }

    /// A consent whose step 1 was sent, then whose opt-in reached the provider with its
    /// answer lost (a time-out): in doubt.
    async fn opt_in_timed_out(env: &TestEnv, config: &WorkerConfig) -> String {
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        run_due(env, config).await;
        env.advance_ms(60_000);
        env.provider.answer(Err(ProviderError {
            kind: ProviderErrorKind::Retryable {
                after: None,
                unapplied: false,
            },
            reason: "timed out".into(),
        }));
        run_due(env, config).await;
        consent
    }

    #[tokio::test]
    async fn the_two_steps_reach_the_provider_the_delay_apart() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        assert_eq!(run_due(&env, &config()).await, 1);
        assert_eq!(
            env.provider.calls(),
            [Call::Upsert {
                customer_id: "c-+14155550100".into()
            }]
        );
        env.advance_ms(59_999);
        assert_eq!(run_due(&env, &config()).await, 0);
        env.advance_ms(1);
        assert_eq!(run_due(&env, &config()).await, 1);
        assert_eq!(
            env.provider.calls()[1],
            Call::Subscribe {
                phone: "+14155550100".into()
            }
        );
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
    }

    #[tokio::test]
    async fn retryable_failures_back_off_then_give_up_with_the_reason() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        for _ in 0..3 {
            env.provider.answer(Err(retryable(None)));
        }
        let start = env.now_ms();
        run_due(&env, &config()).await;
        let job = env.job(&consent, queue::STEP_CUSTOMER).await;
        assert_eq!(job.run_at_ms, Some(start + 5_000), "first back-off");
        env.advance_ms(5_000);
        run_due(&env, &config()).await;
        let job = env.job(&consent, queue::STEP_CUSTOMER).await;
        assert_eq!(job.run_at_ms, Some(start + 5_000 + 10_000), "doubled");
        env.advance_ms(10_000);
        run_due(&env, &config()).await;
        let state = env.consent_state(&consent).await;
        assert_eq!(state.state, "failed", "the third attempt was the last");
        assert_eq!(
            state.failure_reason.as_deref(),
            Some("gave up after 3 attempts: HTTP 503 from the provider")
        );
    }

    #[tokio::test]
    async fn claims_a_killed_worker_spent_neither_lengthen_the_back_off_nor_use_up_the_job() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        // Two workers claimed it and died: their leases ran out.
        for dead in ["dead-1", "dead-2"] {
            let claimed = queue::claim(&env.state.db, dead, env.now_ms(), 2_000, 10, 4)
                .await
                .unwrap();
            assert_eq!(claimed.len(), 1);
            env.advance_ms(2_001);
        }
        // The third claim fails: the first failure's back-off, and the job goes on although
        // its claims reached `max_attempts`.
        env.provider.answer(Err(retryable(None)));
        let start = env.now_ms();
        run_due(&env, &config()).await;
        let job = env.job(&consent, queue::STEP_CUSTOMER).await;
        assert_eq!(job.state, "queued");
        assert_eq!(job.run_at_ms, Some(start + 5_000), "the first back-off");
        env.advance_ms(5_000);
        run_due(&env, &config()).await;
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");

        // A job that kills every worker that claims it still ends: claims are bounded too,
        // and the one past the bound fails it without running it.
        let poison = env.consent(&merchant, "+14155550101").await;
        for n in 0..config().max_attempts * CLAIMS_PER_ATTEMPT {
            let claimed = queue::claim(
                &env.state.db,
                &format!("dead-{n}"),
                env.now_ms(),
                2_000,
                10,
                4,
            )
            .await
            .unwrap();
            assert_eq!(claimed.len(), 1);
            env.advance_ms(2_001);
        }
        let calls = env.provider.calls().len();
        run_due(&env, &config()).await;
        let state = env.consent_state(&poison).await;
        assert_eq!(state.state, "failed");
        assert_eq!(
            state.failure_reason.as_deref(),
            Some("gave up after 9 tries, most cut short by a worker that stopped")
        );
        assert_eq!(env.provider.calls().len(), calls, "not run again");
    }

    #[tokio::test]
    async fn a_wait_the_provider_asks_for_is_honoured_and_not_counted() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        for _ in 0..5 {
            env.provider
                .answer(Err(retryable(Some(Duration::from_secs(30)))));
        }
        for _ in 0..5 {
            let before = env.now_ms();
            run_due(&env, &config()).await;
            let job = env.job(&consent, queue::STEP_CUSTOMER).await;
            assert_eq!(job.run_at_ms, Some(before + 30_000));
            assert_eq!(job.attempts, 0, "rate limits never use up the attempts");
            env.advance_ms(30_000);
        }
        run_due(&env, &config()).await;
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");
    }

    #[tokio::test]
    async fn a_refusal_fails_at_once_and_a_store_without_settings_fails_too() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let connected = env.connected_merchant("Acme").await;
        let refused = env.consent(&connected, "+14155550100").await;
        env.provider.answer(Err(ProviderError {
            kind: ProviderErrorKind::Permanent,
            reason: "the list does not exist".into(),
        }));
        let bare = env.merchant("Bare").await;
        let orphan = env.consent(&bare, "+14155550101").await;
        run_due(&env, &config()).await;
        let state = env.consent_state(&refused).await;
        assert_eq!(
            (state.state.as_str(), state.failure_reason.as_deref()),
            ("failed", Some("the list does not exist"))
        );
        let state = env.consent_state(&orphan).await;
        assert_eq!(state.state, "failed");
        assert!(state
            .failure_reason
            .unwrap()
            .contains("no Yotpo SMS & Email account"));
        assert_eq!(
            env.provider.calls().len(),
            1,
            "nothing sent for the bare store"
        );
    }

    #[tokio::test]
    async fn an_opt_in_whose_answer_was_lost_is_checked_before_it_is_sent_again() {
        let env = TestEnv::new(Backend::Sqlite).await;
        // The opt-in reaches the provider, but its answer is lost (a time-out).
        let consent = opt_in_timed_out(&env, &config()).await;
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");
        env.advance_ms(5_000);
        run_due(&env, &config()).await;
        assert_eq!(
            env.provider.opt_in_checks(),
            1,
            "asked before sending again"
        );
        assert_eq!(
            opt_ins_sent(&env),
            1,
            "the landed opt-in was not sent twice"
        );
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
    }

    #[tokio::test]
    async fn an_opt_in_in_doubt_is_read_back_only_once_the_provider_shows_writes() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let config = WorkerConfig {
            read_delay: Duration::from_secs(20),
            ..config()
        };
        let consent = opt_in_timed_out(&env, &config).await;
        let left_at = env.now_ms();
        assert_eq!(
            env.job(&consent, queue::STEP_SUBSCRIBE).await.sent_at_ms,
            Some(left_at),
            "marked as leaving, and still in doubt"
        );
        // The back-off is over, but a read now could miss the write: not yet asked.
        env.advance_ms(5_000);
        assert_eq!(run_due(&env, &config).await, 1);
        assert_eq!(env.provider.opt_in_checks(), 0);
        let job = env.job(&consent, queue::STEP_SUBSCRIBE).await;
        assert_eq!(job.run_at_ms, Some(left_at + 20_000));
        assert_eq!(job.attempts, 1, "waiting to read is not an attempt");
        env.advance_ms(15_000);
        assert_eq!(run_due(&env, &config).await, 1);
        assert_eq!(env.provider.opt_in_checks(), 1);
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
        assert_eq!(
            opt_ins_sent(&env),
            1,
            "found to have landed: not sent again"
        );
    }

    #[tokio::test]
    async fn an_opt_in_the_provider_did_not_act_on_is_sent_again_without_asking() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        run_due(&env, &config()).await;
        env.advance_ms(60_000);
        env.provider
            .answer(Err(retryable(Some(Duration::from_secs(2)))));
        run_due(&env, &config()).await;
        assert_eq!(
            env.job(&consent, queue::STEP_SUBSCRIBE).await.sent_at_ms,
            None,
            "a 429 did nothing"
        );
        env.advance_ms(2_000);
        run_due(&env, &config()).await;
        assert_eq!(env.provider.opt_in_checks(), 0, "nothing to ask about");
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
    }

    #[tokio::test]
    async fn a_claim_lost_before_the_opt_in_left_sends_nothing() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        run_due(&env, &config()).await;
        env.advance_ms(60_000);
        let stale = queue::claim(&env.state.db, "w1", env.now_ms(), 1_000, 10, 4)
            .await
            .unwrap()
            .remove(0);
        // Its lease runs out (a long pause) and another worker claims the job.
        env.advance_ms(1_001);
        let current = queue::claim(&env.state.db, "w2", env.now_ms(), 120_000, 10, 4)
            .await
            .unwrap()
            .remove(0);
        run_job(&env.state, &config(), &stale).await.unwrap();
        assert_eq!(opt_ins_sent(&env), 0, "the stale claim's write never left");
        run_job(&env.state, &config(), &current).await.unwrap();
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
        assert_eq!(
            env.provider.opt_in_checks(),
            0,
            "the current claim had no doubt"
        );
    }

    #[tokio::test]
    async fn a_refused_opt_in_retried_by_the_merchant_is_sent_without_asking() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        run_due(&env, &config()).await;
        env.advance_ms(60_000);
        env.provider.answer(Err(ProviderError {
            kind: ProviderErrorKind::Permanent,
            reason: "the list does not exist".into(),
        }));
        run_due(&env, &config()).await;
        let job = env.job(&consent, queue::STEP_SUBSCRIBE).await;
        assert_eq!(
            (job.state.as_str(), job.sent_at_ms),
            ("failed", None),
            "refused: it did nothing"
        );
        // The merchant fixes the list and retries: sent at once.
        let mut tx = env.state.db.pool().begin().await.unwrap();
        queue::requeue(&mut tx, &consent, env.now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(run_due(&env, &config()).await, 1);
        assert_eq!(env.provider.opt_in_checks(), 0);
        assert_eq!(opt_ins_sent(&env), 2);
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
    }

    #[tokio::test]
    async fn a_replay_never_undoes_a_stop_sent_after_the_consent() {
        let env = TestEnv::new(Backend::Sqlite).await;
        // The opt-in's answer is lost, and the shopper then texts STOP.
        let consent = opt_in_timed_out(&env, &config()).await;
        env.provider.withdraw(env.now_ms() + 1_000);
        env.advance_ms(5_000);
        run_due(&env, &config()).await;
        let state = env.consent_state(&consent).await;
        assert_eq!(state.state, "failed");
        assert!(state.failure_reason.unwrap().contains("unsubscribed"));
        assert_eq!(opt_ins_sent(&env), 1, "not sent again after the STOP");
    }

    #[tokio::test]
    async fn an_opt_in_is_never_sent_blind_when_its_check_fails() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let consent = opt_in_timed_out(&env, &config()).await;
        // The provider cannot be asked whether the first attempt landed: wait, do not send.
        env.provider.failing_checks(true);
        env.advance_ms(5_000);
        run_due(&env, &config()).await;
        assert_eq!(opt_ins_sent(&env), 1, "not sent while the check fails");
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");
        // Once it can be asked, the first attempt is found to have landed: not sent again.
        env.provider.failing_checks(false);
        env.advance_ms(60_000);
        run_due(&env, &config()).await;
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
        assert_eq!(opt_ins_sent(&env), 1);
    }

    #[tokio::test]
    async fn a_consent_keeps_the_account_it_was_given_under() {
        use crate::ssr::consent::settings::{self, KlaviyoUpdate};
        use crate::ssr::sms::{AccountId, ListId};
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let before = env.consent(&merchant, "+14155550100").await;
        // The merchant moves to Klaviyo: the consent given under Yotpo still goes there.
        let klaviyo = KlaviyoUpdate {
            account_id: AccountId::parse("kl-1").unwrap(),
            key: "pk_test".to_owned().into(),
            list_id: ListId::parse("TrkSub").unwrap(),
            double_opt_in: false,
            terms_url: None,
            privacy_url: None,
            heading: None,
            extra: None,
        };
        settings::save_klaviyo(&env.state.db, &env.state.secrets, &merchant, &klaviyo)
            .await
            .unwrap();
        run_due(&env, &config()).await;
        assert_eq!(env.consent_state(&before).await.state, "customer_sent");
        // Its Yotpo store is replaced by another: the consent cannot follow, and says why.
        let other = settings::SmsSettingsUpdate {
            account_id: AccountId::parse("another-store").unwrap(),
            secret: "secret".to_owned().into(),
            list_id: ListId::from(1001),
            terms_url: None,
            privacy_url: None,
            heading: None,
            extra: None,
        };
        settings::save(&env.state.db, &env.state.secrets, &merchant, &other)
            .await
            .unwrap();
        env.advance_ms(60_000);
        run_due(&env, &config()).await;
        let state = env.consent_state(&before).await;
        assert_eq!(state.state, "failed");
        assert!(
            state
                .failure_reason
                .as_deref()
                .unwrap()
                .contains("no longer connected"),
            "{state:?}"
        );
    }

    #[tokio::test]
    async fn a_secret_that_no_longer_decrypts_fails_the_consent_with_the_reason() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        // Sealed with another key, as after a changed TRACKLIGHT_SECRET_KEY.
        let other = crate::ssr::secrets::SecretBox::from_base64(
            &crate::ssr::secrets::SecretBox::generate_key(),
        )
        .unwrap();
        let sealed = other
            .seal(merchant.as_str(), &"secret".to_owned().into())
            .unwrap();
        sqlx::query("UPDATE merchants SET sms_secret_enc = $1")
            .bind(sealed)
            .execute(env.state.db.pool())
            .await
            .unwrap();
        run_due(&env, &config()).await;
        let state = env.consent_state(&consent).await;
        assert_eq!(state.state, "failed");
        assert_eq!(
            state.failure_reason.as_deref(),
            Some(settings::UNREADABLE_SECRET)
        );
        assert!(env.provider.calls().is_empty());
    }

    /// The worker's own loop, with a fast heartbeat, until `stop` is notified.
    fn spawn_worker(env: &TestEnv, stop: Arc<Notify>) -> tokio::task::JoinHandle<()> {
        let worker = Worker::new(
            env.state.clone(),
            WorkerConfig {
                poll: Duration::from_millis(20),
                heartbeat: Duration::from_millis(50),
                lease: Duration::from_secs(5),
                grace: Duration::from_millis(100),
                ..config()
            },
        );
        tokio::spawn(worker.run(async move { stop.notified().await }))
    }

    async fn until(what: &str, mut check: impl FnMut() -> bool) {
        for _ in 0..500 {
            if check() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("timed out waiting for {what}");
    }

    #[tokio::test]
    async fn a_claim_taken_over_mid_call_stops_the_call_here() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        env.provider.slow_steps(Duration::from_secs(30));
        let stop = Arc::new(Notify::new());
        let worker = spawn_worker(&env, stop.clone());
        until("the call", || env.provider.calls().len() == 1).await;
        // The lease lapses (a stalled process would see this) and another worker takes
        // the job: this worker's heartbeat finds the claim gone and stops the call.
        env.advance_ms(5_001);
        let taken = queue::claim(&env.state.db, "other", env.now_ms(), 5_000, 10, 4)
            .await
            .unwrap();
        assert_eq!(taken.len(), 1);
        until("the call to be stopped", || {
            env.provider.cancelled_steps() == 1
        })
        .await;
        assert_eq!(
            env.job(&consent, queue::STEP_CUSTOMER)
                .await
                .locked_by
                .as_deref(),
            Some("other")
        );
        stop.notify_one();
        worker.await.unwrap();
    }

    #[tokio::test]
    async fn the_heartbeat_keeps_a_long_call_the_workers() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        env.provider.slow_steps(Duration::from_secs(2));
        let stop = Arc::new(Notify::new());
        let worker = spawn_worker(&env, stop.clone());
        until("the call", || env.provider.calls().len() == 1).await;
        // Ten seconds of clock pass during the call, a second at a time; after each, a
        // heartbeat renews the lease, and nobody else may take the job meanwhile.
        for _ in 0..10 {
            env.advance_ms(1_000);
            let renewed = env.now_ms() + WorkerConfig::default().lease.as_millis() as i64;
            for _ in 0..500 {
                let until: Option<i64> =
                    sqlx::query_scalar("SELECT locked_until_ms FROM jobs WHERE step = $1")
                        .bind(queue::STEP_CUSTOMER)
                        .fetch_one(env.state.db.pool())
                        .await
                        .unwrap();
                if until == Some(renewed) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let other = queue::claim(&env.state.db, "other", env.now_ms(), 5_000, 10, 4)
                .await
                .unwrap();
            assert!(other.is_empty(), "the running job stayed claimed");
        }
        for _ in 0..500 {
            if env.consent_state(&consent).await.state == "customer_sent" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");
        assert_eq!(env.provider.cancelled_steps(), 0);
        stop.notify_one();
        worker.await.unwrap();
    }

    #[tokio::test]
    async fn letting_go_of_a_claim_keeps_the_jobs_newer_claim() {
        let running = Running::default();
        let task = tokio::spawn(std::future::pending::<()>()).abort_handle();
        // The job finished under fence 1 and was claimed again at once, under fence 2.
        running.hold("job".into(), 2, task.clone());
        running.finished(&("job".to_owned(), 1));
        assert!(release_claim(&running.held, "job", 1).is_none());
        assert!(
            running.held.lock().unwrap().contains_key("job"),
            "fence 2 is kept"
        );
        assert!(release_claim(&running.held, "job", 2).is_some());
        assert!(running.held.lock().unwrap().is_empty());
        task.abort();
    }

    #[test]
    fn back_off_doubles_up_to_its_ceiling() {
        let config = config();
        let waits: Vec<u64> = (1..=6).map(|n| backoff(&config, n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
    }
}
