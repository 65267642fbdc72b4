//! The settings page's choice of shipment milestones sent to the provider as events, with
//! the catalogue of each event's name and properties.

use super::super::fields::error_for;
use crate::api::SaveMilestones;
use crate::domain::milestone::EVENT_PROPERTIES;
use crate::domain::settings::SettingsView;
use crate::domain::Milestone;
use crate::i18n::{mt, mt_with, Arg};
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
                    <td>{mt_with("settings-milestones-when", &[("when", Arg::from(m.when()))])}</td>
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
            <h2 id="milestones-title">{mt("settings-milestones-heading")}</h2>
            <p class="muted">
                {mt_with("settings-milestones-text", &[("provider", Arg::from(provider))])}
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <div class="table-wrap">
                    <table class="catalogue">
                        <caption class="visually-hidden">
                            {mt("settings-milestones-caption")}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{mt("settings-milestones-col-send")}</th>
                                <th scope="col">{mt("settings-milestones-col-sent")}</th>
                                <th scope="col">{mt("settings-milestones-col-klaviyo")}</th>
                                <th scope="col">{mt("settings-milestones-col-yotpo")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <details>
                    <summary>{mt("settings-milestones-properties")}</summary>
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
                    {move || {
                        if action.pending().get() {
                            mt("settings-saving")
                        } else {
                            mt("settings-milestones-save")
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}
