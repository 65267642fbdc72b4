//! The shopper's tracking page, `/t/{token}`: status, estimated delivery, progress, carrier
//! and tracking number, the merchant's brand, and the newest-first timeline.
//!
//! It is complete as server-rendered HTML, and "Refresh" is a plain link that reloads it. The
//! shopper widget's WebAssembly (`widget/`) enhances two parts: the consent block's form, and
//! [`RefreshRow`], with which "Refresh" reads the page again in the background and swaps in
//! its shipment parts, without a reload.

use super::scripts::EMBED_HEIGHT_SCRIPT;
use super::{
    consent_block::ConsentBlock, language_switcher::LanguageSwitcher, photos::PhotoForm,
    timeline::Timeline, NotFound,
};
use crate::api::tracking_view;
use crate::domain::{AppError, ParcelView, ShipmentStatus, TrackingView};
use crate::i18n::{Arg, Lang};
use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
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
    // With the view at hand (the usual case) the page renders at once, with no `Suspense`:
    // then nothing reads the page's context after a wait, when a browser that went away may
    // be dropping the page's owner on another thread (reactive_graph can deadlock a worker
    // there: a context look-up that holds one owner's lock while the last reference to its
    // parent is dropped, whose clean-up wants that lock).
    match loaded {
        Some(Ok(view)) => return loaded_page(view, token, embed, page_url).into_any(),
        Some(Err(AppError::NotFound)) => return view! { <NotFound /> }.into_any(),
        Some(Err(e)) => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(e.status());
            }
            #[cfg(not(feature = "ssr"))]
            let _ = e;
            let lang = super::request_lang();
            return view! { <Unavailable lang /> }.into_any();
        }
        None => {}
    }
    let data = super::page_data(tracking_view(token.clone()));
    // What the error pages need from the request, read before the wait.
    let lang = super::request_lang();
    view! {
        <Suspense>
            {move || {
                let token = token.clone();
                let page_url = page_url.clone();
                let data = data.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => loaded_page(view, token, embed, page_url).into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(_) => view! { <Unavailable lang /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The page for a tracking view in hand.
fn loaded_page(
    mut initial: TrackingView,
    token: String,
    embed: bool,
    page_url: Option<String>,
) -> impl IntoView {
    let embed_page = page_url.clone();
    let accent = initial
        .brand
        .accent_color
        .as_ref()
        .map(|c| format!("--accent: {c}"))
        .unwrap_or_default();
    let sms_sandbox = initial.sms_sandbox;
    let lang = initial.lang;
    let languages = std::mem::take(&mut initial.languages);
    let consent = initial.consent.take().map(|offer| {
        view! { <ConsentBlock offer lang token=token.clone() page_url preview=false /> }
    });
    let photos = initial.photos.take().map(|offer| {
        let brand = initial.brand.name.clone();
        view! { <PhotoForm offer lang token=token.clone() brand embed /> }
    });
    let title = lang.t_with(
        "page-title",
        &[
            (
                "status",
                Arg::from(status_label(lang, initial.linked().status)),
            ),
            ("brand", Arg::from(initial.brand.name.as_str())),
        ],
    );
    // The consent block is outside the parts a refresh replaces: it must
    // not reset what the shopper is typing into it.
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir() />
        <Title text=title />
        // Personal pages: keep them out of search engines.
        <Meta name="robots" content="noindex, nofollow" />
        <main class=if embed { "page page--embed" } else { "page" } style=accent>
            <Tracking view=initial token embed page_url=embed_page.clone() />
            {consent}
            {photos}
            <footer class="footer">
                <span>{lang.t("tracking-by")}</span>
                <LanguageSwitcher
                    lang
                    languages
                    keep=embed_page.map(|p| ("page", p)).into_iter().collect()
                />
                {sms_sandbox
                    .then(|| {
                        view! {
                            <p class="sandbox-note">
                                <strong>{lang.t("sandbox-banner-title")}</strong>
                                " "
                                {lang.t("sandbox-banner-text")}
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
}

#[component]
fn Tracking(
    view: TrackingView,
    token: String,
    embed: bool,
    /// The embed's host page.
    page_url: Option<String>,
) -> impl IntoView {
    let TrackingView {
        brand,
        order_number,
        first_name,
        destination,
        mut parcels,
        lang,
        ..
    } = view;
    let order = Arg::from(order_number.as_str());
    let greeting = match first_name {
        Some(name) => lang.t_with("greeting-named", &[("name", name.into()), ("order", order)]),
        None => lang.t_with("greeting", &[("order", order)]),
    };
    // "Refresh" reloads this very page: the widget in its frame, in the page's language.
    let href = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("lang", &lang.tag());
        if let Some(page) = &page_url {
            query.append_pair("page", page);
        }
        let path = if embed { "/embed/t/" } else { "/t/" };
        format!("{path}{token}?{}", query.finish())
    };
    let header = view! {
        <header class="brand">
            {brand
                .logo_url
                .clone()
                .map(|src| view! { <img class="brand__logo" src=src alt="" height="32" /> })}
            <span class="brand__name" dir="auto">
                {brand.name.clone()}
            </span>
        </header>
    };
    let refresh = view! {
        <RefreshRow lang>
            <a class="button button--quiet" href=href>
                {lang.t("refresh")}
            </a>
        </RefreshRow>
    };
    let destination = destination.map(|d| {
        view! {
            <div>
                <dt>{lang.t("shipping-to")}</dt>
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
                        {status_label(lang, status)}
                    </h1>
                    {when(lang, &parcel)}
                    {status_hint(lang, status, &brand.name)
                        .map(|hint| view! { <p class="hint">{hint}</p> })}
                    <Progress lang status label=lang.t("progress-label") />
                    <dl class="facts">
                        <div>
                            <dt>{lang.t("carrier")}</dt>
                            <dd>{parcel.carrier}</dd>
                        </div>
                        <div>
                            <dt>{lang.t("tracking-number")}</dt>
                            <dd class="mono">
                                {tracking_number(lang, parcel.tracking_number, parcel.carrier_url)}
                            </dd>
                        </div>
                        {destination}
                    </dl>
                </div>
                {refresh}
            </section>
            <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title">{lang.t("shipment-updates")}</h2>
                <div id="shipment-timeline">
                    <Timeline lang checkpoints=parcel.checkpoints />
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
        lang.t_with("parcels-all-delivered", &[("count", count.into())])
    } else {
        lang.t_with("parcels-heading", &[("count", count.into())])
    };
    let tally = lang.t_with(
        "parcels-tally",
        &[("delivered", delivered.into()), ("count", count.into())],
    );
    let items = parcels
        .into_iter()
        .enumerate()
        .map(|(i, parcel)| {
            let n = i + 1;
            let label_id = format!("parcel-{n}-label");
            let title_id = format!("parcel-{n}-title");
            let status = parcel.status;
            let updates = lang.t_with(
                "parcel-updates",
                &[("count", parcel.checkpoints.len().into())],
            );
            let of = [("n", Arg::from(n)), ("count", Arg::from(count))];
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
                            {lang.t_with("parcel-of", &of)}
                        </p>
                        <h2 id=title_id.clone() class=status_class(status)>
                            {status_label(lang, status)}
                        </h2>
                        {when(lang, &parcel)}
                        {status_hint(lang, status, &brand.name)
                            .map(|hint| view! { <p class="hint">{hint}</p> })}
                        <Progress lang status label=lang.t_with("progress-label-parcel", &of) />
                        <dl class="facts">
                            <div>
                                <dt>{lang.t("carrier")}</dt>
                                <dd>{parcel.carrier}</dd>
                            </div>
                            <div>
                                <dt>{lang.t("tracking-number")}</dt>
                                <dd class="mono">
                                    {tracking_number(
                                        lang,
                                        parcel.tracking_number,
                                        parcel.carrier_url,
                                    )}
                                </dd>
                            </div>
                        </dl>
                        <details class="parcel__updates" open=parcel.linked>
                            <summary>{updates}</summary>
                            <Timeline lang checkpoints=parcel.checkpoints />
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
            <ol class="parcels" aria-label=lang.t("parcels-list")>
                {items}
            </ol>
        </div>
    }
    .into_any()
}

/// The tracking number, a link to the carrier's own page when the shop gave one.
fn tracking_number(lang: Lang, number: String, carrier_url: Option<String>) -> AnyView {
    match carrier_url {
        Some(url) => view! {
            <a href=url target="_blank" rel="noopener noreferrer">
                {number}
                <span class="visually-hidden">" " {lang.t("carrier-site-note")}</span>
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
fn when(lang: Lang, parcel: &ParcelView) -> Option<AnyView> {
    let delivered = parcel.status == ShipmentStatus::Delivered;
    let (key, name, at) = match (&parcel.delivered_at, &parcel.estimated_delivery) {
        (Some(at), _) if delivered => ("delivered-at", "when", at),
        (_, Some(eta)) if !delivered => ("estimated-delivery", "date", eta),
        _ => return None,
    };
    Some(
        view! {
            <p class="eta">
                <TimeIn lang key name iso=at.iso.clone() text=at.display.clone() />
            </p>
        }
        .into_any(),
    )
}

/// The "Refresh" link's row. With JavaScript, the shopper widget (`widget/`) takes the click:
/// it reads the page again in the background, puts its fresh shipment parts
/// (`#shipment-summary`, `#shipment-timeline`) in place, and announces the outcome in the
/// note with the texts given here.
#[component]
fn RefreshRow(lang: Lang, children: Children) -> impl IntoView {
    view! {
        <p
            class="refresh-row"
            data-checking=lang.t("refresh-checking")
            data-done=lang.t("refresh-done")
            data-failed=lang.t("refresh-failed")
        >
            {children()}
            <span class="refresh-note" role="status" aria-live="polite"></span>
        </p>
    }
}

/// What a shopper reads for a status.
pub fn status_label(lang: Lang, status: ShipmentStatus) -> String {
    lang.t(&format!("status-{}", status.as_str().replace('_', "-")))
}

/// A message with a `<time>` in it: the message's words around the element.
#[component]
fn TimeIn(
    lang: Lang,
    key: &'static str,
    /// The message's placeable the time goes in.
    name: &'static str,
    iso: String,
    text: String,
) -> impl IntoView {
    const MARK: &str = "\u{1}";
    let message = lang.t_with(key, &[(name, Arg::from(MARK))]);
    let (before, after) = message.split_once(MARK).unwrap_or((&message, ""));
    // (An empty text would still be written out, as a space.)
    let (before, after) = (
        (!before.is_empty()).then(|| before.to_owned()),
        (!after.is_empty()).then(|| after.to_owned()),
    );
    view! {
        {before}
        <time datetime=iso>{text}</time>
        {after}
    }
}

/// One sentence for the states where the shopper may need to act or wait.
fn status_hint(lang: Lang, status: ShipmentStatus, brand: &str) -> Option<String> {
    let key = match status {
        ShipmentStatus::AttemptFail => "hint-attempt-fail",
        ShipmentStatus::AvailableForPickup => "hint-available-for-pickup",
        ShipmentStatus::Exception => "hint-exception",
        ShipmentStatus::Expired => "hint-expired",
        _ => return None,
    };
    Some(lang.t_with(key, &[("brand", Arg::from(brand))]))
}

/// The five-step progress bar. Off-path states (expired) show no step as current.
#[component]
fn Progress(lang: Lang, status: ShipmentStatus, label: String) -> impl IntoView {
    const STEPS: [&str; 5] = [
        "step-ordered",
        "step-shipped",
        "step-in-transit",
        "step-out-for-delivery",
        "step-delivered",
    ];
    let current = status.progress_step();
    view! {
        <ol class="progress" aria-label=label>
            {STEPS
                .iter()
                .enumerate()
                .map(|(i, key)| {
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
                            <span class="progress__label">{lang.t(key)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The page's status code was set where the error arose (`Ctx::fail`).
#[component]
fn Unavailable(lang: Lang) -> impl IntoView {
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir() />
        <Title text=lang.t("unavailable-title") />
        <main class="page page--narrow">
            <section class="card" role="alert">
                <h1>{lang.t("unavailable-title")}</h1>
                <p>{lang.t("unavailable-text")}</p>
            </section>
        </main>
    }
}
