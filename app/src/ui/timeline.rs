use crate::domain::CheckpointView;
use crate::i18n::Lang;
use leptos::prelude::*;

/// The checkpoint timeline, newest first (the order the server sends): each checkpoint at
/// its local time, with its UTC offset (written in the page's language by the server).
#[component]
pub fn Timeline(lang: Lang, checkpoints: Vec<CheckpointView>) -> impl IntoView {
    if checkpoints.is_empty() {
        return view! { <p class="muted timeline-empty">{lang.t("no-updates")}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {checkpoints
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let class = if i == 0 {
                        "timeline__item timeline__item--latest"
                    } else {
                        "timeline__item"
                    };
                    view! {
                        <li class=class data-status=c.status.as_str()>
                            <time class="timeline__when" datetime=c.iso>
                                <span class="timeline__date">{c.date}</span>
                                " "
                                <span class="timeline__time">{c.time}</span>
                            </time>
                            <div class="timeline__body">
                                <p class="timeline__message" dir="auto">
                                    {c.message}
                                </p>
                                {c
                                    .location
                                    .map(|l| {
                                        view! {
                                            <p class="timeline__location" dir="auto">
                                                {l}
                                            </p>
                                        }
                                    })}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
