//! The settings page's "Shipments from Shopify and tracking services": each source's
//! webhook address and the secret it signs with, how to set it up, and the newest deliveries
//! with what became of them.

use super::super::fields::error_for;
use crate::api::SaveIngest;
use crate::domain::settings::SettingsView;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Where each source's secret and webhook setting are.
fn how(source: &str) -> &'static str {
    match source {
        "shopify" => "In Shopify: Settings → Notifications → Webhooks. Create webhooks (JSON, this address) for Order creation, Order update, Order cancellation, Fulfillment creation, Fulfillment update and Fulfillment event creation, then paste the key Shopify shows as \"Your webhooks will be signed with\".",
        "easypost" => "In EasyPost: Account settings → Webhooks. Add this address with a webhook secret, and paste the same secret here.",
        _ => "In AfterShip: Settings → Webhooks. Add this address for tracking updates, and paste the webhook secret AfterShip shows.",
    }
}

#[component]
pub(super) fn IngestSection(view: SettingsView, action: ServerAction<SaveIngest>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let saved = move || action.value().get().and_then(Result::ok);
    let csrf = view.csrf.clone();
    let sources = view
        .ingest
        .into_iter()
        .map(|s| {
            let csrf = csrf.clone();
            let secret_id = format!("ingest-secret-{}", s.source);
            let url_id = format!("ingest-url-{}", s.source);
            let connected = s.url.is_some();
            view! {
                <div class="ingest-source">
                    <h3>{s.label.clone()}</h3>
                    <p class="muted">{how(&s.source)}</p>
                    {s
                        .url
                        .clone()
                        .map(|url| {
                            view! {
                                <label for=url_id.clone()>"Webhook address"</label>
                                <input id=url_id.clone() class="snippet" readonly value=url />
                            }
                        })}
                    {s
                        .snippet
                        .clone()
                        .map(|snippet| {
                            view! {
                                <label for="shopify-liquid">
                                    "Tracking link for Shopify's shipping confirmation (Settings → Notifications → Shipping confirmation; edit code)"
                                </label>
                                <textarea id="shopify-liquid" class="snippet" readonly rows="3">
                                    {snippet}
                                </textarea>
                            }
                        })}
                    <ActionForm action attr:class="row">
                        <input type="hidden" name="csrf" value=csrf.clone() />
                        <input type="hidden" name="source" value=s.source.clone() />
                        <div class="field">
                            <label for=secret_id
                                .clone()>{format!("{} webhook secret", s.label)}</label>
                            <input
                                id=secret_id.clone()
                                name="secret"
                                type="password"
                                autocomplete="off"
                                placeholder=if connected {
                                    "•••••••• (stored)"
                                } else {
                                    ""
                                }
                            />
                        </div>
                        <button type="submit" class="button">
                            {if connected { "Save secret" } else { "Connect" }}
                        </button>
                        {connected
                            .then(|| {
                                view! {
                                    <button
                                        type="submit"
                                        name="disconnect"
                                        value="yes"
                                        class="button button--quiet"
                                    >
                                        "Disconnect"
                                    </button>
                                }
                            })}
                    </ActionForm>
                </div>
            }
        })
        .collect_view();
    let rows = view
        .ingest_recent
        .into_iter()
        .map(|d| {
            view! {
                <tr>
                    <td>{d.received}</td>
                    <td>{d.source}</td>
                    <td>
                        <code>{d.topic}</code>
                    </td>
                    <td>{d.state}</td>
                    <td>{d.outcome}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="ingest" aria-labelledby="ingest-title">
            <h2 id="ingest-title">"Shipments from Shopify and tracking services"</h2>
            <p>
                "Instead of sending shipments to the API yourself, connect Shopify (orders, fulfillments and their tracking events) or a tracking service that already follows your parcels. Tracklight checks every delivery's signature with the secret below (stored encrypted) and refuses the rest."
            </p>
            {sources}
            <p class="field__error" role="alert">
                {move || {
                    let e = err.try_get().flatten();
                    error_for(&e, "secret")
                        .or_else(|| error_for(&e, "source"))
                        .or_else(|| error_for(&e, "form"))
                }}
            </p>
            <p class="saved" role="status">
                {saved}
            </p>
            <h3>"Newest deliveries"</h3>
            <div class="table-wrap">
                <table class="log">
                    <thead>
                        <tr>
                            <th scope="col">"Received"</th>
                            <th scope="col">"From"</th>
                            <th scope="col">"Topic"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"What happened"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
