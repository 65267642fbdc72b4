//! Which shipment milestones the merchant sends to their provider as events
//! (`jobs::events` queues them; the catalogue is `domain::milestone`).

use crate::domain::{AppError, MilestoneSet};
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::merchants::MerchantId;
use crate::ssr::{AppState, Db};
use anyhow::Context;

/// The milestones the merchant sends (none until they choose).
pub async fn chosen(db: &Db, merchant: &MerchantId) -> anyhow::Result<MilestoneSet> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT milestone_events FROM merchants WHERE id = $1")
            .bind(merchant.as_str())
            .fetch_optional(db.pool())
            .await
            .context("reading a store's milestones")?;
    Ok(MilestoneSet::from_stored(&stored.unwrap_or_default()))
}

/// Stores the milestones the merchant sends.
pub async fn store(db: &Db, merchant: &MerchantId, set: &MilestoneSet) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET milestone_events = $1 WHERE id = $2")
        .bind(set.to_stored())
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("saving a store's milestones")?;
    Ok(())
}

/// Stores the milestones by name (the checked boxes); an unknown name is refused.
pub async fn save_milestones(
    state: &AppState,
    merchant: &MerchantId,
    names: &[&str],
) -> Result<String, AppError> {
    let set = MilestoneSet::parse_names(names.iter().copied())
        .map_err(|m| AppError::invalid("milestones", m))?;
    store(&state.db, merchant, &set)
        .await
        .map_err(AppError::internal)?;
    Ok(if set.is_empty() {
        mt("done-milestones-none")
    } else {
        let labels: Vec<&str> = set.iter().map(|m| m.label()).collect();
        mt_with(
            "done-milestones-saved",
            &[("milestones", Arg::from(labels.join(", ")))],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Milestone;
    use crate::ssr::testing::{Backend, TestEnv};

    #[tokio::test]
    async fn milestones_are_saved_by_name_and_unknown_ones_refused() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let acme = env.merchant("acme").await;
        assert!(chosen(&env.state.db, &acme).await.unwrap().is_empty());
        save_milestones(&env.state, &acme, &["delivered", "shipped"])
            .await
            .unwrap();
        let set = chosen(&env.state.db, &acme).await.unwrap();
        assert!(set.contains(Milestone::Shipped) && set.contains(Milestone::Delivered));
        assert!(!set.contains(Milestone::Exception));
        let err = save_milestones(&env.state, &acme, &["beamed"])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("beamed"), "{err}");
    }
}
