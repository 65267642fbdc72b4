//! The order look-up: a shopper without a tracking link types the order number and the
//! order's email address or shipping postcode (the merchant chooses which, [`LookupProof`])
//! on the store's look-up page, and is sent to that order's tracking page.
//!
//! It must not tell anyone whether an order exists, nor help harvest shoppers' details:
//! - "no such order" and "not this order's email" are one answer ([`LookupProof::no_match`]),
//!   reached through the same work: one indexed read, then a constant-time comparison of
//!   digests (against a stand-in when there is no order);
//! - attempts are counted per network and per order number in the database
//!   (`ssr::limits`), so the limits hold across every instance;
//! - a match leads to the tracking page, which shows the first name, city and parcels only.

use super::merchants::MerchantId;
use super::{limits, AppState, Db};
use crate::domain::inputs::{Email, ExternalId, Postcode};
use crate::domain::{AppError, Brand, LookupPageView, LookupProof, TrackingToken};
use crate::i18n::{self, Lang, LangPrefs, StoreLangs};
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use subtle::ConstantTimeEq;

/// A store's public ID as it appears in its look-up page's address: the merchant's ID.
fn merchant_of(store: &str) -> Result<MerchantId, AppError> {
    MerchantId::from_public(store).ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct StoreRow {
    name: String,
    accent_color: Option<String>,
    logo_url: Option<String>,
    lookup_proof: String,
    default_language: String,
    languages: Option<String>,
}

impl StoreRow {
    fn langs(&self) -> StoreLangs {
        StoreLangs::from_stored(Some(&self.default_language), self.languages.as_deref())
    }
}

async fn store(db: &Db, merchant: &MerchantId) -> Result<(StoreRow, LookupProof), AppError> {
    let row = sqlx::query_as::<_, StoreRow>(
        "SELECT name, accent_color, logo_url, lookup_proof, default_language, languages
         FROM merchants WHERE id = $1",
    )
    .bind(merchant.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a store's look-up")
    .map_err(AppError::internal)?
    .ok_or(AppError::NotFound)?;
    let proof = LookupProof::parse(&row.lookup_proof).unwrap_or_default();
    Ok((row, proof))
}

/// The look-up page of `store`, in the language the shopper's `prefs` and the store choose;
/// an unknown store is [`AppError::NotFound`].
pub async fn page(
    state: &AppState,
    store_id: &str,
    prefs: &LangPrefs,
) -> Result<LookupPageView, AppError> {
    let merchant = merchant_of(store_id)?;
    let (row, proof) = store(&state.db, &merchant).await?;
    let langs = row.langs();
    Ok(LookupPageView {
        lang: i18n::choose(prefs, &langs, None),
        languages: langs.offered,
        brand: Brand {
            name: row.name,
            accent_color: row.accent_color,
            logo_url: row.logo_url,
        },
        store: merchant.as_str().to_owned(),
        proof,
    })
}

/// The order number as shoppers type it: `#1001` and ` 1001 ` are order `1001`.
fn order_number(lang: Lang, input: &str) -> Result<ExternalId, AppError> {
    let typed = input.trim().trim_start_matches('#');
    ExternalId::parse(typed).map_err(|_| AppError::invalid("order", lang.t("lookup-error-order")))
}

/// What the shopper typed as the second factor, as it is compared.
fn typed_proof(lang: Lang, proof: LookupProof, input: &str) -> Result<String, AppError> {
    match proof {
        LookupProof::Email => Email::parse(input)
            .map(|e| e.as_str().to_lowercase())
            .map_err(|_| AppError::invalid("proof", lang.t("lookup-error-email"))),
        LookupProof::Postcode => Postcode::parse(input)
            .map(|p| p.normalized())
            .map_err(|_| AppError::invalid("proof", lang.t("lookup-error-postcode"))),
    }
}

/// The stored value of `proof` on an order, as it is compared.
fn stored_proof(
    proof: LookupProof,
    email: Option<String>,
    postcode: Option<String>,
) -> Option<String> {
    match proof {
        LookupProof::Email => email.map(|e| e.trim().to_lowercase()),
        LookupProof::Postcode => postcode
            .as_deref()
            .and_then(|p| Postcode::parse(p).ok())
            .map(|p| p.normalized()),
    }
}

/// Whether `typed` is `stored`, in time that does not depend on where they differ, nor on
/// whether there was anything stored.
fn same(stored: Option<&str>, typed: &str) -> bool {
    let digest = |s: &str| Sha256::digest(s.as_bytes());
    let present = subtle::Choice::from(u8::from(stored.is_some()));
    let stored = digest(stored.unwrap_or("\u{0}no order\u{0}"));
    let equal = stored.as_slice().ct_eq(digest(typed).as_slice()) & present;
    equal.into()
}

async fn within_limits(
    state: &AppState,
    client: Option<IpAddr>,
    merchant: &MerchantId,
    order: &ExternalId,
) -> Result<(), AppError> {
    let (limits, now) = (&state.limits, state.clock.now_ms());
    let order_key = format!("{merchant}\n{}", order.as_str().to_lowercase());
    // The network's limit first: a network over it must not use up the limits of the order
    // numbers it goes on typing (locking their shoppers out).
    let mut checks = Vec::with_capacity(2);
    let network = client.map(limits::network);
    if let Some(network) = &network {
        checks.push((
            "lookup-network",
            network.as_str(),
            limits.lookup_per_network,
        ));
    }
    checks.push(("lookup-order", order_key.as_str(), limits.lookup_per_order));
    for (name, key, limit) in checks {
        if !limits::hit(&state.db, name, key, limit, now)
            .await
            .map_err(AppError::internal)?
        {
            return Err(AppError::RateLimited);
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    email: Option<String>,
    shipping_postcode: Option<String>,
}

/// The tracking link of the order `order` of `store` whose email or postcode is `proof`: its
/// first parcel's token (its page shows every parcel of the order). Refusals are in `lang`
/// (the page's language) when the store offers it.
pub async fn find(
    state: &AppState,
    client: Option<IpAddr>,
    store_id: &str,
    order: &str,
    proof: &str,
    lang: Option<&str>,
) -> Result<TrackingToken, AppError> {
    let merchant = merchant_of(store_id)?;
    let (row, kind) = store(&state.db, &merchant).await?;
    let langs = row.langs();
    let lang = lang
        .and_then(Lang::parse)
        .filter(|l| langs.offered.contains(l))
        .unwrap_or(langs.default);
    // Format only: these answers say nothing about the store's orders.
    let order = order_number(lang, order)?;
    let typed = typed_proof(lang, kind, proof)?;
    within_limits(state, client, &merchant, &order).await?;

    // `1001` and `#1001` may both be orders: each is compared, always two comparisons.
    let rows = sqlx::query_as::<_, OrderRow>(
        "SELECT id, email, shipping_postcode FROM orders
         WHERE merchant_id = $1 AND external_id IN ($2, $3)
         ORDER BY external_id LIMIT 2",
    )
    .bind(merchant.as_str())
    .bind(order.as_str())
    .bind(format!("#{}", order.as_str()))
    .fetch_all(state.db.pool())
    .await
    .context("looking up an order")
    .map_err(AppError::internal)?;
    let mut candidates = rows
        .into_iter()
        .map(|r| (Some(r.id), stored_proof(kind, r.email, r.shipping_postcode)));
    let mut found = None;
    for _ in 0..2 {
        let (id, stored) = candidates.next().unwrap_or((None, None));
        if same(stored.as_deref(), &typed) && found.is_none() {
            found = id;
        }
    }
    let Some(order_id) = found else {
        return Err(AppError::invalid("form", lang.t(kind.no_match_key())));
    };

    let token: Option<String> = sqlx::query_scalar(
        "SELECT token FROM shipments WHERE order_id = $1
         ORDER BY created_at_ms, external_id LIMIT 1",
    )
    .bind(&order_id)
    .fetch_optional(state.db.pool())
    .await
    .context("reading an order's first shipment")
    .map_err(AppError::internal)?;
    let token = token.ok_or_else(|| AppError::invalid("form", lang.t("lookup-not-shipped")))?;
    TrackingToken::parse(&token)
        .map_err(|_| AppError::internal(anyhow::anyhow!("a stored token is malformed")))
}

/// The second factor `merchant`'s look-up asks for.
pub async fn proof_of(db: &Db, merchant: &MerchantId) -> anyhow::Result<LookupProof> {
    let stored: String = sqlx::query_scalar("SELECT lookup_proof FROM merchants WHERE id = $1")
        .bind(merchant.as_str())
        .fetch_one(db.pool())
        .await
        .context("reading the look-up's second factor")?;
    Ok(LookupProof::parse(&stored).unwrap_or_default())
}

pub async fn save_proof(db: &Db, merchant: &MerchantId, proof: LookupProof) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET lookup_proof = $1 WHERE id = $2")
        .bind(proof.as_str())
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("saving the look-up's second factor")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_needs_something_stored() {
        assert!(same(Some("ana@example.com"), "ana@example.com"));
        assert!(!same(Some("ana@example.com"), "ana@example.co"));
        assert!(
            !same(None, "\u{0}no order\u{0}"),
            "the stand-in never matches"
        );
    }

    #[test]
    fn typed_values_are_read_as_stored_ones() {
        assert_eq!(order_number(Lang::EN, " #1001 ").unwrap().as_str(), "1001");
        assert!(order_number(Lang::EN, "  #").is_err());
        assert_eq!(
            typed_proof(Lang::EN, LookupProof::Email, " Ana@Example.com ").unwrap(),
            "ana@example.com"
        );
        assert_eq!(
            typed_proof(Lang::EN, LookupProof::Postcode, "sw1a 1aa").unwrap(),
            stored_proof(LookupProof::Postcode, None, Some("SW1A 1AA".into())).unwrap()
        );
        assert!(typed_proof(Lang::EN, LookupProof::Postcode, "<b>").is_err());
    }
}
