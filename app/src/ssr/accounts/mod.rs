//! Merchant accounts: sign-up, sign-in, sessions.
//!
//! Passwords are hashed with Argon2id (memory-hard), on a blocking thread. Sessions are
//! random 256-bit tokens in an HTTP-only cookie; only their SHA-256 is stored, with an
//! expiry and a CSRF token that every state-changing request must send back.
//!
//! - this module: users, passwords and sessions in the database.
//! - `sign_in`: the services that sign merchants up, in and out.

pub mod sign_in;

use super::merchants::MerchantId;
use super::Db;
use crate::domain::inputs::{BrandName, Email};
use crate::i18n::{mt_with, Arg};
use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a sign-in lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
pub const SESSION_COOKIE: &str = "tl_session";

/// A password as typed: 12 to 128 characters.
pub struct Password(SecretString);

impl Password {
    pub fn parse(input: &str) -> Result<Self, String> {
        let n = input.chars().count();
        if n < 12 {
            return Err(mt_with("error-too-short", &[("min", Arg::Number(12))]));
        }
        if n > 128 {
            return Err(mt_with("error-too-long", &[("max", Arg::Number(128))]));
        }
        Ok(Self(SecretString::from(input.to_owned())))
    }
}

/// Argon2 is memory-hard on purpose (19 MiB and a few milliseconds of a core per hash): a
/// burst of sign-ins must not take every core and all that memory at once. At most this many
/// hashes run at a time; the rest wait their turn.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    tokio::sync::Semaphore::new(cores.clamp(1, 8))
});

async fn hash_password(password: Password) -> anyhow::Result<String> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.0.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A new merchant and its first user, in one transaction.
pub async fn sign_up(
    db: &Db,
    brand: &BrandName,
    email: &Email,
    password: Password,
    now_ms: i64,
) -> Result<(MerchantId, String), SignUpError> {
    let hash = hash_password(password).await?;
    let email = email.as_str().to_ascii_lowercase();
    let merchant_id = uuid::Uuid::new_v4().to_string();
    let mut tx = db.pool().begin().await.context("starting sign-up")?;
    sqlx::query("INSERT INTO merchants (id, name, is_demo, created_at_ms) VALUES ($1, $2, 0, $3)")
        .bind(&merchant_id)
        .bind(brand.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .context("inserting a merchant")?;
    let merchant = MerchantId::from_db(merchant_id);
    let user_id = insert_user(&mut tx, &merchant, &email, &hash, now_ms).await?;
    tx.commit().await.context("committing sign-up")?;
    Ok((merchant, user_id))
}

/// A user of `merchant`, unless the (lower-cased) email is taken.
async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    merchant: &MerchantId,
    email: &str,
    hash: &str,
    now_ms: i64,
) -> Result<String, SignUpError> {
    let user_id = uuid::Uuid::new_v4().to_string();
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO merchant_users (id, merchant_id, email, password_hash, created_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING
         RETURNING id",
    )
    .bind(&user_id)
    .bind(merchant.as_str())
    .bind(email.to_ascii_lowercase())
    .bind(hash)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await
    .context("inserting a user")?;
    inserted.ok_or(SignUpError::EmailTaken)
}

/// Adds a user to an existing merchant (operators: `tracklight merchant user`).
pub async fn add_user(
    db: &Db,
    merchant: &MerchantId,
    email: &Email,
    password: Password,
    now_ms: i64,
) -> Result<String, SignUpError> {
    let hash = hash_password(password).await?;
    let mut tx = db.pool().begin().await.context("adding a user")?;
    let user_id = insert_user(&mut tx, merchant, email.as_str(), &hash, now_ms).await?;
    tx.commit().await.context("committing a user")?;
    Ok(user_id)
}

/// The user with this email and password, if both match. Takes as long for an unknown
/// email as for a wrong password.
pub async fn check_password(
    db: &Db,
    email: &str,
    password: &str,
) -> anyhow::Result<Option<(String, MerchantId)>> {
    #[derive(sqlx::FromRow)]
    struct User {
        id: String,
        merchant_id: String,
        password_hash: String,
    }
    let user: Option<User> = sqlx::query_as(
        "SELECT id, merchant_id, password_hash FROM merchant_users WHERE email = $1",
    )
    .bind(email.trim().to_ascii_lowercase())
    .fetch_optional(db.pool())
    .await
    .context("reading a user")?;
    let hash = user
        .as_ref()
        .map_or_else(|| DECOY.to_owned(), |u| u.password_hash.clone());
    let ok = verify_password(password.to_owned(), hash).await?;
    Ok(user
        .filter(|_| ok)
        .map(|u| (u.id, MerchantId::from_db(u.merchant_id))))
}

/// A well-formed Argon2id hash that no password matches: unknown emails are checked against
/// it, so they cost as much time as a wrong password.
const DECOY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$qLml5cbXxOYk5ZEBpQy2GLbLn9n1Z0X4sFSWmNc0Mpk";

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub merchant_id: MerchantId,
    pub email: String,
    pub csrf_token: String,
}

/// Starts a session; returns the cookie token (shown once, to the browser).
pub async fn start_session(
    db: &Db,
    user_id: &str,
    merchant: &MerchantId,
    now_ms: i64,
) -> anyhow::Result<String> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, merchant_id, csrf_token, created_at_ms,
                               expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(merchant.as_str())
    .bind(random_token())
    .bind(now_ms)
    .bind(now_ms + SESSION_TTL.as_millis() as i64)
    .execute(db.pool())
    .await
    .context("starting a session")?;
    Ok(token)
}

/// The live session behind a cookie token.
pub async fn session(db: &Db, token: &str, now_ms: i64) -> anyhow::Result<Option<Session>> {
    #[derive(sqlx::FromRow)]
    struct SessionRow {
        user_id: String,
        merchant_id: String,
        email: String,
        csrf_token: String,
    }
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.user_id, s.merchant_id, u.email, s.csrf_token
         FROM sessions s JOIN merchant_users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at_ms > $2",
    )
    .bind(token_hash(token))
    .bind(now_ms)
    .fetch_optional(db.pool())
    .await
    .context("reading a session")?;
    Ok(row.map(|r| Session {
        user_id: r.user_id,
        merchant_id: MerchantId::from_db(r.merchant_id),
        email: r.email,
        csrf_token: r.csrf_token,
    }))
}

pub async fn end_session(db: &Db, token: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db.pool())
        .await
        .context("ending a session")?;
    Ok(())
}

/// Removes expired sessions (run now and then).
pub async fn purge_expired(db: &Db, now_ms: i64) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1")
        .bind(now_ms)
        .execute(db.pool())
        .await
        .context("purging sessions")?;
    Ok(done.rows_affected())
}

/// Compares a CSRF token sent by the browser with the session's, in constant time.
pub fn csrf_matches(session: &Session, sent: &str) -> bool {
    let (a, b) = (session.csrf_token.as_bytes(), sent.trim().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse("correct horse battery").is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_the_decoy_is_a_valid_hash() {
        let hash = hash_password(Password::parse("correct horse battery").unwrap())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse battery".into(), hash)
            .await
            .unwrap());
        assert!(!verify_password("anything".into(), DECOY.into())
            .await
            .unwrap());
    }
}
