//! First-run demo data: on an empty database, a demo merchant with a few shipments in
//! different states, written through the same services the REST API uses. The demo API key
//! is kept in the data directory so the run command can show it again on later starts.

use anyhow::Context;
use app::domain::inputs::{
    AccentColor, BrandName, Carrier, CheckpointMessage, CheckpointTime, City, CountryCode,
    DeliveryDate, Email, ExternalId, Location, PersonName, PhoneE164, Postcode, TrackingNumber,
};
use app::domain::ShipmentStatus;
use app::ssr::consent::settings::{self as consent_settings, HttpUrl, SmsSettingsUpdate};
use app::ssr::merchant_settings::klaviyo;
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::orders::{self, CheckpointInput, CustomerInput, OrderInput, ShipmentInput};
use app::ssr::sms::{AccountId, ListId, ListProvider};
use app::ssr::state::SmsMode;
use app::ssr::AppState;
use std::path::Path;
use time::{Duration, OffsetDateTime, UtcOffset};

pub const DEMO_KEY_FILE: &str = "demo-api-key.txt";

pub struct DemoInfo {
    /// (label, tracking URL) of each demo shipment.
    pub pages: Vec<(String, String)>,
    pub api_key: Option<String>,
    /// The demo merchant's sign-in (email, password), when its file is there.
    pub login: Option<(String, String)>,
    pub created_now: bool,
    /// The demo store's order look-up page.
    pub lookup_url: String,
}

pub const DEMO_LOGIN_FILE: &str = "demo-login.txt";
pub const DEMO_EMAIL: &str = "demo@tracklight.example";

/// The demo merchant's sign-in: created once, its password kept in the data directory.
async fn ensure_login(
    state: &AppState,
    merchant: &merchants::MerchantId,
    data_dir: &Path,
) -> anyhow::Result<Option<(String, String)>> {
    use app::ssr::accounts::{self, Password, SignUpError};
    use rand::distr::{Alphanumeric, SampleString};
    let file = data_dir.join(DEMO_LOGIN_FILE);
    if let Ok(password) = std::fs::read_to_string(&file) {
        return Ok(Some((DEMO_EMAIL.into(), password.trim().to_owned())));
    }
    let password = Alphanumeric.sample_string(&mut rand::rng(), 16);
    let email = p(Email::parse(DEMO_EMAIL))?;
    match accounts::add_user(
        &state.db,
        merchant,
        &email,
        p(Password::parse(&password))?,
        state.clock.now_ms(),
    )
    .await
    {
        Ok(_) => {
            write_private(&file, &password)
                .with_context(|| format!("writing {}", file.display()))?;
            Ok(Some((DEMO_EMAIL.into(), password)))
        }
        // Its password file was removed: the sign-in stays as it was.
        Err(SignUpError::EmailTaken) => Ok(None),
        Err(SignUpError::Other(e)) => Err(e),
    }
}

struct DemoShipment {
    order: &'static str,
    first_name: &'static str,
    /// E.164; fictional numbers (ranges set aside for drama and documentation, or the usual
    /// example numbers).
    phone: &'static str,
    city: &'static str,
    postcode: &'static str,
    country: &'static str,
    carrier: &'static str,
    tracking: &'static str,
    eta_days: Option<i64>,
    /// (hours ago, utc offset hours, location, message, status), oldest first.
    events: &'static [(i64, i8, &'static str, &'static str, ShipmentStatus)],
}

const SHIPMENTS: &[DemoShipment] = &[
    DemoShipment {
        order: "1001",
        first_name: "Ana",
        phone: "+15035550147",
        city: "Portland",
        postcode: "97205",
        country: "US",
        carrier: "UPS",
        tracking: "1Z999AA10123456784",
        eta_days: Some(2),
        events: &[
            (
                50,
                -8,
                "Seattle, WA, US",
                "Shipping label created",
                ShipmentStatus::InfoReceived,
            ),
            (
                46,
                -8,
                "Seattle, WA, US",
                "Picked up by carrier",
                ShipmentStatus::InTransit,
            ),
            (
                30,
                -8,
                "Tacoma, WA, US",
                "Departed facility",
                ShipmentStatus::InTransit,
            ),
            (
                6,
                -8,
                "Portland, OR, US",
                "Arrived at local facility",
                ShipmentStatus::InTransit,
            ),
        ],
    },
    DemoShipment {
        order: "1002",
        first_name: "Jonas",
        phone: "+4915112345678",
        city: "Berlin",
        postcode: "10115",
        country: "DE",
        carrier: "DHL",
        tracking: "JJD000390007654321",
        eta_days: Some(0),
        events: &[
            (
                28,
                1,
                "Leipzig, DE",
                "Shipment picked up",
                ShipmentStatus::InTransit,
            ),
            (
                12,
                1,
                "Berlin, DE",
                "Arrived at delivery base",
                ShipmentStatus::InTransit,
            ),
            (
                2,
                1,
                "Berlin, DE",
                "Out for delivery",
                ShipmentStatus::OutForDelivery,
            ),
        ],
    },
    DemoShipment {
        order: "1003",
        first_name: "Maya",
        phone: "+447911123456",
        city: "London",
        postcode: "SW1A 1AA",
        country: "GB",
        carrier: "Royal Mail",
        tracking: "RM123456785GB",
        eta_days: None,
        events: &[
            (
                70,
                0,
                "Manchester, GB",
                "Item received",
                ShipmentStatus::InfoReceived,
            ),
            (
                48,
                0,
                "London, GB",
                "Out for delivery",
                ShipmentStatus::OutForDelivery,
            ),
            (
                45,
                0,
                "London, GB",
                "Delivered, signed for by MAYA",
                ShipmentStatus::Delivered,
            ),
        ],
    },
    // One order in two parcels: the tracking page lists both, with one SMS sign-up.
    DemoShipment {
        order: "1004",
        first_name: "Camille",
        phone: "+33612345678",
        city: "Lyon",
        postcode: "69002",
        country: "FR",
        carrier: "Colissimo",
        tracking: "6A12345678901",
        eta_days: None,
        events: &[
            (
                52,
                1,
                "Paris, FR",
                "Votre colis est pris en charge",
                ShipmentStatus::InTransit,
            ),
            (
                26,
                1,
                "Lyon, FR",
                "Votre colis est livré",
                ShipmentStatus::Delivered,
            ),
        ],
    },
    DemoShipment {
        order: "1004",
        first_name: "Camille",
        phone: "+33612345678",
        city: "Lyon",
        postcode: "69002",
        country: "FR",
        carrier: "Colissimo",
        tracking: "6A12345678918",
        eta_days: Some(1),
        events: &[
            (
                20,
                1,
                "Paris, FR",
                "Votre colis est pris en charge",
                ShipmentStatus::InTransit,
            ),
            (
                4,
                1,
                "Lyon, FR",
                "Votre colis est arrivé sur son site de distribution",
                ShipmentStatus::InTransit,
            ),
        ],
    },
];

fn p<T>(r: Result<T, String>) -> anyhow::Result<T> {
    r.map_err(anyhow::Error::msg)
}

/// Seeds demo data on an empty database; on later starts, finds the demo shipments again.
/// Returns `None` when the database belongs to real merchants only.
pub async fn ensure(state: &AppState, data_dir: &Path) -> anyhow::Result<Option<DemoInfo>> {
    let key_file = data_dir.join(DEMO_KEY_FILE);
    let (merchant, api_key, created_now) = match merchants::find_demo(&state.db).await? {
        Some(m) => (
            m,
            std::fs::read_to_string(&key_file)
                .ok()
                .map(|k| k.trim().to_owned()),
            false,
        ),
        None if merchants::count(&state.db).await? == 0 => {
            let now = state.clock.now();
            let merchant = seed(state, now).await?;
            let key = merchants::create_api_key(&state.db, &merchant, "demo", state.clock.now_ms())
                .await?;
            write_private(&key_file, key.expose())
                .with_context(|| format!("writing {}", key_file.display()))?;
            tracing::info!("created the demo merchant and its shipments");
            (merchant, Some(key.expose().to_owned()), true)
        }
        None => return Ok(None),
    };
    if state.sms_mode.is_sandbox_for(ListProvider::Yotpo) {
        connect_sandbox(state, &merchant, data_dir).await?;
    }
    if state.sms_mode.is_sandbox_for(ListProvider::Klaviyo) {
        connect_klaviyo_sandbox(state, &merchant).await?;
    }
    let pages = orders::list_shipments(&state.db, &merchant, 20)
        .await?
        .into_iter()
        .rev()
        .map(|s| {
            (
                format!(
                    "Order {} ({}, {})",
                    s.order_external_id,
                    s.carrier,
                    s.status.label()
                ),
                state.public_url.tracking_url(&s.token),
            )
        })
        .collect();
    let login = ensure_login(state, &merchant, data_dir).await?;
    Ok(Some(DemoInfo {
        lookup_url: format!("{}/track/{}", state.public_url.as_str(), merchant.as_str()),
        pages,
        api_key,
        login,
        created_now,
    }))
}

async fn seed(state: &AppState, now: OffsetDateTime) -> anyhow::Result<merchants::MerchantId> {
    let merchant = merchants::create(
        &state.db,
        &NewMerchant {
            name: p(BrandName::parse("Northwind Coffee Co."))?,
            accent_color: Some(p(AccentColor::parse("#0f766e"))?),
            is_demo: true,
        },
        state.clock.now_ms(),
    )
    .await?;
    // The demo sends every milestone, so its sandboxes show events once it is connected.
    app::ssr::merchant_settings::milestones::store(
        &state.db,
        &merchant,
        &app::domain::MilestoneSet::all(),
    )
    .await?;
    // Its delivered orders invite shoppers to share a photo.
    app::ssr::media::moderation::set_enabled(state, merchant.as_str(), true)
        .await
        .map_err(|e| anyhow::anyhow!("turning on the demo's photos: {e}"))?;
    for (i, s) in SHIPMENTS.iter().enumerate() {
        // An order listed twice ships in two parcels: one customer, numbered shipments.
        let first = SHIPMENTS
            .iter()
            .position(|o| o.order == s.order)
            .unwrap_or(i);
        let parcel = SHIPMENTS[..i].iter().filter(|o| o.order == s.order).count() + 1;
        let country = p(CountryCode::parse(s.country))?;
        let eta = s
            .eta_days
            .map(|d| {
                let date = (now + Duration::days(d)).date();
                DeliveryDate::parse(&date.to_string())
            })
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let order = OrderInput {
            external_id: p(ExternalId::parse(s.order))?,
            customer: CustomerInput {
                external_id: p(ExternalId::parse(&format!("demo-customer-{}", first + 1)))?,
                first_name: Some(p(PersonName::parse(s.first_name))?),
                last_name: None,
                email: Some(p(Email::parse(&format!(
                    "{}@example.com",
                    s.first_name.to_lowercase()
                )))?),
                phone: Some(p(PhoneE164::parse(s.phone, None))?),
                country,
                city: Some(p(City::parse(s.city))?),
                postcode: Some(p(Postcode::parse(s.postcode))?),
            },
            shipments: vec![ShipmentInput {
                external_id: p(ExternalId::parse(&format!("{}-{parcel}", s.order)))?,
                carrier: p(Carrier::parse(s.carrier))?,
                tracking_number: p(TrackingNumber::parse(s.tracking))?,
                estimated_delivery: eta,
                status: Some(ShipmentStatus::InfoReceived),
                carrier_url: None,
            }],
            product_ids: Some(vec![format!("demo-product-{}", first + 1)]),
        };
        orders::upsert_order(&state.db, &merchant, &order, state.clock.now_ms())
            .await
            .map_err(|e| anyhow::anyhow!("seeding demo order {}: {e}", s.order))?;
        let checkpoints = s
            .events
            .iter()
            .map(|(hours_ago, offset, location, message, status)| {
                let offset = UtcOffset::from_hms(*offset, 0, 0)?;
                let at = (now - Duration::hours(*hours_ago)).to_offset(offset);
                let at = at.format(&time::format_description::well_known::Rfc3339)?;
                Ok(CheckpointInput {
                    at: p(CheckpointTime::parse(&at))?,
                    location: Some(p(Location::parse(location))?),
                    message: p(CheckpointMessage::parse(message))?,
                    status: *status,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        orders::append_checkpoints(
            &state.db,
            &merchant,
            &format!("{}-{parcel}", s.order),
            &checkpoints,
            state.clock.now_ms(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo checkpoints {}: {e}", s.order))?;
    }
    Ok(merchant)
}

/// Connects the demo merchant to an account of its own in the Klaviyo sandbox (once), so the
/// demo can be switched between the two providers in settings; Yotpo stays chosen.
async fn connect_klaviyo_sandbox(
    state: &AppState,
    merchant: &merchants::MerchantId,
) -> anyhow::Result<()> {
    let current = consent_settings::load(&state.db, &state.secrets, merchant)
        .await?
        .context("the demo merchant exists")?;
    if current.connection(ListProvider::Klaviyo).is_some() {
        return Ok(());
    }
    let chosen = current.provider;
    klaviyo::use_klaviyo_sandbox(state, merchant)
        .await
        .map_err(|e| anyhow::anyhow!("connecting the demo to the Klaviyo sandbox: {e}"))?;
    if chosen == ListProvider::Yotpo && current.connection(ListProvider::Yotpo).is_some() {
        consent_settings::choose_provider(&state.db, merchant, ListProvider::Yotpo).await?;
    }
    tracing::info!("connected the demo merchant to the Klaviyo sandbox too");
    Ok(())
}

/// Points the demo merchant's SMS sign-ups at the sandbox's demo store (once).
async fn connect_sandbox(
    state: &AppState,
    merchant: &merchants::MerchantId,
    data_dir: &Path,
) -> anyhow::Result<()> {
    let current = consent_settings::load(&state.db, &state.secrets, merchant).await;
    if matches!(&current, Ok(Some(s)) if s.ready().is_some()) {
        return Ok(());
    }
    let store = sandbox::demo_stores(data_dir)?
        .into_iter()
        .next()
        .context("the sandbox has no demo store")?;
    let list = store.lists.first().context("the demo store has no list")?;
    let base = state.public_url.as_str();
    let update = SmsSettingsUpdate {
        account_id: p(AccountId::parse(&store.store_id))?,
        secret: store.secret.clone().into(),
        list_id: ListId::from(list.id),
        terms_url: Some(p(HttpUrl::parse(&format!("{base}/demo/terms")))?),
        privacy_url: Some(p(HttpUrl::parse(&format!("{base}/demo/privacy")))?),
        heading: Some("Get texts from Northwind Coffee Co.".into()),
        extra: Some("New roasts, restocks and 10% off your next bag.".into()),
    };
    consent_settings::save(&state.db, &state.secrets, merchant, &update).await?;
    // Its texts in German (its Berlin shopper's language) and French; the other languages
    // show the English ones (the store's default).
    let text = |language: &str, heading: &str, extra: &str| consent_settings::LangTexts {
        language: language.into(),
        heading: Some(heading.into()),
        extra: Some(extra.into()),
    };
    consent_settings::save_languages(
        &state.db,
        merchant,
        &app::i18n::StoreLangs::all(),
        &[
            text(
                "de",
                "SMS von Northwind Coffee Co.",
                "Neue Röstungen, wieder Vorrätiges und 10 % Rabatt auf Ihre nächste Tüte.",
            ),
            text(
                "fr",
                "Les SMS de Northwind Coffee Co.",
                "Nouvelles torréfactions, retours en stock et 10 % sur votre prochain sachet.",
            ),
        ],
        None,
    )
    .await?;
    tracing::info!("connected the demo merchant to the Yotpo sandbox");
    Ok(())
}

/// The demo merchant's Terms and Privacy pages, which the consent text links to.
pub async fn legal_page(
    axum::extract::Path(page): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::{Html, IntoResponse};
    let (title, body) = match page.as_str() {
        "terms" => (
            "Terms of Service (demo)",
            "Northwind Coffee Co. text messages: order updates, new roasts and offers, a few \
             a month. Message and data rates may apply. Reply HELP for help and STOP to cancel. \
             Consent is not a condition of purchase.",
        ),
        "privacy" => (
            "Privacy Policy (demo)",
            "We use your phone number only to send the texts you asked for, through our SMS \
             provider. We never sell it. Reply STOP to stop, and ask us to delete your data at \
             any time.",
        ),
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/tracklight.css\"></head>\
         <body><main class=\"page page--narrow\"><section class=\"card\"><h1>{title}</h1>\
         <p>{body}</p><p class=\"muted\">Demo text of the Tracklight demo store.</p>\
         </section></main></body></html>"
    ))
    .into_response()
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")
}

/// What the run command prints once the server listens: the URLs to open.
pub fn banner(base: &str, demo: Option<&DemoInfo>, sms: &SmsMode) -> String {
    let mut out = format!("\nTracklight is running at {base}\n");
    if let Some(demo) = demo {
        out.push_str(if demo.created_now {
            "\n  Demo data created (merchant \"Northwind Coffee Co.\"). Open a tracking page:\n"
        } else {
            "\n  Demo tracking pages:\n"
        });
        for (label, url) in &demo.pages {
            out.push_str(&format!("    {label:<42} {url}\n"));
        }
        out.push_str(&format!(
            "    {:<42} {}   (e.g. order 1004, camille@example.com)\n",
            "Order look-up", demo.lookup_url
        ));
        match &demo.api_key {
            Some(key) => out.push_str(&format!("\n  Demo API key:      {key}\n")),
            None => out.push_str(&format!(
                "\n  Demo API key:      (not found: {DEMO_KEY_FILE} was removed)\n"
            )),
        }
    }
    if let Some((email, password)) = demo.and_then(|d| d.login.as_ref()) {
        out.push_str(&format!(
            "  Merchant settings: {base}/signin   ({email} / {password})\n"
        ));
    }
    out.push_str(&format!("  API documentation: {base}/api/docs\n"));
    out.push_str(&format!(
        "  OpenAPI document:  {base}/api/v1/openapi.json\n"
    ));
    out.push_str(&format!(
        "  Health:            {base}/healthz   {base}/readyz\n"
    ));
    let urls = match sms {
        SmsMode::Sandbox { urls, .. } => urls.clone(),
        SmsMode::Live => Vec::new(),
    };
    for provider in ListProvider::ALL {
        let label = provider.label();
        match urls.iter().find(|(p, _)| *p == provider) {
            Some((ListProvider::Yotpo, url)) => out.push_str(&format!(
                "\n  {label}: SANDBOX (no real texts are sent; set TRACKLIGHT_YOTPO_API_URL for a real account)\n    \
                 Sandbox:           {url}/sandbox\n    \
                 What it received:  {url}/sandbox/requests\n    \
                 Fault switches:    {url}/sandbox/faults\n"
            )),
            Some((_, url)) => out.push_str(&format!(
                "\n  {label}: SANDBOX (no real texts are sent; set TRACKLIGHT_KLAVIYO_API_URL for a real account)\n    \
                 Sandbox:           {url}/sandbox/klaviyo\n    \
                 What it received:  {url}/sandbox/klaviyo/requests\n    \
                 Fault switches:    {url}/sandbox/klaviyo/faults\n"
            )),
            None => out.push_str(&format!("\n  {label}: live API\n")),
        }
    }
    out.push_str("\n  Stop with Ctrl-C.\n");
    out
}
