//! A merchant's SMS consent settings: the provider account (the secret encrypted at rest),
//! the list, the Terms and Privacy links, the heading and extra text. The consent block is
//! offered only when all required parts are set.

use crate::domain::inputs::CountryCode;
use crate::ssr::merchants::MerchantId;
use crate::ssr::secrets::SecretBox;
use crate::ssr::sms::{Account, AccountId, FormScript, ListId};
use crate::ssr::Db;
use anyhow::Context;
use secrecy::SecretString;
use std::sync::Arc;

/// Everything the consent block and its jobs need, with the secret decrypted.
#[derive(Debug, Clone)]
pub struct ConsentSettings {
    pub merchant_id: MerchantId,
    pub brand: String,
    pub account: Option<Account>,
    pub list_id: Option<ListId>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    pub heading: Option<String>,
    pub extra: Option<String>,
    /// The provider's own sign-up form, shown instead of Tracklight's checkbox.
    pub form_script: Option<FormScript>,
    /// Limits against SMS pumping.
    pub guards: SignUpGuards,
    /// A secret is stored but does not decrypt (the key was changed): `account` is `None`,
    /// so no block is offered and queued work fails with this reason until the merchant
    /// saves the secret again.
    pub secret_unreadable: bool,
}

/// A merchant's guards against SMS pumping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpGuards {
    /// Sign-ups an hour that go out; later ones are held for the merchant to release.
    pub hourly_cap: i64,
    /// The countries whose numbers may sign up; `None`: the countries the store ships to.
    pub countries: Option<Vec<CountryCode>>,
}

impl SignUpGuards {
    /// Sign-ups an hour before the rest are held, unless the merchant says otherwise.
    pub const DEFAULT_HOURLY_CAP: i64 = 500;
}

impl Default for SignUpGuards {
    fn default() -> Self {
        Self {
            hourly_cap: Self::DEFAULT_HOURLY_CAP,
            countries: None,
        }
    }
}

/// Reads the stored country list (`US,CA`); codes that no longer parse are dropped.
fn stored_countries(stored: Option<&str>) -> Option<Vec<CountryCode>> {
    let codes: Vec<CountryCode> = stored?
        .split(',')
        .filter_map(|c| CountryCode::parse(c).ok())
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// Saves the merchant's guards against SMS pumping.
pub async fn save_guards(
    db: &Db,
    merchant: &MerchantId,
    guards: &SignUpGuards,
) -> anyhow::Result<()> {
    let countries = guards.countries.as_ref().map(|codes| {
        codes
            .iter()
            .map(CountryCode::as_str)
            .collect::<Vec<_>>()
            .join(",")
    });
    sqlx::query("UPDATE merchants SET sms_hourly_cap = $1, sms_countries = $2 WHERE id = $3")
        .bind(guards.hourly_cap)
        .bind(countries)
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("saving sign-up guards")?;
    Ok(())
}

/// The countries whose numbers may sign up for `merchant`: their own list, or else the
/// countries their orders ship to.
pub async fn allowed_countries(
    db: &Db,
    merchant: &MerchantId,
    guards: &SignUpGuards,
) -> anyhow::Result<Vec<CountryCode>> {
    if let Some(codes) = &guards.countries {
        return Ok(codes.clone());
    }
    let shipped: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT shipping_country FROM orders WHERE merchant_id = $1")
            .bind(merchant.as_str())
            .fetch_all(db.pool())
            .await
            .context("reading the countries a store ships to")?;
    Ok(shipped
        .iter()
        .filter_map(|c| CountryCode::parse(c).ok())
        .collect())
}

/// Why a job of a store whose secret does not decrypt cannot be sent.
pub const UNREADABLE_SECRET: &str = "the store's provider secret cannot be decrypted \
    (was TRACKLIGHT_SECRET_KEY changed?): save the API secret again in settings";

/// The parts without which no consent can be collected.
pub struct Ready<'a> {
    pub account: &'a Account,
    pub list_id: ListId,
    pub terms_url: &'a str,
    pub privacy_url: &'a str,
}

impl ConsentSettings {
    pub fn ready(&self) -> Option<Ready<'_>> {
        Some(Ready {
            account: self.account.as_ref()?,
            list_id: self.list_id?,
            terms_url: self.terms_url.as_deref()?,
            privacy_url: self.privacy_url.as_deref()?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    name: String,
    sms_account_id: Option<String>,
    sms_secret_enc: Option<String>,
    sms_list_id: Option<i64>,
    terms_url: Option<String>,
    privacy_url: Option<String>,
    consent_heading: Option<String>,
    consent_extra: Option<String>,
    sms_form_script: Option<String>,
    sms_hourly_cap: Option<i64>,
    sms_countries: Option<String>,
}

pub async fn load(
    db: &Db,
    secrets: &SecretBox,
    merchant: &MerchantId,
) -> anyhow::Result<Option<ConsentSettings>> {
    let Some(row) = sqlx::query_as::<_, SettingsRow>(
        "SELECT name, sms_account_id, sms_secret_enc, sms_list_id, terms_url, privacy_url,
                consent_heading, consent_extra, sms_form_script, sms_hourly_cap, sms_countries
         FROM merchants WHERE id = $1",
    )
    .bind(merchant.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading consent settings")?
    else {
        return Ok(None);
    };
    let mut secret_unreadable = false;
    let account = match (row.sms_account_id, row.sms_secret_enc) {
        (Some(id), Some(sealed)) => match secrets.open(merchant.as_str(), &sealed) {
            Ok(secret) => Some(Account {
                id: AccountId::parse(&id).map_err(anyhow::Error::msg)?,
                secret,
            }),
            Err(e) => {
                tracing::error!(merchant = %merchant, error = format!("{e:#}"), "a merchant's provider secret does not decrypt");
                secret_unreadable = true;
                None
            }
        },
        _ => None,
    };
    Ok(Some(ConsentSettings {
        merchant_id: merchant.clone(),
        brand: row.name,
        account,
        list_id: row
            .sms_list_id
            .and_then(|id| ListId::new(u64::try_from(id).ok()?)),
        terms_url: row.terms_url,
        privacy_url: row.privacy_url,
        heading: row.consent_heading,
        extra: row.consent_extra,
        form_script: row.sms_form_script.map(FormScript::checked),
        guards: SignUpGuards {
            hourly_cap: row
                .sms_hourly_cap
                .unwrap_or(SignUpGuards::DEFAULT_HOURLY_CAP),
            countries: stored_countries(row.sms_countries.as_deref()),
        },
        secret_unreadable,
    }))
}

/// Merchants' consent settings for page renders: read (and the secret decrypted) at most
/// once per merchant every [`SettingsCache::TTL`] per instance, since every tracking page view
/// needs them. This instance forgets a merchant's entry when it saves their settings; another
/// instance, or the command line, is seen within the TTL. Stale texts cannot be consented to:
/// a submission reads the settings fresh and checks the disclosure's hash.
#[derive(Clone)]
pub struct SettingsCache(moka::future::Cache<String, Option<Arc<ConsentSettings>>>);

impl Default for SettingsCache {
    fn default() -> Self {
        Self(
            moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Self::TTL)
                .build(),
        )
    }
}

impl SettingsCache {
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(30);

    pub async fn get(
        &self,
        db: &Db,
        secrets: &SecretBox,
        merchant: &MerchantId,
    ) -> anyhow::Result<Option<Arc<ConsentSettings>>> {
        self.0
            .try_get_with(merchant.as_str().to_owned(), async {
                Ok::<_, anyhow::Error>(load(db, secrets, merchant).await?.map(Arc::new))
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e:#}"))
    }

    /// After a change to the merchant's settings.
    pub async fn forget(&self, merchant: &MerchantId) {
        self.0.invalidate(merchant.as_str()).await;
    }
}

/// New SMS settings for a merchant (operators set them with `tracklight merchant sms`;
/// merchants will on their settings page).
pub struct SmsSettingsUpdate {
    pub account_id: AccountId,
    pub secret: SecretString,
    pub list_id: ListId,
    pub terms_url: Option<HttpUrl>,
    pub privacy_url: Option<HttpUrl>,
    pub heading: Option<String>,
    pub extra: Option<String>,
}

pub async fn save(
    db: &Db,
    secrets: &SecretBox,
    merchant: &MerchantId,
    update: &SmsSettingsUpdate,
) -> anyhow::Result<()> {
    let sealed = secrets.seal(merchant.as_str(), &update.secret)?;
    sqlx::query(
        "UPDATE merchants SET sms_account_id = $1, sms_secret_enc = $2, sms_list_id = $3,
             terms_url = $4, privacy_url = $5, consent_heading = $6, consent_extra = $7
         WHERE id = $8",
    )
    .bind(update.account_id.as_str())
    .bind(sealed)
    .bind(update.list_id.get() as i64)
    .bind(update.terms_url.as_ref().map(HttpUrl::as_str))
    .bind(update.privacy_url.as_ref().map(HttpUrl::as_str))
    .bind(update.heading.as_deref())
    .bind(update.extra.as_deref())
    .bind(merchant.as_str())
    .execute(db.pool())
    .await
    .context("saving SMS settings")?;
    Ok(())
}

/// Shows the provider's sign-up form (checked by the provider) instead of Tracklight's
/// checkbox, or with `None` the checkbox again.
pub async fn save_form(
    db: &Db,
    merchant: &MerchantId,
    form: Option<&FormScript>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET sms_form_script = $1 WHERE id = $2")
        .bind(form.map(FormScript::as_str))
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("saving the sign-up form")?;
    Ok(())
}

/// An absolute `http(s)` URL for links shoppers follow (Terms, Privacy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let ok = reqwest::Url::parse(s)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !ok || s.len() > 2048 || s.contains(char::is_whitespace) {
            return Err("must be a full http:// or https:// address".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::HttpUrl;

    #[test]
    fn link_urls() {
        assert!(HttpUrl::parse("https://shop.example/terms").is_ok());
        for bad in [
            "",
            "javascript:alert(1)",
            "/terms",
            "ftp://x.example",
            "https://a b",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}
