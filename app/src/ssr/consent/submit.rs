//! A consent submission: everything the browser sent is re-validated; the consent and its
//! two jobs are written in one transaction before the shopper gets an answer. Idempotent by
//! the form's key and by the natural key (merchant, phone, list): a double click, a resent
//! form or two tabs make one consent; a resubmission after a failure queues it again.

use super::offer::{self, disclosure_for};
use super::settings;
use crate::domain::inputs::{CountryCode, PhoneE164};
use crate::domain::mask;
use crate::domain::{AppError, SubscribeOutcome, TrackingToken};
use crate::i18n::{cldr, Lang};
use crate::ssr::consent::history::{self, EventKind};
use crate::ssr::jobs::queue;
use crate::ssr::sms::{ListProvider, Source};
use crate::ssr::{limits, AppState};
use anyhow::Context;
use std::net::IpAddr;

/// The form as the browser sent it: plain strings, parsed here.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    pub token: String,
    pub phone: String,
    /// `order`: the number on the order (the server looks it up), unless one is typed.
    pub phone_choice: Option<String>,
    pub country: String,
    /// The checkbox: present (any value but "false"/"off") when ticked.
    pub consent: Option<String>,
    pub idempotency_key: String,
    pub disclosure_sha256: String,
    /// The page the block was shown on, when the browser says (the embed's host page).
    pub page_url: Option<String>,
    /// The language the block was shown in (its disclosure is checked and recorded in it;
    /// errors are answered in it).
    pub lang: Option<String>,
}

/// What the server knows about the request itself.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub referer: Option<String>,
}

fn form_error(lang: Lang, key: &str) -> AppError {
    AppError::invalid("form", lang.t(key))
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub async fn submit(
    state: &AppState,
    form: &Submission,
    meta: &RequestMeta,
) -> Result<SubscribeOutcome, AppError> {
    let token = TrackingToken::parse(&form.token).map_err(|_| AppError::NotFound)?;
    let shopper = offer::shopper(&state.db, &token, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)?;
    let settings = settings::load(&state.db, &state.secrets, &shopper.merchant_id)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)?;
    // The language the form was shown in, if the store (still) offers it.
    let lang = form
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .filter(|l| settings.langs.offered.contains(l))
        .unwrap_or(settings.langs.default);
    if settings.form_script.is_some() {
        // The store signs shoppers up through its provider's own form, not this one.
        return Err(form_error(lang, "error-provider-form"));
    }
    let (Some(disclosure), Some(ready)) = (disclosure_for(&settings, lang), settings.ready())
    else {
        return Err(form_error(lang, "error-not-available"));
    };
    // An order without the shopper's customer ID (a guest checkout) offers no sign-up: the
    // list provider would not know whom it is for.
    if !crate::ssr::ingest::update::is_known_customer(&shopper.customer_id) {
        return Err(form_error(lang, "error-not-for-order"));
    }

    let ticked = form
        .consent
        .as_deref()
        .is_some_and(|v| !matches!(v.trim(), "" | "false" | "off" | "0"));
    if !ticked {
        return Err(AppError::invalid(
            "consent",
            lang.t("error-consent-unticked"),
        ));
    }
    let key = form.idempotency_key.trim();
    if !(16..=64).contains(&key.len())
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(form_error(lang, "error-form-expired"));
    }
    if form.disclosure_sha256.trim() != disclosure.sha256() {
        return Err(form_error(lang, "error-text-changed"));
    }
    let country = CountryCode::parse(&form.country)
        .map_err(|_| AppError::invalid("country", lang.t("error-country")))?;
    // A typed number wins; a blank field with "the number on my order" chosen takes the
    // order's, which the page never showed in full.
    let phone = match (form.phone.trim(), form.phone_choice.as_deref()) {
        ("", Some("order")) => shopper
            .order_phone()
            .ok_or_else(|| AppError::invalid("phone", lang.t("error-no-order-phone")))?,
        (typed, _) => PhoneE164::parse_mobile(typed, country)
            .map_err(|e| AppError::invalid("phone", e.message(lang)))?,
    };

    // The form's key is per page, and a page may be served from the page cache to whoever
    // opens the link while it looks the same: a form is one consent per phone, so two people
    // (or a corrected typo) on one copy of the page are two consents, a double click one.
    let key = &format!("{key}.{}", &phone_digest(&phone)[..16]);
    // A harmless resubmission (a double click, a reload, a second tab) of a consent that is
    // already recorded gets the confirmation, never a limit.
    let destination = Destination {
        provider: settings.provider,
        account_id: ready.account.id.as_str(),
        list_id: ready.list_id.as_str(),
    };
    let outcome = SubscribeOutcome {
        phone_masked: mask::phone(phone.as_str()),
        confirm_by_text: settings.double_opt_in,
    };
    if already_recorded(state, &shopper.merchant_id, key, &phone, &destination)
        .await
        .map_err(AppError::internal)?
    {
        return Ok(outcome);
    }
    // The provider keeps SMS consent only for some countries (Klaviyo's list).
    if let Some(country) = phone.country() {
        if !state
            .providers
            .get(settings.provider)
            .keeps_sms_consent_in(country.as_str())
        {
            let name = cldr::country_name(lang, country.as_str());
            return Err(AppError::invalid(
                "phone",
                lang.t_with("error-country-not-kept", &[("country", name.into())]),
            ));
        }
    }
    let allowed = settings::allowed_countries(&state.db, &shopper.merchant_id, &settings.guards)
        .await
        .map_err(AppError::internal)?;
    if !phone.country().is_some_and(|c| allowed.contains(&c)) {
        return Err(AppError::invalid(
            "phone",
            countries_message(lang, &allowed),
        ));
    }
    within_limits(state, meta, &phone).await?;

    let page_url = form
        .page_url
        .as_deref()
        .or(meta.referer.as_deref())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(|u| clip(u, 2048));
    let record = NewConsent {
        merchant_id: shopper.merchant_id.as_str(),
        shipment_id: &shopper.shipment_id,
        customer_id: &shopper.customer_id,
        phone: phone.as_str(),
        first_name: shopper.first_name.as_deref(),
        last_name: shopper.last_name.as_deref(),
        email: shopper.email.as_deref(),
        destination,
        source: Source::tracking_page(),
        disclosure: disclosure.text(),
        disclosure_sha256: disclosure.sha256(),
        language: lang.tag(),
        ip: meta.ip.map(|ip| ip.to_string()),
        user_agent: meta.user_agent.as_deref().map(|u| clip(u, 512)),
        page_url,
        idempotency_key: key,
    };
    let now = state.clock.now_ms();
    let recorded = match record_consent(state, &record, settings.guards.hourly_cap, now).await {
        Ok(recorded) => recorded,
        Err(RecordError::TooManyPhones) => {
            tracing::warn!(merchant = %shopper.merchant_id, "a tracking link tried a third phone");
            return Err(AppError::invalid("phone", lang.t("error-two-phones")));
        }
        Err(RecordError::Other(e)) => return Err(AppError::internal(e)),
    };
    tracing::info!(
        merchant = %shopper.merchant_id,
        phone = %mask::phone(phone.as_str()),
        provider = %settings.provider,
        ?recorded,
        "SMS consent recorded"
    );
    if recorded == Recorded::Held {
        tracing::warn!(merchant = %shopper.merchant_id, cap = settings.guards.hourly_cap, "the store's hourly sign-up cap is reached; consent held");
    }
    if matches!(recorded, Recorded::Created | Recorded::Requeued) {
        state.jobs_wake.notify_one();
    }
    Ok(outcome)
}

/// Per network and per phone, counted across instances (`ssr::limits`).
async fn within_limits(
    state: &AppState,
    meta: &RequestMeta,
    phone: &PhoneE164,
) -> Result<(), AppError> {
    let (limits, now) = (&state.limits, state.clock.now_ms());
    let network = meta.ip.map(limits::network);
    let mut checks = vec![("consent-phone", phone.as_str(), limits.consent_per_phone)];
    if let Some(network) = &network {
        checks.push((
            "consent-network",
            network.as_str(),
            limits.consent_per_network,
        ));
    }
    for (name, key, limit) in checks {
        if !limits::hit(&state.db, name, key, limit, now)
            .await
            .map_err(AppError::internal)?
        {
            tracing::warn!(limit = name, phone = %mask::phone(phone.as_str()), "consent submissions over the limit");
            return Err(AppError::RateLimited);
        }
    }
    Ok(())
}

/// The SHA-256 of a phone number, hex: what scopes a form's key to the phone it sent.
fn phone_digest(phone: &PhoneE164) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(phone.as_str().as_bytes()))
}

/// Whether this form (its key), or another tab while the consent is on its way, already
/// recorded this phone's consent to this list, and it has not failed.
async fn already_recorded(
    state: &AppState,
    merchant: &crate::ssr::merchants::MerchantId,
    key: &str,
    phone: &PhoneE164,
    destination: &Destination<'_>,
) -> anyhow::Result<bool> {
    // The same form (its key), or another form while this phone's consent is on its way; a
    // delivered consent given again with a new form is a new consent (after a STOP).
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM consents
         WHERE merchant_id = $1 AND phone_e164 = $3 AND state <> 'failed'
           AND (idempotency_key = $2
                OR (provider = $4 AND account_id = $5 AND list_id = $6
                    AND state NOT IN ('subscribed', 'confirming')))
         LIMIT 1",
    )
    .bind(merchant.as_str())
    .bind(key)
    .bind(phone.as_str())
    .bind(destination.provider.as_str())
    .bind(destination.account_id)
    .bind(destination.list_id)
    .fetch_optional(state.db.pool())
    .await
    .context("looking for a recorded consent")?;
    Ok(found.is_some())
}

/// The phone field's error for a number from a country the store does not accept.
fn countries_message(lang: Lang, allowed: &[CountryCode]) -> String {
    let names: Vec<String> = allowed
        .iter()
        .map(|c| cldr::country_name(lang, c.as_str()))
        .collect();
    match names.as_slice() {
        [] => lang.t("error-countries-none"),
        [one] => lang.t_with("error-countries-one", &[("country", one.as_str().into())]),
        many => lang.t_with(
            "error-countries-many",
            &[("countries", many.join(", ").into())],
        ),
    }
}

/// Where a consent goes: the provider, account and list it keeps until it is delivered.
#[derive(Debug, Clone, Copy)]
struct Destination<'a> {
    provider: ListProvider,
    account_id: &'a str,
    list_id: &'a str,
}

struct NewConsent<'a> {
    merchant_id: &'a str,
    shipment_id: &'a str,
    customer_id: &'a str,
    phone: &'a str,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    email: Option<&'a str>,
    destination: Destination<'a>,
    source: Source,
    disclosure: String,
    disclosure_sha256: String,
    /// The language the disclosure was shown in (BCP 47).
    language: String,
    ip: Option<String>,
    user_agent: Option<String>,
    page_url: Option<String>,
    idempotency_key: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recorded {
    Created,
    /// Created, but the store's hourly cap was reached: it waits for the merchant.
    Held,
    Existing,
    Requeued,
}

#[derive(Debug)]
enum RecordError {
    /// The tracking link has signed up two other phones already.
    TooManyPhones,
    Other(anyhow::Error),
}

impl From<anyhow::Error> for RecordError {
    fn from(e: anyhow::Error) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for RecordError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Distinct phones one tracking link may sign up (all the links of one order together:
/// they show one sign-up): the shopper's, and one correction.
const PHONES_PER_LINK: i64 = 2;

/// One transaction: the consent and its jobs, or the consent that already exists. The
/// order's row is taken first (SQLite's write lock; PostgreSQL's row lock), so two
/// submissions on one order's links are counted one after the other.
async fn record_consent(
    state: &AppState,
    c: &NewConsent<'_>,
    hourly_cap: i64,
    now: i64,
) -> Result<Recorded, RecordError> {
    let mut tx = state.db.pool().begin().await?;
    // The order's row: every parcel's link of an order shows its one sign-up, and the cap
    // is the order's.
    sqlx::query(
        "UPDATE orders SET updated_at_ms = updated_at_ms
         WHERE id = (SELECT order_id FROM shipments WHERE id = $1)",
    )
    .bind(c.shipment_id)
    .execute(&mut *tx)
    .await
    .context("locking the tracking link's order")?;
    #[derive(sqlx::FromRow)]
    struct Link {
        phones: i64,
        this_phone: i64,
    }
    let link: Link = sqlx::query_as(
        "SELECT COUNT(DISTINCT phone_e164) AS phones,
                COUNT(CASE WHEN phone_e164 = $2 THEN 1 END) AS this_phone
         FROM consents WHERE shipment_id IN (
             SELECT id FROM shipments
             WHERE order_id = (SELECT order_id FROM shipments WHERE id = $1))",
    )
    .bind(c.shipment_id)
    .bind(c.phone)
    .fetch_one(&mut *tx)
    .await
    .context("counting a link's phones")?;
    if link.this_phone == 0 && link.phones >= PHONES_PER_LINK {
        return Err(RecordError::TooManyPhones);
    }
    let last_hour: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consents WHERE merchant_id = $1 AND consented_at_ms > $2",
    )
    .bind(c.merchant_id)
    .bind(now - 3_600_000)
    .fetch_one(&mut *tx)
    .await
    .context("counting the store's sign-ups this hour")?;
    let held = last_hour >= hourly_cap;
    let id = uuid::Uuid::new_v4().to_string();
    let (state_now, reason) = if held {
        (
            "held",
            Some(format!(
                "held: the store's cap of {hourly_cap} sign-ups an hour was reached; release it if it is genuine"
            )),
        )
    } else {
        ("waiting", None)
    };
    let inserted = sqlx::query(
        "INSERT INTO consents (id, merchant_id, shipment_id, customer_external_id, phone_e164,
             first_name, last_name, email, provider, account_id, list_id, source, disclosure,
             disclosure_sha256, ip, user_agent, page_url, idempotency_key, state,
             failure_reason, consented_at_ms, updated_at_ms, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21, $21, $22)
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind(&id)
    .bind(c.merchant_id)
    .bind(c.shipment_id)
    .bind(c.customer_id)
    .bind(c.phone)
    .bind(c.first_name)
    .bind(c.last_name)
    .bind(c.email)
    .bind(c.destination.provider.as_str())
    .bind(c.destination.account_id)
    .bind(c.destination.list_id)
    .bind(c.source.as_str())
    .bind(&c.disclosure)
    .bind(&c.disclosure_sha256)
    .bind(c.ip.as_deref())
    .bind(c.user_agent.as_deref())
    .bind(c.page_url.as_deref())
    .bind(c.idempotency_key)
    .bind(state_now)
    .bind(reason)
    .bind(now)
    .bind(&c.language)
    .fetch_optional(&mut *tx)
    .await
    .context("inserting a consent")?;
    if inserted.is_some() {
        queue::enqueue_consent_jobs(&mut tx, &id, now, held).await?;
        history::proof(&mut tx, &id).await?;
        history::event(&mut tx, &id, EventKind::Submitted, None, now).await?;
        if held {
            history::event(&mut tx, &id, EventKind::Held, None, now).await?;
        }
        tx.commit().await.context("committing a consent")?;
        return Ok(if held {
            Recorded::Held
        } else {
            Recorded::Created
        });
    }
    #[derive(sqlx::FromRow)]
    struct Existing {
        id: String,
        state: String,
        idempotency_key: String,
    }
    let existing: Existing = sqlx::query_as(
        "SELECT id, state, idempotency_key FROM consents
         WHERE merchant_id = $1
           AND (idempotency_key = $2
                OR (phone_e164 = $3 AND provider = $4 AND account_id = $5 AND list_id = $6))
         LIMIT 1",
    )
    .bind(c.merchant_id)
    .bind(c.idempotency_key)
    .bind(c.phone)
    .bind(c.destination.provider.as_str())
    .bind(c.destination.account_id)
    .bind(c.destination.list_id)
    .fetch_one(&mut *tx)
    .await
    .context("reading the consent that already exists")?;
    let outcome = match existing.state.as_str() {
        "failed" => {
            queue::requeue(&mut tx, &existing.id, now).await?;
            Recorded::Requeued
        }
        // Delivered before, and the shopper consents again with a new form (they had texted
        // STOP, and the page offered the sign-up again): a new proof, a new delivery.
        "subscribed" | "confirming" if existing.idempotency_key != c.idempotency_key => {
            reopen(&mut tx, &existing.id, c, now).await?;
            Recorded::Requeued
        }
        _ => Recorded::Existing,
    };
    tx.commit().await.context("committing a consent")?;
    Ok(outcome)
}

/// A delivered consent given again: the new proof becomes its current one (and is added to
/// its history), and both steps run again.
async fn reopen(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    consent_id: &str,
    c: &NewConsent<'_>,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE consents SET state = 'waiting', failure_reason = NULL, shipment_id = $2,
             customer_external_id = $3, first_name = $4, last_name = $5, email = $6,
             disclosure = $7, disclosure_sha256 = $8, ip = $9, user_agent = $10,
             page_url = $11, idempotency_key = $12, consented_at_ms = $13,
             customer_sent_at_ms = NULL, subscribed_at_ms = NULL, updated_at_ms = $13,
             language = $14
         WHERE id = $1",
    )
    .bind(consent_id)
    .bind(c.shipment_id)
    .bind(c.customer_id)
    .bind(c.first_name)
    .bind(c.last_name)
    .bind(c.email)
    .bind(&c.disclosure)
    .bind(&c.disclosure_sha256)
    .bind(c.ip.as_deref())
    .bind(c.user_agent.as_deref())
    .bind(c.page_url.as_deref())
    .bind(c.idempotency_key)
    .bind(now)
    .bind(&c.language)
    .execute(&mut **tx)
    .await
    .context("reopening a consent")?;
    queue::restart(tx, consent_id, now).await?;
    history::proof(tx, consent_id).await?;
    history::event(tx, consent_id, EventKind::Submitted, None, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OfferForm, OfferStatus};
    use crate::ssr::consent::offer;
    use crate::ssr::testing::{Backend, TestEnv};
    use std::time::Duration;

    /// A connected store's shopper, and the form their page offers, filled in and ticked.
    async fn offered(env: &TestEnv) -> Submission {
        let merchant = env.connected_merchant("Acme").await;
        let token = env.shipment(&merchant, "cust-1", None).await;
        let offer = offer::offer(&env.state, &token, Duration::from_secs(5), false, None)
            .await
            .unwrap()
            .expect("a connected store offers the block");
        assert_eq!(offer.status, OfferStatus::Offer);
        let OfferForm::Checkbox(form) = offer.form else {
            panic!("the checkbox form");
        };
        Submission {
            token: token.as_str().to_owned(),
            phone: "(415) 555-2671".into(),
            phone_choice: None,
            country: form.country,
            consent: Some("yes".into()),
            idempotency_key: form.idempotency_key,
            disclosure_sha256: form.disclosure_sha256,
            page_url: None,
            lang: Some(form.lang.tag()),
        }
    }

    /// The block in German is checked and recorded in German, and answers in German.
    #[tokio::test]
    async fn a_consent_in_german_records_the_german_text() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let token = env.shipment(&merchant, "cust-de", None).await;
        let de = Lang::parse("de").unwrap();
        let offer = offer::offer(&env.state, &token, Duration::from_secs(5), false, Some(de))
            .await
            .unwrap()
            .unwrap();
        let OfferForm::Checkbox(form) = offer.form else {
            panic!("the checkbox form");
        };
        assert_eq!(form.lang, de);
        let sent = Submission {
            token: token.as_str().to_owned(),
            phone: "(415) 555-2671".into(),
            phone_choice: None,
            country: form.country.clone(),
            consent: None,
            idempotency_key: form.idempotency_key.clone(),
            disclosure_sha256: form.disclosure_sha256.clone(),
            page_url: None,
            lang: Some("de".into()),
        };
        // Unticked: the message in German.
        let err = submit(&env.state, &sent, &meta()).await.unwrap_err();
        assert_eq!(
            err,
            AppError::invalid("consent", de.t("error-consent-unticked"))
        );
        // The German text's hash does not pass for English: what was shown is what is kept.
        let english = Submission {
            consent: Some("yes".into()),
            lang: Some("en".into()),
            ..sent.clone()
        };
        let err = submit(&env.state, &english, &meta()).await.unwrap_err();
        assert_eq!(
            err,
            AppError::invalid("form", Lang::EN.t("error-text-changed"))
        );
        let ticked = Submission {
            consent: Some("yes".into()),
            ..sent
        };
        submit(&env.state, &ticked, &meta()).await.unwrap();
        #[derive(sqlx::FromRow)]
        struct Kept {
            language: String,
            disclosure: String,
            disclosure_sha256: String,
        }
        for table in ["consents", "consent_proofs"] {
            let kept: Kept = sqlx::query_as(&format!(
                "SELECT language, disclosure, disclosure_sha256 FROM {table}"
            ))
            .fetch_one(env.state.db.pool())
            .await
            .unwrap();
            assert_eq!(kept.language, "de", "{table}");
            assert!(
                kept.disclosure.contains(&de.disclosure_statement("Acme")),
                "{table}: {}",
                kept.disclosure
            );
            assert_eq!(kept.disclosure_sha256, form.disclosure_sha256, "{table}");
            assert_eq!(
                hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                    kept.disclosure.as_bytes()
                )),
                kept.disclosure_sha256,
                "{table}: the hash is the kept text's"
            );
        }
    }

    fn meta() -> RequestMeta {
        RequestMeta {
            ip: Some("203.0.113.9".parse().unwrap()),
            user_agent: Some("test".into()),
            referer: Some("https://shop.example/track".into()),
        }
    }

    #[tokio::test]
    async fn a_consent_is_stored_with_its_proof_and_two_jobs_in_one_go() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let form = offered(&env).await;
        let outcome = submit(&env.state, &form, &meta()).await.unwrap();
        assert_eq!(outcome.phone_masked, "+1*******671");
        #[derive(sqlx::FromRow)]
        struct Proof {
            id: String,
            phone_e164: String,
            ip: Option<String>,
            page_url: Option<String>,
            disclosure: String,
            disclosure_sha256: String,
        }
        let proof: Proof = sqlx::query_as(
            "SELECT id, phone_e164, ip, page_url, disclosure, disclosure_sha256 FROM consents",
        )
        .fetch_one(env.state.db.pool())
        .await
        .unwrap();
        assert_eq!(proof.phone_e164, "+14155552671");
        assert_eq!(proof.ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(
            proof.page_url.as_deref(),
            Some("https://shop.example/track")
        );
        assert_eq!(proof.disclosure_sha256, form.disclosure_sha256);
        assert!(proof.disclosure.contains("STOP"));
        assert_eq!(
            env.job(&proof.id, queue::STEP_CUSTOMER).await.state,
            "queued"
        );
        assert_eq!(
            env.job(&proof.id, queue::STEP_SUBSCRIBE).await.state,
            "blocked"
        );
    }

    #[tokio::test]
    async fn a_resubmission_or_a_second_tab_makes_no_second_consent() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let form = offered(&env).await;
        let meta = meta();
        let (a, b) = tokio::join!(
            submit(&env.state, &form, &meta),
            submit(&env.state, &form, &meta)
        );
        assert_eq!(a.unwrap(), b.unwrap(), "both clicks see the confirmation");
        let other_tab = Submission {
            idempotency_key: "another-tab-key-0123456789".into(),
            ..form
        };
        submit(&env.state, &other_tab, &meta).await.unwrap();
        assert_eq!(env.consent_count().await, 1);
    }

    #[tokio::test]
    async fn one_copy_of_the_page_signs_up_each_phone_sent_with_it() {
        // The page cache serves one copy (one form key) to whoever opens the link meanwhile.
        let env = TestEnv::new(Backend::Sqlite).await;
        let form = offered(&env).await;
        let meta = meta();
        submit(&env.state, &form, &meta).await.unwrap();
        let other_phone = Submission {
            phone: "(415) 555-0132".into(),
            ..form.clone()
        };
        let second = submit(&env.state, &other_phone, &meta).await.unwrap();
        assert_eq!(second.phone_masked, mask::phone("+14155550132"));
        assert_eq!(env.consent_count().await, 2, "two phones, two consents");
        submit(&env.state, &other_phone, &meta).await.unwrap();
        assert_eq!(
            env.consent_count().await,
            2,
            "the same phone again is the same one"
        );
    }

    #[tokio::test]
    async fn bad_input_is_refused_by_field_and_stores_nothing() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let form = offered(&env).await;
        let cases = [
            (
                "consent",
                Submission {
                    consent: None,
                    ..form.clone()
                },
            ),
            (
                "phone",
                Submission {
                    phone: "12".into(),
                    ..form.clone()
                },
            ),
            (
                "country",
                Submission {
                    country: "XX".into(),
                    ..form.clone()
                },
            ),
            (
                "form",
                Submission {
                    idempotency_key: "short".into(),
                    ..form.clone()
                },
            ),
            (
                "form",
                Submission {
                    disclosure_sha256: "0".repeat(64),
                    ..form.clone()
                },
            ),
        ];
        for (field, bad) in cases {
            match submit(&env.state, &bad, &meta()).await {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        let unknown = Submission {
            token: crate::domain::TrackingToken::generate().as_str().to_owned(),
            ..form
        };
        assert_eq!(
            submit(&env.state, &unknown, &meta()).await,
            Err(AppError::NotFound)
        );
        assert_eq!(env.consent_count().await, 0);
    }

    #[tokio::test]
    async fn a_failed_consent_submitted_again_is_queued_again() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let form = offered(&env).await;
        submit(&env.state, &form, &meta()).await.unwrap();
        let id: String = sqlx::query_scalar("SELECT id FROM consents")
            .fetch_one(env.state.db.pool())
            .await
            .unwrap();
        let job = queue::claim(&env.state.db, "w", env.now_ms(), 60_000, 1, 4)
            .await
            .unwrap()
            .remove(0);
        queue::fail(&env.state.db, &job, env.now_ms(), "refused")
            .await
            .unwrap();
        submit(&env.state, &form, &meta()).await.unwrap();
        assert_eq!(env.consent_state(&id).await.state, "waiting");
        assert_eq!(env.job(&id, queue::STEP_CUSTOMER).await.state, "queued");
    }
}
