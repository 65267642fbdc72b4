//! The settings page's "Shipments from Shopify and tracking services": each source's
//! webhook address and the secret it signs with, how to set it up, and the newest deliveries
//! with what became of them.

use super::super::fields::error_for;
use crate::api::SaveIngest;
use crate::domain::settings::SettingsView;
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Where each source's secret and webhook setting are.
fn how(source: &str) -> String {
    mt(match source {
        "shopify" => "settings-ingest-how-shopify",
        "easypost" => "settings-ingest-how-easypost",
        _ => "settings-ingest-how-aftership",
    })
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
                                <label for=url_id.clone()>{mt("settings-ingest-url-label")}</label>
                                <input id=url_id.clone() class="snippet" readonly value=url />
                            }
                        })}
                    {s
                        .snippet
                        .clone()
                        .map(|snippet| {
                            view! {
                                <label for="shopify-liquid">
                                    {mt("settings-ingest-liquid-label")}
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
                                .clone()>
                                {mt_with(
                                    "settings-ingest-secret-label",
                                    &[("source", Arg::from(s.label.as_str()))],
                                )}
                            </label>
                            <input
                                id=secret_id.clone()
                                name="secret"
                                type="password"
                                autocomplete="off"
                                placeholder=if connected {
                                    mt("settings-secret-stored")
                                } else {
                                    String::new()
                                }
                            />
                        </div>
                        <button type="submit" class="button">
                            {if connected {
                                mt("settings-ingest-save-secret")
                            } else {
                                mt("settings-ingest-connect")
                            }}
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
                                        {mt("settings-ingest-disconnect")}
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
            <h2 id="ingest-title">{mt("settings-ingest-heading")}</h2>
            <p>{mt("settings-ingest-text")}</p>
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
            <h3>{mt("settings-ingest-recent-heading")}</h3>
            <div class="table-wrap">
                <table class="log">
                    <thead>
                        <tr>
                            <th scope="col">{mt("settings-ingest-col-received")}</th>
                            <th scope="col">{mt("settings-ingest-col-from")}</th>
                            <th scope="col">{mt("settings-ingest-col-topic")}</th>
                            <th scope="col">{mt("settings-ingest-col-state")}</th>
                            <th scope="col">{mt("settings-ingest-col-outcome")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
