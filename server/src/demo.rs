//! First-run demo data: on an empty database, a demo merchant with a few shipments in
//! different states, written through the same services the REST API uses. The demo API key
//! is kept in the data directory so the run command can show it again on later starts.

use anyhow::Context;
use app::domain::inputs::{
    AccentColor, BrandName, Carrier, CheckpointMessage, CheckpointTime, City, CountryCode,
    DeliveryDate, Email, ExternalId, Location, PersonName, TrackingNumber,
};
use app::domain::ShipmentStatus;
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::orders::{self, CheckpointInput, CustomerInput, OrderInput, ShipmentInput};
use app::ssr::state::SmsMode;
use app::ssr::AppState;
use std::path::Path;
use time::{Duration, OffsetDateTime, UtcOffset};

pub const DEMO_KEY_FILE: &str = "demo-api-key.txt";

pub struct DemoInfo {
    /// (label, tracking URL) of each demo shipment.
    pub pages: Vec<(String, String)>,
    pub api_key: Option<String>,
    pub created_now: bool,
}

struct DemoShipment {
    order: &'static str,
    first_name: &'static str,
    city: &'static str,
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
        city: "Portland",
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
        city: "Berlin",
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
        city: "London",
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
    Ok(Some(DemoInfo {
        pages,
        api_key,
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
    for (i, s) in SHIPMENTS.iter().enumerate() {
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
                external_id: p(ExternalId::parse(&format!("demo-customer-{}", i + 1)))?,
                first_name: Some(p(PersonName::parse(s.first_name))?),
                last_name: None,
                email: Some(p(Email::parse(&format!(
                    "{}@example.com",
                    s.first_name.to_lowercase()
                )))?),
                phone: None,
                country,
                city: Some(p(City::parse(s.city))?),
            },
            shipments: vec![ShipmentInput {
                external_id: p(ExternalId::parse(&format!("{}-1", s.order)))?,
                carrier: p(Carrier::parse(s.carrier))?,
                tracking_number: p(TrackingNumber::parse(s.tracking))?,
                estimated_delivery: eta,
                status: Some(ShipmentStatus::InfoReceived),
            }],
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
            &format!("{}-1", s.order),
            &checkpoints,
            state.clock.now_ms(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo checkpoints {}: {e}", s.order))?;
    }
    Ok(merchant)
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
        match &demo.api_key {
            Some(key) => out.push_str(&format!("\n  Demo API key:      {key}\n")),
            None => out.push_str(&format!(
                "\n  Demo API key:      (not found: {DEMO_KEY_FILE} was removed)\n"
            )),
        }
    }
    out.push_str(&format!("  API documentation: {base}/api/docs\n"));
    out.push_str(&format!(
        "  OpenAPI document:  {base}/api/v1/openapi.json\n"
    ));
    out.push_str(&format!(
        "  Health:            {base}/healthz   {base}/readyz\n"
    ));
    match sms {
        SmsMode::Sandbox { url } => out.push_str(&format!(
            "\n  Yotpo: SANDBOX (no real texts are sent; set TRACKLIGHT_YOTPO_API_URL for a real account)\n    \
             Sandbox:           {url}/sandbox\n    \
             What it received:  {url}/sandbox/requests\n    \
             Fault switches:    {url}/sandbox/faults\n"
        )),
        SmsMode::Live => out.push_str("\n  Yotpo: live API\n"),
    }
    out.push_str("\n  Stop with Ctrl-C.\n");
    out
}
