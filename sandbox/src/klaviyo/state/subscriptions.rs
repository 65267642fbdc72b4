//! Subscribe jobs and what follows them. A job (`Job`) waits out the subscribe delay after
//! its 202, then finds or creates each profile and subscribes it at once (single opt-in,
//! historical imports), or texts it for confirmation (double opt-in: a message in the
//! outbox and a `PendingOptIn` until the shopper's YES). STOP ends SMS marketing consent.

use super::account::Account;
use super::profile::{Consent, ConsentStatus};
use super::spec::OptIn;
use super::State;
use crate::klaviyo::phone::Phone;
use serde_json::{json, Map};

/// A requested subscription to one channel (`consented_at` only for historical imports).
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::klaviyo) struct Channel {
    pub consented_at: Option<i64>,
}

/// One profile of a subscribe job, validated.
#[derive(Debug, Clone, Default)]
pub(in crate::klaviyo) struct JobProfile {
    pub id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Phone>,
    pub sms_marketing: Option<Channel>,
    pub sms_transactional: Option<Channel>,
    pub email_marketing: Option<Channel>,
}

/// A subscribe job, validated, waiting to be applied.
#[derive(Debug, Clone)]
pub(in crate::klaviyo) struct Job {
    pub list_id: Option<String>,
    pub custom_source: Option<String>,
    pub historical: bool,
    pub profiles: Vec<JobProfile>,
}

pub(super) struct Queued {
    due_ms: i64,
    job: Job,
}

/// A confirmation text sent, waiting for the shopper's YES.
pub(super) struct PendingOptIn {
    profile_id: String,
    phone: String,
    list_id: Option<String>,
    custom_source: Option<String>,
}
impl State {
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
    pub(in crate::klaviyo) fn enqueue(&mut self, account_id: &str, job: Job) {
        let due_ms = self.now_ms() + self.faults.subscribe_delay_ms as i64;
        if let Some(account) = self.accounts.get_mut(account_id) {
            account.jobs.push(Queued { due_ms, job });
        }
    }

    pub(in crate::klaviyo) fn confirm(&mut self, account_id: &str, phone: &str) -> bool {
        let now = self.now_ms();
        self.accounts
            .get_mut(account_id)
            .is_some_and(|a| a.confirm(phone, now))
    }

    pub(in crate::klaviyo) fn stop(&mut self, account_id: &str, phone: &str) -> bool {
        let now = self.now_ms();
        self.accounts
            .get_mut(account_id)
            .is_some_and(|a| a.stop(phone, now))
    }
}

impl Account {
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
}
