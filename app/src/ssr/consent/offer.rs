//! The consent block for a tracking page: whether to offer the checkbox, and its texts.

use super::disclosure::Disclosure;
use super::settings::ConsentSettings;
use crate::domain::inputs::{CountryCode, PhoneE164};
use crate::domain::mask;
use crate::domain::{AppError, CheckboxForm, ConsentOffer, OfferForm, OfferStatus, TrackingToken};
use crate::i18n::Lang;
use crate::ssr::merchants::MerchantId;
use crate::ssr::sms::SmsConsent;
use crate::ssr::{AppState, Db};
use anyhow::Context;
use std::sync::LazyLock;
use std::time::Duration;

/// Who is looking at a tracking page, as far as the consent needs to know.
#[derive(Debug, Clone)]
pub struct Shopper {
    pub merchant_id: MerchantId,
    pub shipment_id: String,
    pub customer_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: CountryCode,
    /// The phone of the shopper's newest consent through Tracklight that did not fail.
    pub own_consent: Option<String>,
}

/// The columns a [`ShopperRow`] reads, for a shipment `s` joined with its order `o`; the
/// last is the phone of the shopper's newest own consent that still speaks for them (a page
/// view reads it in the same query as the shipment): one on its way, or delivered since `$2`
/// ([`OWN_CONSENT_FRESH`] ago). An older delivered one does not: the provider answers then,
/// so a shopper who texted STOP is offered the sign-up again.
pub(crate) const SHOPPER_COLUMNS: &str = "s.merchant_id, s.id AS shipment_id,
    o.customer_external_id, o.first_name, o.last_name, o.email, o.phone_e164,
    o.shipping_country,
    (SELECT c.phone_e164 FROM consents c
     WHERE c.merchant_id = s.merchant_id AND c.customer_external_id = o.customer_external_id
       AND c.state <> 'failed'
       AND (c.state NOT IN ('subscribed', 'confirming') OR c.subscribed_at_ms > $2)
     ORDER BY c.consented_at_ms DESC LIMIT 1) AS own_consent_phone";

/// How long a delivered consent of Tracklight's own speaks for the shopper before the
/// provider's answer does (the provider's own records may lag behind the opt-in).
pub(crate) const OWN_CONSENT_FRESH: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// `$2` of [`SHOPPER_COLUMNS`].
pub(crate) fn own_consent_cutoff(now_ms: i64) -> i64 {
    now_ms - OWN_CONSENT_FRESH.as_millis() as i64
}

/// [`SHOPPER_COLUMNS`] as read, by name.
#[derive(sqlx::FromRow)]
pub(crate) struct ShopperRow {
    merchant_id: String,
    shipment_id: String,
    customer_external_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_e164: Option<String>,
    shipping_country: String,
    own_consent_phone: Option<String>,
}

impl Shopper {
    /// The order's phone, when it is one that can receive texts.
    pub fn order_phone(&self) -> Option<PhoneE164> {
        PhoneE164::parse_mobile(self.phone.as_deref()?, self.country).ok()
    }
}

impl TryFrom<ShopperRow> for Shopper {
    type Error = anyhow::Error;

    fn try_from(row: ShopperRow) -> anyhow::Result<Self> {
        Ok(Self {
            merchant_id: MerchantId::from_db(row.merchant_id),
            shipment_id: row.shipment_id,
            customer_id: row.customer_external_id,
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            phone: row.phone_e164,
            country: CountryCode::parse(&row.shipping_country).map_err(anyhow::Error::msg)?,
            own_consent: row.own_consent_phone,
        })
    }
}

static SHOPPER_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {SHOPPER_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.token = $1"
    )
});

pub async fn shopper(
    db: &Db,
    token: &TrackingToken,
    now_ms: i64,
) -> anyhow::Result<Option<Shopper>> {
    sqlx::query_as::<_, ShopperRow>(&SHOPPER_SQL)
        .bind(token.as_str())
        .bind(own_consent_cutoff(now_ms))
        .fetch_optional(db.pool())
        .await
        .context("reading the shopper of a tracking page")?
        .map(Shopper::try_from)
        .transpose()
}

/// A hydrated page asking again may wait longer than a page render.
const STATUS_BOUND: Duration = Duration::from_secs(5);

/// The consent block for a hydrated page that asks again (`sms_status`): the provider was
/// slow when the page was rendered.
pub async fn status(state: &AppState, token: &str) -> Result<Option<ConsentOffer>, AppError> {
    let token = TrackingToken::parse(token).map_err(|_| AppError::NotFound)?;
    offer(state, &token, STATUS_BOUND, false, None)
        .await
        .map_err(AppError::internal)
}

/// The disclosure a merchant's settings produce in `lang`, when consent can be collected at
/// all.
pub fn disclosure_for(settings: &ConsentSettings, lang: Lang) -> Option<Disclosure> {
    let ready = settings.ready()?;
    let (heading, extra) = settings.texts_in(lang);
    Some(Disclosure::new(
        lang,
        &settings.brand,
        heading,
        extra,
        ready.terms_url,
        ready.privacy_url,
    ))
}

/// The consent block for the page behind `token`; `None` when the merchant has not set up
/// SMS consent. Waits for the provider at most `bound`. A `page_view` counts towards the
/// merchant's sign-up rate (views, and views that offered the checkbox).
pub async fn offer(
    state: &AppState,
    token: &TrackingToken,
    bound: Duration,
    page_view: bool,
    lang: Option<Lang>,
) -> anyhow::Result<Option<ConsentOffer>> {
    let Some(shopper) = shopper(&state.db, token, state.clock.now_ms()).await? else {
        return Ok(None);
    };
    offer_to(state, &shopper, bound, page_view, lang).await
}

/// [`offer`] for a shopper already read (a page render reads it with the shipment), in
/// `lang` (`None`: the store's default language).
pub async fn offer_to(
    state: &AppState,
    shopper: &Shopper,
    bound: Duration,
    page_view: bool,
    lang: Option<Lang>,
) -> anyhow::Result<Option<ConsentOffer>> {
    let offer = consent_offer(state, shopper, bound, lang).await?;
    if page_view {
        let offered = offer
            .as_ref()
            .is_some_and(|o| o.status == OfferStatus::Offer);
        state
            .stats
            .record_view(&shopper.merchant_id, offered, state.clock.now_ms());
    }
    Ok(offer)
}

async fn consent_offer(
    state: &AppState,
    shopper: &Shopper,
    bound: Duration,
    lang: Option<Lang>,
) -> anyhow::Result<Option<ConsentOffer>> {
    // No customer ID (a guest checkout) or an erased one: nobody the provider knows.
    if !crate::ssr::ingest::update::is_known_customer(&shopper.customer_id) {
        return Ok(None);
    }
    // Page renders read settings through a short-lived cache; a submission reads them fresh.
    let Some(settings) = state
        .consent_settings
        .get(&state.db, &state.secrets, &shopper.merchant_id)
        .await?
    else {
        return Ok(None);
    };
    let lang = lang.unwrap_or(settings.langs.default);
    let Some(form) = form_for(&settings, Some(shopper), lang) else {
        return Ok(None);
    };
    let status = match &shopper.own_consent {
        Some(phone) => OfferStatus::SignedUp {
            phone_masked: mask::phone(phone),
        },
        None => match state
            .lookup
            .status(
                state.providers.get(settings.provider),
                &settings,
                &shopper.customer_id,
                bound,
            )
            .await?
        {
            Some(SmsConsent::Subscribed) => OfferStatus::Subscribed,
            Some(SmsConsent::NotSubscribed) => OfferStatus::Offer,
            None => OfferStatus::Checking,
        },
    };
    Ok(Some(ConsentOffer {
        status,
        form,
        sandbox: state.sms_mode.is_sandbox_for(settings.provider),
        confirm_by_text: settings.double_opt_in,
    }))
}

/// What shoppers who are not subscribed are shown: the provider's own form when the merchant
/// chose one, else Tracklight's checkbox (prefilled for `shopper`; blank for the settings
/// page's preview). `None` while the settings are incomplete.
pub fn form_for(
    settings: &ConsentSettings,
    shopper: Option<&Shopper>,
    lang: Lang,
) -> Option<OfferForm> {
    if let (Some(script), Some(_)) = (&settings.form_script, &settings.account) {
        return Some(OfferForm::Provider {
            script_src: script.as_str().to_owned(),
        });
    }
    let disclosure = disclosure_for(settings, lang)?;
    // Never the number itself: anyone holding the link could read it in the page.
    let order_phone = shopper
        .and_then(|s| s.order_phone())
        .map(|phone| mask::phone(phone.as_str()));
    let country = shopper.map_or("US", |s| s.country.as_str());
    Some(OfferForm::Checkbox(CheckboxForm {
        lang,
        phone_example: crate::i18n::cldr::phone_example(country),
        disclosure_sha256: disclosure.sha256(),
        heading: disclosure.heading,
        extra: disclosure.extra,
        disclosure: disclosure.statement,
        terms_url: disclosure.terms_url,
        privacy_url: disclosure.privacy_url,
        order_phone,
        country: country.to_owned(),
        idempotency_key: uuid::Uuid::new_v4().simple().to_string(),
        // Points go to the order's email: none, no points (the preview shows them).
        // A double opt-in list (the shopper confirms by text, which Tracklight does not
        // hear of) earns nothing: no promise then either.
        loyalty_points: settings
            .loyalty_points
            .filter(|_| !settings.double_opt_in)
            .filter(|_| shopper.is_none_or(|s| s.email.is_some())),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    const BOUND: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn no_block_until_the_store_is_connected() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Bare").await;
        let token = env.shipment(&merchant, "cust-1", None).await;
        assert_eq!(
            offer(&env.state, &token, BOUND, true, None).await.unwrap(),
            None
        );
        assert_eq!(
            env.provider.lookups(),
            0,
            "no look-up for a store without a provider"
        );
    }

    #[tokio::test]
    async fn the_block_follows_what_is_known_of_the_shopper() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        // Not subscribed: the checkbox, offering the order's phone masked, never in full.
        let token = env.shipment(&merchant, "new", Some("+14155552671")).await;
        let shown = offer(&env.state, &token, BOUND, true, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shown.status, OfferStatus::Offer);
        let OfferForm::Checkbox(form) = shown.form else {
            panic!("the checkbox")
        };
        assert_eq!(form.order_phone.as_deref(), Some("+1*******671"));
        assert_eq!(form.country, "US");
        // Subscribed at the provider: never asked.
        env.provider.subscribe_customer("known");
        let token = env.shipment(&merchant, "known", None).await;
        let shown = offer(&env.state, &token, BOUND, true, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shown.status, OfferStatus::Subscribed);
        // Signed up through Tracklight already: their own consent, masked, and no look-up.
        let lookups = env.provider.lookups();
        env.consent(&merchant, "+14155550123").await;
        let token = env.shipment(&merchant, "c-+14155550123", None).await;
        let shown = offer(&env.state, &token, BOUND, true, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            shown.status,
            OfferStatus::SignedUp {
                phone_masked: "+1*******123".into()
            }
        );
        assert_eq!(env.provider.lookups(), lookups);
    }

    #[tokio::test]
    async fn a_slow_provider_leaves_the_decision_to_the_page() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.connected_merchant("Acme").await;
        let token = env.shipment(&merchant, "cust-1", None).await;
        env.provider.slow_lookups(Duration::from_millis(300));
        let shown = offer(&env.state, &token, Duration::from_millis(10), true, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shown.status, OfferStatus::Checking);
        // The page asks again (`sms_status`) and the answer is in.
        let asked = status(&env.state, token.as_str()).await.unwrap().unwrap();
        assert_eq!(asked.status, OfferStatus::Offer);
        assert_eq!(
            env.provider.lookups(),
            1,
            "the late answer was not asked twice"
        );
        assert_eq!(
            status(&env.state, "not-a-token").await,
            Err(AppError::NotFound)
        );
    }
}
