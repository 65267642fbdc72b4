//! The settings page's choice of shipment milestones sent to the provider as events, with
//! the catalogue of each event's name and properties.

use super::super::fields::error_for;
use crate::api::SaveMilestones;
use crate::domain::milestone::EVENT_PROPERTIES;
use crate::domain::settings::SettingsView;
use crate::domain::Milestone;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub(super) fn MilestonesSection(
    view: SettingsView,
    action: ServerAction<SaveMilestones>,
) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let saved = move || action.value().get().and_then(Result::ok);
    let provider = view.sms.provider.label();
    let rows = Milestone::ALL
        .into_iter()
        .map(|m| {
            let id = format!("milestone-{}", m.as_str());
            let checked = view.milestones.iter().any(|n| n == m.as_str());
            view! {
                <tr>
                    <td>
                        <input
                            type="checkbox"
                            id=id.clone()
                            name=m.as_str()
                            value="on"
                            checked=checked
                        />
                        <label for=id>{m.label()}</label>
                    </td>
                    <td>{format!("When {}", m.when())}</td>
                    <td>
                        <code>{m.klaviyo_metric()}</code>
                    </td>
                    <td>
                        <code>{m.yotpo_event()}</code>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let properties = EVENT_PROPERTIES
        .into_iter()
        .map(|(name, what)| {
            view! {
                <li>
                    <code>{name}</code>
                    {format!(": {what}")}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="milestones" aria-labelledby="milestones-title">
            <h2 id="milestones-title">"Shipment milestones as events"</h2>
            <p class="muted">
                {format!(
                    "Each milestone you tick is sent to {provider} as an event on the shopper's profile when a shipment reaches it, so your flows there can text or mail about it. Events go once per milestone and checkpoint; news older than three days is not sent.",
                )}
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <div class="table-wrap">
                    <table class="catalogue">
                        <caption class="visually-hidden">
                            "Milestones and their event names"
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"Send"</th>
                                <th scope="col">"Sent"</th>
                                <th scope="col">"Klaviyo metric"</th>
                                <th scope="col">"Yotpo event"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <details>
                    <summary>"Properties every event carries"</summary>
                    <ul>{properties}</ul>
                </details>
                <p class="field__error" role="alert">
                    {move || {
                        error_for(&err.try_get().flatten(), "milestones")
                            .or_else(|| error_for(&err.try_get().flatten(), "form"))
                    }}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button">
                    {move || if action.pending().get() { "Saving…" } else { "Save milestones" }}
                </button>
            </ActionForm>
        </section>
    }
}
