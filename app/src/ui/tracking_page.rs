//! The shopper's tracking page, `/t/{token}`: status, estimated delivery, progress, carrier
//! and tracking number, the merchant's brand, and the newest-first timeline.
//!
//! It is complete as server-rendered HTML, and "Refresh" is a plain link that reloads it. The
//! shopper widget's WebAssembly (`widget/`) enhances two parts: the consent block's form, and
//! [`RefreshRow`], with which "Refresh" reads the page again in the background and swaps in
//! its shipment parts, without a reload.

use super::scripts::EMBED_HEIGHT_SCRIPT;
use super::{consent_block::ConsentBlock, timeline::Timeline, NotFound};
use crate::api::tracking_view;
use crate::domain::{AppError, ParcelView, ShipmentStatus, TrackingView};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/t/{token}`, or with `embed` the widget at `/embed/t/{token}` that `embed/v1.js` frames
/// in a merchant's page.
#[component]
pub fn TrackingPage(#[prop(optional)] embed: bool) -> impl IntoView {
    // The host page's address, which the loader passes along for the consent record.
    let page_url = embed
        .then(|| use_query_map().read_untracked().get("page"))
        .flatten();
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();

    // Rendered on the server only (this is not an island), so the data is a plain future and
    // the values are plain: when a browser drops the request mid-render, nothing reactive is
    // read after the page's owner is gone (a `Resource` or `Memo` would panic then).
    // The router may have read the view already (the page cache looks at it first).
    #[cfg(feature = "ssr")]
    let loaded = crate::ssr::tracking::Loaded::current();
    #[cfg(not(feature = "ssr"))]
    let loaded = None;
    let data = super::page_data({
        let token = token.clone();
        async move {
            match loaded {
                Some(view) => Ok(view),
                None => tracking_view(token).await,
            }
        }
    });
    view! {
        <Suspense>
            {move || {
                let token = token.clone();
                let page_url = page_url.clone();
                let data = data.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(mut initial) => {
                            let accent = initial
                                .brand
                                .accent_color
                                .as_ref()
                                .map(|c| format!("--accent: {c}"))
                                .unwrap_or_default();
                            let sms_sandbox = initial.sms_sandbox;
                            let consent = initial
                                .consent
                                .take()
                                .map(|offer| {
                                    view! {
                                        <ConsentBlock
                                            offer
                                            token=token.clone()
                                            page_url
                                            preview=false
                                        />
                                    }
                                });
                            let title = format!(
                                "{} · {}",
                                initial.linked().status.label(),
                                initial.brand.name,
                            );
                            // The consent block is outside the parts a refresh replaces: it must
                            // not reset what the shopper is typing into it.
                            view! {
                                <Title text=title />
                                // Personal pages: keep them out of search engines.
                                <Meta name="robots" content="noindex, nofollow" />
                                <main
                                    class=if embed { "page page--embed" } else { "page" }
                                    style=accent
                                >
                                    <Tracking view=initial token />
                                    {consent}
                                    <footer class="footer">
                                        <span>"Tracking by Tracklight"</span>
                                        {sms_sandbox
                                            .then(|| {
                                                view! {
                                                    <p class="sandbox-note">
                                                        <strong>"Sandbox mode"</strong>
                                                        ": SMS sign-ups go to Tracklight's built-in Yotpo sandbox. No texts are sent."
                                                    </p>
                                                }
                                            })}
                                    </footer>
                                    {embed
                                        .then(|| {
                                            view! {
                                                <script
                                                    nonce=leptos::nonce::use_nonce()
                                                    inner_html=EMBED_HEIGHT_SCRIPT
                                                ></script>
                                            }
                                        })}
                                </main>
                            }
                                .into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(err) => view! { <Unavailable err /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Tracking(view: TrackingView, token: String) -> impl IntoView {
    let TrackingView {
        brand,
        order_number,
        first_name,
        destination,
        mut parcels,
        ..
    } = view;
    let greeting = first_name.map(|name| format!("Hi {name}, here is your order #{order_number}"));
    let greeting = greeting.unwrap_or_else(|| format!("Order #{order_number}"));
    let href = format!("/t/{token}");
    let header = view! {
        <header class="brand">
            {brand
                .logo_url
                .clone()
                .map(|src| view! { <img class="brand__logo" src=src alt="" height="32" /> })}
            <span class="brand__name">{brand.name.clone()}</span>
        </header>
    };
    let refresh = view! {
        <RefreshRow>
            <a class="button button--quiet" href=href>
                "Refresh"
            </a>
        </RefreshRow>
    };
    let destination = destination.map(|d| {
        view! {
            <div>
                <dt>"Shipping to"</dt>
                <dd>{d}</dd>
            </div>
        }
    });

    if parcels.len() == 1 {
        let parcel = parcels.remove(0);
        let status = parcel.status;
        return view! {
            {header}
            <section class="card status-card" aria-labelledby="status-title">
                <div id="shipment-summary">
                    <p class="eyebrow">{greeting}</p>
                    <h1 id="status-title" class=status_class(status)>
                        {status.label()}
                    </h1>
                    {when(&parcel)}
                    {status_hint(status, &brand.name)
                        .map(|hint| view! { <p class="hint">{hint}</p> })}
                    <Progress status label="Delivery progress".to_owned() />
                    <dl class="facts">
                        <div>
                            <dt>"Carrier"</dt>
                            <dd>{parcel.carrier}</dd>
                        </div>
                        <div>
                            <dt>"Tracking number"</dt>
                            <dd class="mono">
                                {tracking_number(parcel.tracking_number, parcel.carrier_url)}
                            </dd>
                        </div>
                        {destination}
                    </dl>
                </div>
                {refresh}
            </section>
            <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title">"Shipment updates"</h2>
                <div id="shipment-timeline">
                    <Timeline checkpoints=parcel.checkpoints />
                </div>
            </section>
        }
        .into_any();
    }

    // Several parcels: the order's summary, then each parcel with its own status and updates
    // (a list of cards, which reads the same on a phone and with a screen reader).
    let count = parcels.len();
    let delivered = parcels
        .iter()
        .filter(|p| p.status == ShipmentStatus::Delivered)
        .count();
    let heading = if delivered == count {
        format!("All {count} parcels delivered")
    } else {
        format!("Your order ships in {count} parcels")
    };
    let tally = format!("{delivered} of {count} delivered");
    let items = parcels
        .into_iter()
        .enumerate()
        .map(|(i, parcel)| {
            let n = i + 1;
            let label_id = format!("parcel-{n}-label");
            let title_id = format!("parcel-{n}-title");
            let status = parcel.status;
            let updates = format!("Updates ({})", parcel.checkpoints.len());
            view! {
                <li>
                    <section
                        class=if parcel.linked {
                            "card parcel parcel--linked"
                        } else {
                            "card parcel"
                        }
                        aria-labelledby=format!("{label_id} {title_id}")
                    >
                        <p class="eyebrow" id=label_id.clone()>
                            {format!("Parcel {n} of {count}")}
                        </p>
                        <h2 id=title_id.clone() class=status_class(status)>
                            {status.label()}
                        </h2>
                        {when(&parcel)}
                        {status_hint(status, &brand.name)
                            .map(|hint| view! { <p class="hint">{hint}</p> })}
                        <Progress status label=format!("Parcel {n} delivery progress") />
                        <dl class="facts">
                            <div>
                                <dt>"Carrier"</dt>
                                <dd>{parcel.carrier}</dd>
                            </div>
                            <div>
                                <dt>"Tracking number"</dt>
                                <dd class="mono">
                                    {tracking_number(parcel.tracking_number, parcel.carrier_url)}
                                </dd>
                            </div>
                        </dl>
                        <details class="parcel__updates" open=parcel.linked>
                            <summary>{updates}</summary>
                            <Timeline checkpoints=parcel.checkpoints />
                        </details>
                    </section>
                </li>
            }
        })
        .collect_view();
    view! {
        {header}
        <section class="card status-card" aria-labelledby="status-title">
            <div id="shipment-summary">
                <p class="eyebrow">{greeting}</p>
                <h1 id="status-title">{heading}</h1>
                <p class="eta">{tally}</p>
                {destination.map(|d| view! { <dl class="facts">{d}</dl> })}
            </div>
            {refresh}
        </section>
        <div id="shipment-timeline">
            <ol class="parcels" aria-label="Parcels">
                {items}
            </ol>
        </div>
    }
    .into_any()
}

/// The tracking number, a link to the carrier's own page when the shop gave one.
fn tracking_number(number: String, carrier_url: Option<String>) -> AnyView {
    match carrier_url {
        Some(url) => view! {
            <a href=url target="_blank" rel="noopener noreferrer">
                {number}
                <span class="visually-hidden">" (on the carrier's site, opens in a new tab)"</span>
            </a>
        }
        .into_any(),
        None => number.into_any(),
    }
}

fn status_class(status: ShipmentStatus) -> String {
    format!(
        "status status--{}{}",
        status.as_str(),
        if status.is_problem() {
            " status--problem"
        } else {
            ""
        }
    )
}

/// Delivered: when it happened. Otherwise: when it should arrive, if known.
fn when(parcel: &ParcelView) -> Option<AnyView> {
    let status = parcel.status;
    let delivered = parcel
        .checkpoints
        .first()
        .filter(|c| status == ShipmentStatus::Delivered && c.status == ShipmentStatus::Delivered);
    match (delivered, &parcel.estimated_delivery) {
        (Some(c), _) => Some(
            view! {
                <p class="eta">
                    "Delivered "
                    <time datetime=c.iso.clone()>{format!("{}, {}", c.date, c.time)}</time>
                </p>
            }
            .into_any(),
        ),
        (None, Some(eta)) if status != ShipmentStatus::Delivered => Some(
            view! {
                <p class="eta">
                    "Estimated delivery "
                    <time datetime=eta.iso.clone()>{eta.display.clone()}</time>
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// The "Refresh" link's row. With JavaScript, the shopper widget (`widget/`) takes the click:
/// it reads the page again in the background, puts its fresh shipment parts
/// (`#shipment-summary`, `#shipment-timeline`) in place, and announces the outcome in the
/// note with the texts given here.
#[component]
fn RefreshRow(children: Children) -> impl IntoView {
    view! {
        <p
            class="refresh-row"
            data-checking="Checking for updates…"
            data-done="Up to date."
            data-failed="Couldn't check for updates. Please try again in a moment."
        >
            {children()}
            <span class="refresh-note" role="status" aria-live="polite"></span>
        </p>
    }
}

/// One sentence for the states where the shopper may need to act or wait.
fn status_hint(status: ShipmentStatus, brand: &str) -> Option<String> {
    let hint = match status {
        ShipmentStatus::AttemptFail => {
            "The carrier tried to deliver your parcel. Check the latest update below for what happens next.".to_owned()
        }
        ShipmentStatus::AvailableForPickup => {
            "Your parcel is waiting for you. The latest update below says where to collect it.".to_owned()
        }
        ShipmentStatus::Exception => format!(
            "The carrier reported a problem with this delivery. If it is not resolved soon, contact {brand}."
        ),
        ShipmentStatus::Expired => format!(
            "The carrier has stopped updating this shipment. If your parcel has not arrived, contact {brand}."
        ),
        _ => return None,
    };
    Some(hint)
}

/// The five-step progress bar. Off-path states (expired) show no step as current.
#[component]
fn Progress(status: ShipmentStatus, label: String) -> impl IntoView {
    const STEPS: [&str; 5] = [
        "Ordered",
        "Shipped",
        "In transit",
        "Out for delivery",
        "Delivered",
    ];
    let current = status.progress_step();
    view! {
        <ol class="progress" aria-label=label>
            {STEPS
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let i = i as u8;
                    let state = match current {
                        Some(c) if i < c => "progress__step progress__step--done",
                        Some(c) if i == c => "progress__step progress__step--current",
                        _ => "progress__step",
                    };
                    let aria_current = (current == Some(i)).then_some("step");
                    view! {
                        <li class=state aria-current=aria_current>
                            <span class="progress__dot" aria-hidden="true"></span>
                            <span class="progress__label">{*label}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The page's status code was set where the error arose (`Ctx::fail`).
#[component]
fn Unavailable(err: AppError) -> impl IntoView {
    view! {
        <Title text="Tracking unavailable · Tracklight" />
        <main class="page page--narrow">
            <section class="card" role="alert">
                <h1>"Tracking is unavailable right now"</h1>
                <p>{err.to_string()}</p>
            </section>
        </main>
    }
}
