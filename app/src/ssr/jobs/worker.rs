//! The job runner inside each server process: claims due jobs, runs each against the SMS
//! list provider, and records the outcome. Retryable failures back off (honouring the wait
//! the provider asks for after a 429); permanent ones, and retryable ones past the attempt
//! bound, fail the consent with the reason. On shutdown it stops claiming, lets running jobs
//! finish within a grace period, and hands back what is left.

use super::queue::{self, ClaimedJob, STEP_CUSTOMER, STEP_SUBSCRIBE};
use crate::domain::inputs::{Email, PersonName, PhoneE164};
use crate::domain::mask;
use crate::ssr::consent::settings;
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::{Contact, ListId, OptIn, ProviderErrorKind, Source};
use crate::ssr::AppState;
use anyhow::Context;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tracing::Instrument;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Longest sleep between looks at the queue (new work also wakes the worker at once).
    pub poll: Duration,
    /// How long a claim holds; a worker that dies mid-job loses its claim after this.
    pub lease: Duration,
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// Jobs of one merchant held at once by all workers: about what their provider budget
    /// serves in a second (4 requests/s), so one store's burst cannot take every slot.
    pub per_merchant: usize,
    /// Attempts before a retryable failure becomes final.
    pub max_attempts: i64,
    /// First wait after a retryable failure; doubles per attempt up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Step 2 runs this long after step 1 succeeded.
    pub optin_delay: Duration,
    /// At shutdown, how long running jobs may take to finish.
    pub grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            lease: Duration::from_secs(120),
            concurrency: 32,
            per_merchant: 4,
            max_attempts: 10,
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(15 * 60),
            optin_delay: Duration::from_secs(60),
            grace: Duration::from_secs(15),
        }
    }
}

pub struct Worker {
    state: AppState,
    config: Arc<WorkerConfig>,
    id: Arc<str>,
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
        let mut running: JoinSet<()> = JoinSet::new();
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
            let free = self.config.concurrency.saturating_sub(running.len());
            let mut claimed = 0;
            if free > 0 && due.is_some_and(|due| due <= now) {
                match self.claim(free).await {
                    Ok(jobs) => {
                        claimed = jobs.len();
                        for job in jobs {
                            running.spawn(self.run_job(job));
                        }
                    }
                    Err(e) => tracing::error!(error = format!("{e:#}"), "claiming jobs failed"),
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
                Some(done) = running.join_next(), if !running.is_empty() => {
                    if let Err(e) = done {
                        tracing::error!(error = %e, "a job task panicked");
                    }
                }
            }
        }
        tracing::info!(running = running.len(), "job worker stopping");
        let drained = tokio::time::timeout(self.config.grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            running.abort_all();
            while running.join_next().await.is_some() {}
        }
        match queue::release(&self.state.db, &self.id, self.state.clock.now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "handed back unfinished jobs"),
            Err(e) => tracing::error!(error = format!("{e:#}"), "releasing jobs failed"),
        }
        tracing::info!("job worker stopped");
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

    fn run_job(&self, job: ClaimedJob) -> impl Future<Output = ()> + Send + 'static {
        let state = self.state.clone();
        let config = self.config.clone();
        let worker = self.id.clone();
        let span = tracing::info_span!("job", job = %job.id, step = %job.step, consent = %job.consent_id, attempt = job.attempts);
        async move {
            if let Err(e) = run_job(&state, &config, &worker, &job).await {
                // A database error: the claim runs out and the job is tried again.
                tracing::error!(error = format!("{e:#}"), "job could not be recorded");
            }
        }
        .instrument(span)
    }
}

/// What a job needs from its consent.
struct ConsentWork {
    merchant_id: MerchantId,
    customer_id: String,
    phone: PhoneE164,
    first_name: Option<PersonName>,
    last_name: Option<PersonName>,
    email: Option<Email>,
    list_id: ListId,
    source: Source,
}

#[derive(sqlx::FromRow)]
struct WorkRow {
    merchant_id: String,
    customer_external_id: String,
    phone_e164: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    list_id: i64,
    source: String,
}

async fn load_work(state: &AppState, consent_id: &str) -> anyhow::Result<ConsentWork> {
    let row: WorkRow = sqlx::query_as(
        "SELECT merchant_id, customer_external_id, phone_e164, first_name, last_name, email,
                list_id, source
         FROM consents WHERE id = $1",
    )
    .bind(consent_id)
    .fetch_one(state.db.pool())
    .await
    .context("reading a job's consent")?;
    Ok(ConsentWork {
        merchant_id: MerchantId::from_db(row.merchant_id),
        customer_id: row.customer_external_id,
        phone: PhoneE164::parse(&row.phone_e164, None).map_err(anyhow::Error::msg)?,
        first_name: row.first_name.and_then(|n| PersonName::parse(&n).ok()),
        last_name: row.last_name.and_then(|n| PersonName::parse(&n).ok()),
        email: row.email.and_then(|e| Email::parse(&e).ok()),
        list_id: u64::try_from(row.list_id)
            .ok()
            .and_then(ListId::new)
            .context("a stored list ID is out of range")?,
        source: Source::parse(&row.source).map_err(anyhow::Error::msg)?,
    })
}

async fn run_job(
    state: &AppState,
    config: &WorkerConfig,
    worker: &str,
    job: &ClaimedJob,
) -> anyhow::Result<()> {
    let work = load_work(state, &job.consent_id).await?;
    let settings = settings::load(&state.db, &state.secrets, &work.merchant_id).await?;
    let Some(account) = settings.and_then(|s| s.account) else {
        let reason = "the store's SMS settings have no provider account";
        return queue::fail(&state.db, job, worker, state.clock.now_ms(), reason).await;
    };
    let result = match job.step.as_str() {
        STEP_CUSTOMER => {
            let contact = Contact {
                customer_id: work.customer_id.clone(),
                first_name: work.first_name.clone(),
                last_name: work.last_name.clone(),
                email: work.email.clone(),
                phone: Some(work.phone.clone()),
            };
            state.sms.upsert_contact(&account, &contact).await
        }
        STEP_SUBSCRIBE => {
            let opt_in = OptIn {
                phone: work.phone.clone(),
                list_id: work.list_id,
                source: work.source.clone(),
                email: work.email.clone(),
                first_name: work.first_name.clone(),
                last_name: work.last_name.clone(),
            };
            state.sms.subscribe(&account, &opt_in).await
        }
        other => {
            let reason = format!("unknown job step {other}");
            return queue::fail(&state.db, job, worker, state.clock.now_ms(), &reason).await;
        }
    };
    let now = state.clock.now_ms();
    match result {
        Ok(()) => {
            let recorded = if job.step == STEP_CUSTOMER {
                let delay = config.optin_delay.as_millis() as i64;
                queue::complete_customer_step(&state.db, job, worker, now, delay).await?
            } else {
                queue::complete_subscribe_step(&state.db, job, worker, now).await?
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
        Err(e) => match e.kind {
            ProviderErrorKind::Retryable { after } if job.attempts < config.max_attempts => {
                let wait = after.unwrap_or_else(|| backoff(config, job.attempts));
                tracing::warn!(error = %e.reason, wait_ms = wait.as_millis() as u64, "step failed; will retry");
                queue::retry_later(
                    &state.db,
                    job,
                    worker,
                    now,
                    now + wait.as_millis() as i64,
                    &e.reason,
                    after.is_none(),
                )
                .await
            }
            ProviderErrorKind::Retryable { .. } => {
                let reason = format!("gave up after {} attempts: {}", job.attempts, e.reason);
                tracing::warn!(%reason, "step failed for good");
                queue::fail(&state.db, job, worker, now, &reason).await
            }
            ProviderErrorKind::BadCredentials | ProviderErrorKind::Permanent => {
                tracing::warn!(error = %e.reason, "step refused; not retrying");
                queue::fail(&state.db, job, worker, now, &e.reason).await
            }
        },
    }
}

fn backoff(config: &WorkerConfig, attempts: i64) -> Duration {
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
    use crate::ssr::sms::ProviderError;
    use crate::ssr::testing::{Backend, Call, TestEnv};

    fn config() -> WorkerConfig {
        WorkerConfig {
            max_attempts: 3,
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            optin_delay: Duration::from_secs(60),
            ..WorkerConfig::default()
        }
    }

    /// Claims what is due now as worker `w` and runs it, as the loop would.
    async fn run_due(env: &TestEnv, config: &WorkerConfig) -> usize {
        let jobs = queue::claim(&env.state.db, "w", env.now_ms(), 120_000, 10, 4)
            .await
            .unwrap();
        for job in &jobs {
            run_job(&env.state, config, "w", job).await.unwrap();
        }
        jobs.len()
    }

    fn retryable(after: Option<Duration>) -> ProviderError {
        ProviderError {
            kind: ProviderErrorKind::Retryable { after },
            reason: "HTTP 503 from the provider".into(),
        }
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
            .contains("no provider account"));
        assert_eq!(
            env.provider.calls().len(),
            1,
            "nothing sent for the bare store"
        );
    }

    #[test]
    fn back_off_doubles_up_to_its_ceiling() {
        let config = config();
        let waits: Vec<u64> = (1..=6).map(|n| backoff(&config, n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
    }
}
