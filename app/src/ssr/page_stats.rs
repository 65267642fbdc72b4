//! Counts behind the merchant's sign-up rate: tracking page views, and views that offered
//! the SMS checkbox, per merchant and UTC day. Counted in memory and added to the database
//! every few seconds (and at shutdown), so a page view never waits on a write.

use super::merchants::MerchantId;
use super::{times, Db};
use anyhow::Context;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    pub views: i64,
    pub offered: i64,
}

/// (merchant ID, `YYYY-MM-DD`) → counts not yet written.
#[derive(Default)]
pub struct PageStats {
    pending: Mutex<HashMap<(String, String), Counts>>,
}

impl PageStats {
    pub fn record_view(&self, merchant: &MerchantId, offered: bool, now_ms: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let counts = pending
            .entry((merchant.as_str().to_owned(), times::utc_date(now_ms)))
            .or_default();
        counts.views += 1;
        counts.offered += i64::from(offered);
    }

    /// Adds what was counted to the database. What fails to be written is kept for the
    /// next flush.
    pub async fn flush(&self, db: &Db) -> anyhow::Result<()> {
        let taken: Vec<((String, String), Counts)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.drain().collect()
        };
        for (i, ((merchant, day), counts)) in taken.iter().enumerate() {
            let written = sqlx::query(
                "INSERT INTO page_counts (merchant_id, day, views, offered)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (merchant_id, day) DO UPDATE
                 SET views = page_counts.views + excluded.views,
                     offered = page_counts.offered + excluded.offered",
            )
            .bind(merchant)
            .bind(day)
            .bind(counts.views)
            .bind(counts.offered)
            .execute(db.pool())
            .await;
            if let Err(e) = written {
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                for ((merchant, day), counts) in &taken[i..] {
                    let slot = pending.entry((merchant.clone(), day.clone())).or_default();
                    slot.views += counts.views;
                    slot.offered += counts.offered;
                }
                return Err(e).context("writing page counts");
            }
        }
        Ok(())
    }

    /// All-time counts for a merchant, including what is not written yet.
    pub async fn totals(&self, db: &Db, merchant: &MerchantId) -> anyhow::Result<Counts> {
        let mut counts: Counts = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) AS views,
                    CAST(COALESCE(SUM(offered), 0) AS BIGINT) AS offered
             FROM page_counts WHERE merchant_id = $1",
        )
        .bind(merchant.as_str())
        .fetch_one(db.pool())
        .await
        .context("reading page counts")?;
        let pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for ((m, _), c) in pending.iter() {
            if m == merchant.as_str() {
                counts.views += c.views;
                counts.offered += c.offered;
            }
        }
        Ok(counts)
    }
}
