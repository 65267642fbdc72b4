//! The embed: which sites may frame a merchant's widget. Origins are kept normalised
//! (`https://shop.example`, `http://localhost:8080`), one per line.

use super::merchants::MerchantId;
use super::Db;
use crate::domain::TrackingToken;
use anyhow::Context;

/// One site allowed to embed the widget: scheme, host and port, nothing else.
pub fn parse_origin(input: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(input.trim())
        .map_err(|_| format!("{input:?} is not an address like https://shop.example"))?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https")
        || !url.has_host()
        || !bare
        || !url.username().is_empty()
    {
        return Err(format!(
            "{input:?} must be a site's origin only, like https://shop.example"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Every non-empty line parsed; the first bad one is the error.
pub fn parse_origins(text: &str) -> Result<Vec<String>, String> {
    let mut origins: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let origin = parse_origin(line)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.len() > 20 {
        return Err("at most 20 sites".into());
    }
    Ok(origins)
}

pub async fn allowed_origins(db: &Db, merchant: &MerchantId) -> anyhow::Result<Vec<String>> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT allowed_origins FROM merchants WHERE id = $1")
            .bind(merchant.as_str())
            .fetch_one(db.pool())
            .await
            .context("reading allowed origins")?;
    Ok(split(stored))
}

pub async fn save_allowed_origins(
    db: &Db,
    merchant: &MerchantId,
    origins: &[String],
) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET allowed_origins = $1 WHERE id = $2")
        .bind((!origins.is_empty()).then(|| origins.join("\n")))
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("saving allowed origins")?;
    Ok(())
}

fn split(stored: Option<String>) -> Vec<String> {
    stored
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The `frame-ancestors` directive for the widget behind `token`: the merchant's allowed
/// sites, or `'none'`.
pub async fn frame_ancestors(db: &Db, token: &TrackingToken) -> anyhow::Result<String> {
    let stored: Option<Option<String>> = sqlx::query_scalar(
        "SELECT m.allowed_origins FROM shipments s JOIN merchants m ON m.id = s.merchant_id
         WHERE s.token = $1",
    )
    .bind(token.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading allowed origins by token")?;
    Ok(directive(split(stored.flatten())))
}

/// The `frame-ancestors` directive for the look-up page of `store` (a merchant's ID, as in
/// its address): the merchant's allowed sites, or `'none'`.
pub async fn frame_ancestors_of_store(db: &Db, store: &str) -> anyhow::Result<String> {
    let Some(merchant) = MerchantId::from_public(store) else {
        return Ok(directive(Vec::new()));
    };
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT allowed_origins FROM merchants WHERE id = $1")
            .bind(merchant.as_str())
            .fetch_optional(db.pool())
            .await
            .context("reading allowed origins by store")?;
    Ok(directive(split(stored.flatten())))
}

fn directive(origins: Vec<String>) -> String {
    if origins.is_empty() {
        "frame-ancestors 'none'".into()
    } else {
        format!("frame-ancestors {}", origins.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_bare_and_normalised() {
        assert_eq!(
            parse_origin("https://Shop.Example/").unwrap(),
            "https://shop.example"
        );
        assert_eq!(
            parse_origin("http://localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            parse_origin("https://shop.example:443").unwrap(),
            "https://shop.example"
        );
        for bad in [
            "shop.example",
            "https://shop.example/track",
            "https://shop.example?x=1",
            "javascript:alert(1)",
            "ftp://shop.example",
            "https://user@shop.example",
            "*",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_origins("https://a.example\n\n https://a.example/ \nhttps://b.example").unwrap(),
            ["https://a.example", "https://b.example"]
        );
    }
}
