//! Yotpo access tokens kept in the database, sealed with the merchant-secret key, so every
//! instance uses the one token a connection has: a restarted or added instance does not
//! spend a slot of the store's request budget on a token exchange of its own for every
//! store. The client keeps its own copy in memory in front of this.
//!
//! A token Yotpo refuses is forgotten here too, but only if it is still the one kept (by
//! its fingerprint): another instance may already have put a fresh one.

use crate::ssr::secrets::SecretBox;
use crate::ssr::Db;
use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

pub struct SharedTokens {
    db: Db,
    secrets: SecretBox,
}

fn fingerprint(token: &SecretString) -> String {
    hex::encode(Sha256::digest(token.expose_secret().as_bytes()))
}

impl SharedTokens {
    pub fn new(db: Db, secrets: SecretBox) -> Self {
        Self { db, secrets }
    }

    /// The token kept for `connection`, if any. One that cannot be read (a new secret key)
    /// counts as none.
    pub async fn get(&self, connection: &str) -> Option<SecretString> {
        let sealed: Option<String> =
            sqlx::query_scalar("SELECT token_sealed FROM provider_tokens WHERE connection = $1")
                .bind(connection)
                .fetch_optional(self.db.pool())
                .await
                .inspect_err(|e| tracing::warn!(error = %e, "reading a shared Yotpo token failed"))
                .ok()
                .flatten();
        self.secrets.open(connection, &sealed?).ok()
    }

    /// Keeps `token` for `connection`, in place of any other.
    pub async fn put(&self, connection: &str, token: &SecretString, now_ms: i64) {
        let put = async {
            let sealed = self.secrets.seal(connection, token)?;
            sqlx::query(
                "INSERT INTO provider_tokens (connection, token_sealed, fingerprint, created_at_ms)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (connection) DO UPDATE SET token_sealed = $2, fingerprint = $3,
                                                        created_at_ms = $4",
            )
            .bind(connection)
            .bind(sealed)
            .bind(fingerprint(token))
            .bind(now_ms)
            .execute(self.db.pool())
            .await
            .context("keeping a Yotpo token")?;
            anyhow::Ok(())
        };
        if let Err(e) = put.await {
            tracing::warn!(error = format!("{e:#}"), "sharing a Yotpo token failed");
        }
    }

    /// Forgets the token kept for `connection` if it is `stale`.
    pub async fn forget(&self, connection: &str, stale: &SecretString) {
        let forgot =
            sqlx::query("DELETE FROM provider_tokens WHERE connection = $1 AND fingerprint = $2")
                .bind(connection)
                .bind(fingerprint(stale))
                .execute(self.db.pool())
                .await;
        if let Err(e) = forgot {
            tracing::warn!(error = %e, "forgetting a shared Yotpo token failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    #[tokio::test]
    async fn a_token_is_kept_sealed_shared_and_forgotten_only_while_current() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let tokens = SharedTokens::new(env.state.db.clone(), env.state.secrets.clone());
        let other = SharedTokens::new(env.state.db.clone(), env.state.secrets.clone());
        assert!(tokens.get("yotpo:s1:ab").await.is_none());
        let first = SecretString::from("token-1");
        tokens.put("yotpo:s1:ab", &first, 1).await;
        let stored: String = sqlx::query_scalar("SELECT token_sealed FROM provider_tokens")
            .fetch_one(env.state.db.pool())
            .await
            .unwrap();
        assert!(!stored.contains("token-1"), "sealed at rest");
        assert_eq!(
            other.get("yotpo:s1:ab").await.unwrap().expose_secret(),
            "token-1",
            "another instance reads it"
        );
        assert!(other.get("yotpo:s2:ab").await.is_none(), "per connection");
        // Another instance has already replaced a refused token: it stays.
        let second = SecretString::from("token-2");
        other.put("yotpo:s1:ab", &second, 2).await;
        tokens.forget("yotpo:s1:ab", &first).await;
        assert_eq!(
            tokens.get("yotpo:s1:ab").await.unwrap().expose_secret(),
            "token-2"
        );
        tokens.forget("yotpo:s1:ab", &second).await;
        assert!(tokens.get("yotpo:s1:ab").await.is_none());
        // Sealed for its connection: moved to another, it does not open.
        other.put("yotpo:s1:ab", &first, 3).await;
        sqlx::query("UPDATE provider_tokens SET connection = 'yotpo:s9:ab'")
            .execute(env.state.db.pool())
            .await
            .unwrap();
        assert!(tokens.get("yotpo:s9:ab").await.is_none());
    }
}
