//! The mark a job makes just before a provider write leaves Tracklight.
//!
//! A write whose outcome is unknown (the process died, the call timed out or was cut off)
//! may have landed; one that never left cannot have. Provider clients call [`before_write`]
//! after waiting for their budget and right before sending a write; a job that needs to
//! know (the opt-in, which must never be sent twice) runs its call inside [`scoped`] with a
//! mark that records, under its claim, that the write is leaving. Outside a scope nothing
//! happens. A mark that fails (the claim was lost, the database is down) stops the write:
//! the client answers [`NotSent`], which is safe to retry.

use futures_util::future::BoxFuture;
use std::future::Future;
use std::sync::Arc;

/// What to do right before a write is sent; an error stops it.
pub type Mark = Arc<dyn Fn() -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

tokio::task_local! {
    static MARK: Mark;
}

/// Runs `call` with `mark` made before each write it sends.
pub async fn scoped<F: Future>(mark: Mark, call: F) -> F::Output {
    MARK.scope(mark, call).await
}

/// Called by provider clients right before sending a write.
pub async fn before_write() -> Result<(), NotSent> {
    let Ok(mark) = MARK.try_with(Arc::clone) else {
        return Ok(());
    };
    mark().await.map_err(|e| NotSent(format!("{e:#}")))
}

/// [`before_write`] when the call is a write; nothing otherwise.
pub async fn before_write_if(write: bool) -> Result<(), NotSent> {
    if write {
        before_write().await
    } else {
        Ok(())
    }
}

/// The write was not sent: its mark could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not sent: {0}")]
pub struct NotSent(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_mark_runs_before_each_write_in_its_scope_only() {
        assert_eq!(before_write().await, Ok(()), "no scope, no mark");
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let mark: Mark = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }.boxed()
        });
        scoped(mark, async {
            before_write().await.unwrap();
            before_write().await.unwrap();
        })
        .await;
        assert_eq!(made.load(Ordering::SeqCst), 2);
        let refused: Mark = Arc::new(|| async { anyhow::bail!("the claim was lost") }.boxed());
        let answer = scoped(refused, before_write()).await;
        assert_eq!(answer, Err(NotSent("the claim was lost".into())));
    }
}
