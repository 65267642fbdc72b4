//! A merchant's SMS consent settings: the chosen provider (Yotpo or Klaviyo), each
//! provider's account (its secret encrypted at rest) and list, the Terms and Privacy links,
//! the heading and extra text. The consent block is offered only when all required parts of
//! the chosen provider are set. Accounts of the provider not chosen are kept: consents given
//! under them are still delivered there.

use crate::domain::inputs::CountryCode;
use crate::i18n::{Lang, StoreLangs};
use crate::ssr::merchants::MerchantId;
use crate::ssr::secrets::SecretBox;
use crate::ssr::sms::{Account, AccountId, FormScript, ListId, ListProvider};
use crate::ssr::Db;
use anyhow::Context;
use secrecy::SecretString;
use std::sync::Arc;

/// Everything the consent block and its jobs need, with the secret decrypted.
#[derive(Debug, Clone)]
pub struct ConsentSettings {
    pub merchant_id: MerchantId,
    pub brand: String,
    /// Where new consents go.
    pub provider: ListProvider,
    /// The chosen provider's account.
    pub account: Option<Account>,
    /// The chosen provider's list.
    pub list_id: Option<ListId>,
    /// The chosen list asks the shopper to confirm by replying to a text (Klaviyo's double
    /// opt-in); the confirmation tells the shopper so.
    pub double_opt_in: bool,
    /// Every provider account the merchant has connected (the chosen one too), for the jobs
    /// of consents given under any of them and the settings page.
    pub connections: Vec<Connection>,
    /// Providers whose stored secret does not decrypt.
    pub unreadable: Vec<ListProvider>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    /// The heading and extra text in the store's default language.
    pub heading: Option<String>,
    pub extra: Option<String>,
    /// The store's default language and the languages it offers shoppers.
    pub langs: StoreLangs,
    /// The heading and extra text in the store's other languages.
    pub texts: Vec<LangTexts>,
    /// The provider's own sign-up form, shown instead of Tracklight's checkbox.
    pub form_script: Option<FormScript>,
    /// Limits against SMS pumping.
    pub guards: SignUpGuards,
    /// The Yotpo Loyalty points a sign-up earns, when the store is connected and rewards it.
    pub loyalty_points: Option<i64>,
    /// The chosen provider's secret is stored but does not decrypt (the key was changed):
    /// `account` is `None`, so no block is offered and queued work fails with this reason
    /// until the merchant saves the secret again.
    pub secret_unreadable: bool,
}

/// A store's consent heading and extra text in one of its languages.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LangTexts {
    pub language: String,
    pub heading: Option<String>,
    pub extra: Option<String>,
}

impl ConsentSettings {
    /// The heading and extra text shown in `lang`: the store's own in that language, else in
    /// its default language (the built-in heading, in `lang`, when it has none).
    pub fn texts_in(&self, lang: Lang) -> (Option<&str>, Option<&str>) {
        let own = self
            .texts
            .iter()
            .find(|t| lang != self.langs.default && Lang::parse(&t.language) == Some(lang));
        fn pick<'a>(own: Option<&'a str>, default: Option<&'a str>) -> Option<&'a str> {
            own.filter(|t| !t.trim().is_empty())
                .or(default.filter(|t| !t.trim().is_empty()))
        }
        (
            pick(
                own.and_then(|t| t.heading.as_deref()),
                self.heading.as_deref(),
            ),
            pick(own.and_then(|t| t.extra.as_deref()), self.extra.as_deref()),
        )
    }
}

/// Saves the store's languages: its default, those it offers, and its texts in each
/// language but the default (whose texts are the heading and extra text saved with the
/// provider: `default_texts`, when they change with the default language).
pub async fn save_languages(
    db: &Db,
    merchant: &MerchantId,
    langs: &StoreLangs,
    texts: &[LangTexts],
    default_texts: Option<&LangTexts>,
) -> anyhow::Result<()> {
    let mut tx = db.pool().begin().await.context("saving languages")?;
    sqlx::query("UPDATE merchants SET default_language = $1, languages = $2 WHERE id = $3")
        .bind(langs.default.tag())
        .bind(langs.stored_offered())
        .bind(merchant.as_str())
        .execute(&mut *tx)
        .await
        .context("saving a store's languages")?;
    if let Some(t) = default_texts {
        sqlx::query("UPDATE merchants SET consent_heading = $1, consent_extra = $2 WHERE id = $3")
            .bind(t.heading.as_deref())
            .bind(t.extra.as_deref())
            .bind(merchant.as_str())
            .execute(&mut *tx)
            .await
            .context("saving a store's texts in its default language")?;
    }
    sqlx::query("DELETE FROM consent_texts WHERE merchant_id = $1")
        .bind(merchant.as_str())
        .execute(&mut *tx)
        .await
        .context("replacing a store's texts")?;
    for t in texts {
        if t.heading.is_none() && t.extra.is_none() {
            continue;
        }
        sqlx::query(
            "INSERT INTO consent_texts (merchant_id, language, heading, extra)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(merchant.as_str())
        .bind(&t.language)
        .bind(t.heading.as_deref())
        .bind(t.extra.as_deref())
        .execute(&mut *tx)
        .await
        .context("saving a store's texts in a language")?;
    }
    tx.commit().await.context("saving languages")?;
    Ok(())
}

/// A provider account the merchant connected, with its list.
#[derive(Debug, Clone)]
pub struct Connection {
    pub provider: ListProvider,
    pub account: Account,
    pub list_id: Option<ListId>,
    pub double_opt_in: bool,
}

impl ConsentSettings {
    /// The connected account a consent was given under, if it is still connected.
    pub fn account_of(&self, provider: ListProvider, id: &str) -> Option<&Account> {
        self.connections
            .iter()
            .find(|c| c.provider == provider && c.account.id.as_str() == id)
            .map(|c| &c.account)
    }

    /// The merchant's connection to `provider`, chosen or not.
    pub fn connection(&self, provider: ListProvider) -> Option<&Connection> {
        self.connections.iter().find(|c| c.provider == provider)
    }

    /// Why a job for `provider`'s account `id` cannot be sent now.
    pub fn missing_account_reason(&self, provider: ListProvider, id: &str) -> String {
        self.missing_account_reason_for(provider, id, "this consent was given under")
    }

    /// The same, for something else bound to an account (`what`: "this event was queued
    /// for").
    pub fn missing_account_reason_for(
        &self,
        provider: ListProvider,
        id: &str,
        what: &str,
    ) -> String {
        if self.unreadable.contains(&provider) {
            UNREADABLE_SECRET.to_owned()
        } else if self.connection(provider).is_some() {
            format!(
                "the {} account {id} {what} is no longer connected",
                provider.label()
            )
        } else {
            format!(
                "the store's SMS settings have no {} account",
                provider.label()
            )
        }
    }
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
    pub list_id: &'a ListId,
    pub terms_url: &'a str,
    pub privacy_url: &'a str,
}

impl ConsentSettings {
    pub fn ready(&self) -> Option<Ready<'_>> {
        Some(Ready {
            account: self.account.as_ref()?,
            list_id: self.list_id.as_ref()?,
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
    sms_provider: String,
    klaviyo_account_id: Option<String>,
    klaviyo_key_enc: Option<String>,
    klaviyo_list_id: Option<String>,
    klaviyo_double_opt_in: i64,
    terms_url: Option<String>,
    privacy_url: Option<String>,
    consent_heading: Option<String>,
    consent_extra: Option<String>,
    sms_form_script: Option<String>,
    sms_hourly_cap: Option<i64>,
    sms_countries: Option<String>,
    default_language: String,
    languages: Option<String>,
    loyalty_points: Option<i64>,
}

pub async fn load(
    db: &Db,
    secrets: &SecretBox,
    merchant: &MerchantId,
) -> anyhow::Result<Option<ConsentSettings>> {
    let Some(row) = sqlx::query_as::<_, SettingsRow>(
        "SELECT name, sms_account_id, sms_secret_enc, sms_list_id, sms_provider,
                klaviyo_account_id, klaviyo_key_enc, klaviyo_list_id, klaviyo_double_opt_in,
                terms_url, privacy_url, consent_heading, consent_extra, sms_form_script,
                sms_hourly_cap, sms_countries, default_language, languages,
                CASE WHEN loyalty_guid IS NOT NULL AND loyalty_key_enc IS NOT NULL
                          AND loyalty_signup_action IS NOT NULL
                     THEN loyalty_signup_points END AS loyalty_points
         FROM merchants WHERE id = $1",
    )
    .bind(merchant.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading consent settings")?
    else {
        return Ok(None);
    };
    let provider = ListProvider::parse(&row.sms_provider).map_err(anyhow::Error::msg)?;
    let texts: Vec<LangTexts> = sqlx::query_as(
        "SELECT language, heading, extra FROM consent_texts WHERE merchant_id = $1
         ORDER BY language",
    )
    .bind(merchant.as_str())
    .fetch_all(db.pool())
    .await
    .context("reading a store's texts in its languages")?;
    let mut connections = Vec::new();
    let mut unreadable = Vec::new();
    let yotpo_list = row
        .sms_list_id
        .and_then(|id| u64::try_from(id).ok())
        .filter(|id| *id > 0)
        .map(ListId::from);
    let klaviyo_list = row
        .klaviyo_list_id
        .as_deref()
        .and_then(|id| ListId::parse(id).ok());
    for (kind, id, sealed, list_id, double_opt_in) in [
        (
            ListProvider::Yotpo,
            row.sms_account_id,
            row.sms_secret_enc,
            yotpo_list,
            false,
        ),
        (
            ListProvider::Klaviyo,
            row.klaviyo_account_id,
            row.klaviyo_key_enc,
            klaviyo_list,
            row.klaviyo_double_opt_in != 0,
        ),
    ] {
        let (Some(id), Some(sealed)) = (id, sealed) else {
            continue;
        };
        match secrets.open(&seal_context(merchant, kind), &sealed) {
            Ok(secret) => connections.push(Connection {
                provider: kind,
                account: Account {
                    id: AccountId::parse(&id).map_err(anyhow::Error::msg)?,
                    secret,
                },
                list_id,
                double_opt_in,
            }),
            Err(e) => {
                tracing::error!(merchant = %merchant, provider = %kind, error = format!("{e:#}"), "a merchant's provider secret does not decrypt");
                unreadable.push(kind);
            }
        }
    }
    let chosen = connections.iter().find(|c| c.provider == provider);
    let account = chosen.map(|c| c.account.clone());
    let list_id = chosen.and_then(|c| c.list_id.clone());
    let double_opt_in = chosen.is_some_and(|c| c.double_opt_in);
    Ok(Some(ConsentSettings {
        loyalty_points: row.loyalty_points,
        merchant_id: merchant.clone(),
        brand: row.name,
        provider,
        account,
        list_id,
        double_opt_in,
        secret_unreadable: unreadable.contains(&provider),
        connections,
        unreadable,
        terms_url: row.terms_url,
        privacy_url: row.privacy_url,
        heading: row.consent_heading,
        extra: row.consent_extra,
        langs: StoreLangs::from_stored(Some(&row.default_language), row.languages.as_deref()),
        texts,
        // Yotpo's own forms: shown only while Yotpo is chosen.
        form_script: row
            .sms_form_script
            .filter(|_| provider == ListProvider::Yotpo)
            .map(FormScript::checked),
        guards: SignUpGuards {
            hourly_cap: row
                .sms_hourly_cap
                .unwrap_or(SignUpGuards::DEFAULT_HOURLY_CAP),
            countries: stored_countries(row.sms_countries.as_deref()),
        },
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

/// What a provider's secret is sealed to: the merchant and the provider, so a sealed
/// secret moved to another merchant's row, or to the other provider's column, does not open.
/// Yotpo's keeps the merchant alone (as it was sealed before Klaviyo arrived).
fn seal_context(merchant: &MerchantId, provider: ListProvider) -> String {
    match provider {
        ListProvider::Yotpo => merchant.as_str().to_owned(),
        other => format!("{}/{}", merchant.as_str(), other.as_str()),
    }
}

/// New Yotpo settings for a merchant (operators set them with `tracklight merchant sms`;
/// merchants on their settings page). Saving them makes Yotpo the chosen provider.
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
    let sealed = secrets.seal(&seal_context(merchant, ListProvider::Yotpo), &update.secret)?;
    let list_id = update
        .list_id
        .number()
        .and_then(|n| i64::try_from(n).ok())
        .context("a Yotpo list ID is a number")?;
    sqlx::query(
        "UPDATE merchants SET sms_account_id = $1, sms_secret_enc = $2, sms_list_id = $3,
             terms_url = $4, privacy_url = $5, consent_heading = $6, consent_extra = $7,
             sms_provider = 'yotpo'
         WHERE id = $8",
    )
    .bind(update.account_id.as_str())
    .bind(sealed)
    .bind(list_id)
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

/// A merchant's Klaviyo connection: the account the private key belongs to, the key, and
/// the list with its opt-in process. Saving it makes Klaviyo the chosen provider.
pub struct KlaviyoUpdate {
    pub account_id: AccountId,
    pub key: SecretString,
    pub list_id: ListId,
    pub double_opt_in: bool,
    pub terms_url: Option<HttpUrl>,
    pub privacy_url: Option<HttpUrl>,
    pub heading: Option<String>,
    pub extra: Option<String>,
}

pub async fn save_klaviyo(
    db: &Db,
    secrets: &SecretBox,
    merchant: &MerchantId,
    update: &KlaviyoUpdate,
) -> anyhow::Result<()> {
    let sealed = secrets.seal(&seal_context(merchant, ListProvider::Klaviyo), &update.key)?;
    sqlx::query(
        "UPDATE merchants SET klaviyo_account_id = $1, klaviyo_key_enc = $2,
             klaviyo_list_id = $3, klaviyo_double_opt_in = $4, terms_url = $5,
             privacy_url = $6, consent_heading = $7, consent_extra = $8,
             sms_provider = 'klaviyo', sms_form_script = NULL
         WHERE id = $9",
    )
    .bind(update.account_id.as_str())
    .bind(sealed)
    .bind(update.list_id.as_str())
    .bind(i64::from(update.double_opt_in))
    .bind(update.terms_url.as_ref().map(HttpUrl::as_str))
    .bind(update.privacy_url.as_ref().map(HttpUrl::as_str))
    .bind(update.heading.as_deref())
    .bind(update.extra.as_deref())
    .bind(merchant.as_str())
    .execute(db.pool())
    .await
    .context("saving the Klaviyo connection")?;
    Ok(())
}

/// Switches new consents to a provider already connected (consents given before keep
/// theirs).
pub async fn choose_provider(
    db: &Db,
    merchant: &MerchantId,
    provider: ListProvider,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET sms_provider = $1 WHERE id = $2")
        .bind(provider.as_str())
        .bind(merchant.as_str())
        .execute(db.pool())
        .await
        .context("choosing the SMS provider")?;
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
