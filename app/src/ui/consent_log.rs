//! The consent log, `/settings/consents`: the sign-up rate, every consent with its state
//! (masked phone, time, page), a filter by state, a retry for failed ones and a release
//! for held ones (over the store's hourly cap), a CSV export.

use super::settings::sign_in_redirect;
use crate::api::{consent_log, RetryConsent, RetryEvents};
use crate::domain::settings::ConsentLogView;
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Each state the log filters by, with the message key of its label.
const STATES: [(&str, &str); 7] = [
    ("", "log-state-all"),
    ("held", "log-state-held"),
    ("waiting", "log-state-waiting"),
    ("customer_sent", "log-state-customer-sent"),
    ("confirming", "log-state-confirming"),
    ("subscribed", "log-state-subscribed"),
    ("failed", "log-state-failed"),
];

fn state_label(state: &str) -> String {
    let key = STATES
        .iter()
        .find(|(s, _)| *s == state)
        .map(|(_, key)| *key)
        .unwrap_or("log-state-unknown");
    mt(key)
}

#[component]
pub fn ConsentLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = query.read_untracked().get("state").unwrap_or_default();
    view! {
        <Title text=mt("log-page-title") />
        <Meta name="robots" content="noindex, nofollow" />
        <ConsentLogIsland filter />
    }
}

/// The log is an island: a retry re-reads it without a reload. The filter is a plain link.
#[island]
fn ConsentLogIsland(filter: String) -> impl IntoView {
    let retry = ServerAction::<RetryConsent>::new();
    let retry_events = ServerAction::<RetryEvents>::new();
    let data = Resource::new_blocking(
        move || {
            (
                filter.clone(),
                retry.version().get(),
                retry_events.version().get(),
            )
        },
        |(state, _, _)| consent_log(state),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Log view retry retry_events /> }.into_any(),
                    Err(AppError::Unauthorized) => sign_in_redirect().into_any(),
                    Err(err) => {
                        view! {
                            <main class="page">
                                <p role="alert">
                                    {mt_with(
                                        "log-unavailable",
                                        &[("error", Arg::from(err.to_string()))],
                                    )}
                                </p>
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Log(
    view: ConsentLogView,
    retry: ServerAction<RetryConsent>,
    retry_events: ServerAction<RetryEvents>,
) -> impl IntoView {
    let counts = view.counts;
    let events = view.events.clone();
    let failures = events
        .recent_failures
        .into_iter()
        .map(|(time, milestone, reason)| {
            let failure = mt_with(
                "log-failure",
                &[
                    ("time", Arg::from(time)),
                    ("milestone", Arg::from(milestone)),
                ],
            );
            view! { <li>{format!("{failure} ")} <span class="reason">{reason}</span></li> }
        })
        .collect_view();
    let events_csrf = view.csrf.clone();
    let rate = counts
        .rate_percent
        .map(|r| mt_with("log-rate-value", &[("rate", Arg::from(format!("{r:.1}")))]))
        .unwrap_or_else(|| "–".into());
    let csv = if view.filter.is_empty() {
        "/settings/consents.csv".to_owned()
    } else {
        format!("/settings/consents.csv?state={}", view.filter)
    };
    let filter = view.filter.clone();
    let options = STATES
        .iter()
        .map(|(value, key)| {
            let label = mt(key);
            let text = match view.states.iter().find(|(s, _)| s == value) {
                Some((_, n)) => mt_with(
                    "log-state-option",
                    &[("state", Arg::from(label)), ("count", Arg::Number(*n))],
                ),
                None => label,
            };
            view! {
                <option value=*value selected=*value == filter>
                    {text}
                </option>
            }
        })
        .collect_view();
    let csrf = view.csrf.clone();
    let rows = view
        .rows
        .into_iter()
        .map(|row| {
            let csrf = csrf.clone();
            let action = match row.state.as_str() {
                "failed" => Some(mt("log-retry")),
                "held" => Some(mt("log-release")),
                _ if row.points_failed => Some(mt("log-points-retry")),
                _ => None,
            };
            view! {
                <tr>
                    <td>
                        <time datetime=row.iso.clone()>{row.time}</time>
                    </td>
                    <td class="mono">{row.phone_masked}</td>
                    <td>{row.provider}</td>
                    <td>
                        <abbr title=row.language_name>{row.language}</abbr>
                    </td>
                    <td class="url">{row.page_url.unwrap_or_default()}</td>
                    <td>
                        <span class=format!(
                            "state state--{}",
                            row.state,
                        )>{state_label(&row.state)}</span>
                        {row.reason.map(|r| view! { <p class="reason">{r}</p> })}
                    </td>
                    <td>{row.points.unwrap_or_else(|| "–".to_owned())}</td>
                    <td>
                        {action
                            .map(|label| {
                                view! {
                                    <ActionForm action=retry>
                                        <input type="hidden" name="csrf" value=csrf />
                                        <input type="hidden" name="id" value=row.id />
                                        <button type="submit" class="button button--quiet">
                                            {label}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <main class="page page--wide">
            <p>
                <a href="/settings">{mt("log-back-to-settings")}</a>
            </p>
            <h1>{mt("log-heading")}</h1>
            <section class="card" aria-labelledby="rate-title">
                <h2 id="rate-title">{mt("log-signups-heading")}</h2>
                <dl class="facts facts--row">
                    <div>
                        <dt>{mt("log-views")}</dt>
                        <dd>{counts.views}</dd>
                    </div>
                    <div>
                        <dt>{mt("log-offered")}</dt>
                        <dd>{counts.offered}</dd>
                    </div>
                    <div>
                        <dt>{mt("log-consents")}</dt>
                        <dd>{counts.consents}</dd>
                    </div>
                    <div>
                        <dt>{mt("log-rate")}</dt>
                        <dd>{rate}</dd>
                    </div>
                </dl>
            </section>
            <section class="card" aria-labelledby="events-title">
                <h2 id="events-title">{mt("log-events-heading")}</h2>
                <dl class="facts facts--row">
                    <div>
                        <dt>{mt("log-events-sent")}</dt>
                        <dd>{events.sent}</dd>
                    </div>
                    <div>
                        <dt>{mt("log-events-waiting")}</dt>
                        <dd>{events.waiting}</dd>
                    </div>
                    <div>
                        <dt>{mt("log-events-failed")}</dt>
                        <dd>{events.failed}</dd>
                    </div>
                </dl>
                {(events.failed > 0)
                    .then(|| {
                        view! {
                            <ul class="failures" aria-label=mt("log-failures-label")>
                                {failures}
                            </ul>
                            <ActionForm action=retry_events>
                                <input type="hidden" name="csrf" value=events_csrf />
                                <button type="submit" class="button button--quiet">
                                    {mt("log-events-retry")}
                                </button>
                            </ActionForm>
                        }
                    })}
                <p role="status">
                    {move || {
                        retry_events.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))
                    }}
                </p>
            </section>
            <section class="card" aria-labelledby="log-title">
                <h2 id="log-title">{mt("log-every-consent")}</h2>
                <form method="get" action="/settings/consents" class="row">
                    <div class="field">
                        <label for="state">{mt("log-filter-state")}</label>
                        <select id="state" name="state">
                            {options}
                        </select>
                    </div>
                    <button type="submit" class="button button--quiet">
                        {mt("log-filter-show")}
                    </button>
                    <a class="button button--quiet" href=csv download="consents.csv">
                        {mt("log-download-csv")}
                    </a>
                </form>
                <p role="status">
                    {move || retry.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))}
                </p>
                <div class="table-wrap">
                    <table class="log">
                        <caption class="visually-hidden">{mt("log-table-caption")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{mt("log-column-time")}</th>
                                <th scope="col">{mt("log-column-phone")}</th>
                                <th scope="col">{mt("log-column-provider")}</th>
                                <th scope="col">{mt("log-column-language")}</th>
                                <th scope="col">{mt("log-column-page")}</th>
                                <th scope="col">{mt("log-column-state")}</th>
                                <th scope="col">{mt("log-column-points")}</th>
                                <th scope="col">
                                    <span class="visually-hidden">{mt("log-column-action")}</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        </main>
    }
}
