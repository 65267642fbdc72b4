//! The merchant's consent log: every consent with its state, newest first, filtered by
//! state; a retry for failed ones; the counts behind the sign-up rate; a CSV export.

use super::accounts::Session;
use super::jobs::{events, queue};
use super::merchants::MerchantId;
use super::{times, AppState, Db};
use crate::domain::mask;
use crate::domain::settings::{ConsentLogView, ConsentRowView, EventFiguresView, SignUpCounts};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use anyhow::Context;

/// Consent states as stored, in the order a consent goes through them; `held` ones wait for
/// the merchant (the store's hourly cap was reached).
pub const STATES: [&str; 6] = [
    "held",
    "waiting",
    "customer_sent",
    "confirming",
    "subscribed",
    "failed",
];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogEntry {
    pub id: String,
    #[sqlx(rename = "phone_e164")]
    pub phone: String,
    #[sqlx(rename = "customer_external_id")]
    pub customer_id: String,
    pub consented_at_ms: i64,
    pub page_url: Option<String>,
    pub state: String,
    pub failure_reason: Option<String>,
    /// yotpo | klaviyo: where the consent goes (kept when the merchant switches).
    pub provider: String,
    pub list_id: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub disclosure_sha256: String,
    /// The language the shopper read the disclosure in (BCP 47).
    pub language: String,
    /// Its loyalty action, if one was queued: queued | done | failed.
    pub loyalty_state: Option<String>,
    /// recorded | already, when done.
    pub loyalty_outcome: Option<String>,
    pub loyalty_error: Option<String>,
}

impl LogEntry {
    pub fn phone_masked(&self) -> String {
        mask::phone(&self.phone)
    }
}

/// The merchant's consents, newest first; `state` filters when given.
pub async fn entries(
    db: &Db,
    merchant: &MerchantId,
    state: Option<&str>,
    limit: i64,
) -> anyhow::Result<Vec<LogEntry>> {
    sqlx::query_as(
        "SELECT c.id, c.phone_e164, c.customer_external_id, c.consented_at_ms, c.page_url,
                c.state, c.failure_reason, c.provider, c.list_id, c.ip, c.user_agent,
                c.disclosure_sha256, c.language, l.state AS loyalty_state,
                l.outcome AS loyalty_outcome, l.last_error AS loyalty_error
         FROM consents c LEFT JOIN loyalty_jobs l ON l.consent_id = c.id
         WHERE c.merchant_id = $1 AND ($2 = '' OR c.state = $2)
         ORDER BY c.consented_at_ms DESC, c.id
         LIMIT $3",
    )
    .bind(merchant.as_str())
    .bind(state.unwrap_or(""))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading the consent log")
}

/// The consent log page: the newest 500 consents in `filter`'s state (all for an unknown
/// one), the counts per state, and the sign-up rate.
pub async fn view(
    state: &AppState,
    session: &Session,
    filter: &str,
) -> Result<ConsentLogView, AppError> {
    let merchant = &session.merchant_id;
    let filter = if STATES.contains(&filter) { filter } else { "" };
    let entries = entries(&state.db, merchant, Some(filter), 500)
        .await
        .map_err(AppError::internal)?;
    let states = state_counts(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let totals = state
        .stats
        .totals(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let events = events::figures(&state.db, merchant)
        .await
        .map_err(AppError::internal)?;
    let consents: i64 = states.iter().map(|(_, n)| n).sum();
    let rows = entries
        .into_iter()
        .map(|e| ConsentRowView {
            iso: times::rfc3339(e.consented_at_ms),
            time: times::utc_minute(e.consented_at_ms),
            phone_masked: e.phone_masked(),
            provider: crate::domain::ListProvider::parse(&e.provider)
                .map(|p| p.label().to_owned())
                .unwrap_or(e.provider),
            id: e.id,
            page_url: e.page_url,
            state: e.state,
            reason: e.failure_reason,
            language_name: crate::i18n::Lang::parse(&e.language)
                .map_or_else(|| e.language.clone(), |l| l.name()),
            points_failed: e.loyalty_state.as_deref() == Some("failed"),
            points: match (e.loyalty_state.as_deref(), e.loyalty_outcome.as_deref()) {
                (None, _) => None,
                (Some("done"), Some("already")) => Some(mt("log-points-already")),
                (Some("done"), _) => Some(mt("log-points-recorded")),
                (Some("failed"), _) => Some(mt_with(
                    "log-points-failed",
                    &[(
                        "reason",
                        Arg::from(e.loyalty_error.clone().unwrap_or_default()),
                    )],
                )),
                (Some(_), _) => Some(mt("log-points-waiting")),
            },
            language: e.language,
        })
        .collect();
    Ok(ConsentLogView {
        csrf: session.csrf_token.clone(),
        counts: SignUpCounts {
            views: totals.views,
            offered: totals.offered,
            consents,
            rate_percent: (totals.offered > 0)
                .then(|| consents as f64 * 100.0 / totals.offered as f64),
        },
        states,
        filter: filter.to_owned(),
        rows,
        events: EventFiguresView {
            sent: events.sent,
            waiting: events.waiting,
            failed: events.failed,
            recent_failures: events
                .recent_failures
                .into_iter()
                .map(|(at, milestone, reason)| {
                    let label = crate::domain::Milestone::parse(&milestone)
                        .map(|m| m.label().to_owned())
                        .unwrap_or(milestone);
                    (times::utc_minute(at), label, reason)
                })
                .collect(),
        },
    })
}

/// The merchant's "retry" on a failed consent: queued again and the worker woken.
pub async fn retry_now(
    state: &AppState,
    merchant: &MerchantId,
    consent_id: &str,
) -> Result<String, AppError> {
    let consent_id = consent_id.trim();
    let queued = retry(&state.db, merchant, consent_id, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    if queued {
        state.jobs_wake.notify_one();
        return Ok(mt("done-consent-queued"));
    }
    // Else its loyalty points, when Yotpo Loyalty did not take them.
    let points = crate::ssr::jobs::loyalty::retry_failed(state, merchant.as_str(), consent_id)
        .await
        .map_err(AppError::internal)?;
    if !points {
        return Err(AppError::NotFound);
    }
    state.jobs_wake.notify_one();
    Ok(mt("done-points-queued"))
}

/// The merchant's retry of every failed milestone event: queued again, the worker woken.
pub async fn retry_events_now(state: &AppState, merchant: &MerchantId) -> Result<String, AppError> {
    let queued = events::retry_failed(&state.db, merchant, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    if queued == 0 {
        return Ok(mt("done-events-none"));
    }
    state.jobs_wake.notify_one();
    Ok(mt_with(
        "done-events-queued",
        &[("count", Arg::Number(queued as i64))],
    ))
}

/// Queues a failed or held consent of this merchant again; false when there is none such.
pub async fn retry(
    db: &Db,
    merchant: &MerchantId,
    consent_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.pool().begin().await?;
    // The write first (SQLite's lock), scoped to the merchant.
    let touched = sqlx::query(
        "UPDATE consents SET updated_at_ms = $1
         WHERE id = $2 AND merchant_id = $3 AND state IN ('failed', 'held')",
    )
    .bind(now_ms)
    .bind(consent_id)
    .bind(merchant.as_str())
    .execute(&mut *tx)
    .await
    .context("finding a failed or held consent")?;
    if touched.rows_affected() != 1 {
        return Ok(false);
    }
    queue::requeue(&mut tx, consent_id, now_ms).await?;
    tx.commit().await.context("queuing a consent again")?;
    Ok(true)
}

/// Counts per state, for the summary.
pub async fn state_counts(db: &Db, merchant: &MerchantId) -> anyhow::Result<Vec<(String, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Count {
        state: String,
        n: i64,
    }
    let counts: Vec<Count> = sqlx::query_as(
        "SELECT state, COUNT(*) AS n FROM consents WHERE merchant_id = $1 GROUP BY state",
    )
    .bind(merchant.as_str())
    .fetch_all(db.pool())
    .await
    .context("counting consents")?;
    Ok(counts.into_iter().map(|c| (c.state, c.n)).collect())
}

/// One CSV field, quoted when it must be. Text from outside (user agents, page URLs,
/// Yotpo's reasons) that a spreadsheet would run as a formula gets a leading `'`; `checked`
/// fields (E.164 phones, IDs, times) are left as they are.
fn csv_field(value: &str, checked: bool) -> String {
    let value = if !checked && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The log as CSV (full phone numbers: this is the merchant's own record of consent).
pub fn to_csv(entries: &[LogEntry]) -> String {
    let mut out = String::from(
        "consent_id,consented_at_utc,phone_e164,customer_id,state,failure_reason,provider,list_id,page_url,ip,user_agent,disclosure_sha256,language\n",
    );
    for e in entries {
        let at = times::rfc3339(e.consented_at_ms);
        let fields = [
            (e.id.clone(), true),
            (at, true),
            (e.phone.clone(), true),
            (e.customer_id.clone(), false),
            (e.state.clone(), true),
            (e.failure_reason.clone().unwrap_or_default(), false),
            (e.provider.clone(), true),
            (e.list_id.clone(), false),
            (e.page_url.clone().unwrap_or_default(), false),
            (e.ip.clone().unwrap_or_default(), true),
            (e.user_agent.clone().unwrap_or_default(), false),
            (e.disclosure_sha256.clone(), true),
            (e.language.clone(), true),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|(f, checked)| csv_field(f, *checked))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain", false), "plain");
        assert_eq!(csv_field("a,b", false), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", false), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)", false), "'=HYPERLINK(1)");
        assert_eq!(
            csv_field("+cmd|' /C calc'!A0", false),
            "'+cmd|' /C calc'!A0"
        );
        assert_eq!(
            csv_field("+14155552671", true),
            "+14155552671",
            "E.164 stays"
        );
    }
}
