//! The merchant's photos page, `/settings/photos`: turning "Share a photo of your order" on
//! or off, and the moderation grid (pending first), where each submission is approved or
//! rejected. Nothing is public or sent to Yotpo before approval; an approved submission's
//! import into Yotpo Reviews shows its state, with a retry when it failed. Every form posts
//! without WebAssembly too.

use super::settings::sign_in_redirect;
use crate::api::{photo_grid, ModeratePhoto, SavePhotos};
use crate::domain::photos::{Moderation, PhotoGridView, PhotoPoints, SubmissionView};
use crate::domain::{AppError, MediaKind};
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn PhotoReviewPage() -> impl IntoView {
    view! {
        <Title text=mt("photos-page-title") />
        <Meta name="robots" content="noindex, nofollow" />
        <PhotoGridIsland />
    }
}

/// An island: a decision re-reads the grid without a reload.
#[island]
fn PhotoGridIsland() -> impl IntoView {
    let moderate = ServerAction::<ModeratePhoto>::new();
    let save = ServerAction::<SavePhotos>::new();
    let data = Resource::new_blocking(
        move || (moderate.version().get(), save.version().get()),
        |_| photo_grid(),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Grid view moderate save /> }.into_any(),
                    Err(AppError::Unauthorized) => sign_in_redirect().into_any(),
                    Err(err) => {
                        view! {
                            <main class="page">
                                <p role="alert">
                                    {mt_with(
                                        "photos-unavailable",
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
fn Grid(
    view: PhotoGridView,
    moderate: ServerAction<ModeratePhoto>,
    save: ServerAction<SavePhotos>,
) -> impl IntoView {
    let csrf = view.csrf.clone();
    let cards = view
        .submissions
        .into_iter()
        .map(|s| view! { <Submission submission=s csrf=csrf.clone() moderate /> })
        .collect_view();
    let empty = cards.is_empty();
    view! {
        <main class="page page--wide">
            <p>
                <a href="/settings">{mt("log-back-to-settings")}</a>
            </p>
            <h1>{mt("photos-heading")}</h1>
            <section class="card" aria-labelledby="photos-setting-title">
                <h2 id="photos-setting-title">{mt("photos-setting-heading")}</h2>
                <p class="field__hint">{mt("photos-setting-help")}</p>
                {(!view.yotpo_connected)
                    .then(|| view! { <p class="hint">{mt("photos-needs-yotpo")}</p> })}
                <ActionForm action=save>
                    <input type="hidden" name="csrf" value=view.csrf.clone() />
                    <div class="field field--check">
                        <input
                            id="photos-enabled"
                            type="checkbox"
                            name="enabled"
                            value="on"
                            checked=view.enabled
                        />
                        <label for="photos-enabled">{mt("photos-enabled-label")}</label>
                    </div>
                    <button type="submit" class="button">
                        {mt("photos-save")}
                    </button>
                </ActionForm>
                <p role="status">
                    {move || save.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))}
                </p>
            </section>
            <section class="card" aria-labelledby="photos-grid-title">
                <h2 id="photos-grid-title">
                    {mt_with("photos-grid-heading", &[("count", Arg::from(view.pending))])}
                </h2>
                <p role="status">
                    {move || moderate.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))}
                </p>
                {if empty {
                    view! { <p class="field__hint">{mt("photos-none")}</p> }.into_any()
                } else {
                    view! { <ul class="photo-grid">{cards}</ul> }.into_any()
                }}
            </section>
        </main>
    }
}

#[component]
fn Submission(
    submission: SubmissionView,
    csrf: String,
    moderate: ServerAction<ModeratePhoto>,
) -> impl IntoView {
    let state_label = match submission.state {
        Moderation::Pending => mt("photos-state-pending"),
        Moderation::Approved => mt("photos-state-approved"),
        Moderation::Rejected => mt("photos-state-rejected"),
    };
    let order = mt_with(
        "photos-order",
        &[("order", Arg::from(submission.order_number.clone()))],
    );
    let order_number = submission.order_number.clone();
    let files = submission
        .files
        .iter()
        .filter(|_| submission.state != Moderation::Rejected)
        .enumerate()
        .map(|(i, f)| {
            let which = &[
                ("n", Arg::from(i + 1)),
                ("order", Arg::from(order_number.clone())),
            ];
            match (f.kind, &f.thumb_url) {
                (MediaKind::Image, Some(thumb)) => view! {
                    <a href=f.url.clone()>
                        <img
                            src=thumb.clone()
                            alt=mt_with("photos-thumb-alt", which)
                            loading="lazy"
                        />
                    </a>
                }
                .into_any(),
                _ => view! {
                    <video
                        src=f.url.clone()
                        controls
                        preload="metadata"
                        aria-label=mt_with("photos-video-label", which)
                    ></video>
                }
                .into_any(),
            }
        })
        .collect_view();
    // Each card's buttons say which submission they act on.
    let about = format!("photo-card-{}", submission.id);
    let button = |decision: &'static str, label: String| {
        let csrf = csrf.clone();
        let id = submission.id.clone();
        let described = about.clone();
        view! {
            <ActionForm action=moderate>
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="decision" value=decision />
                <button type="submit" class="button button--quiet" aria-describedby=described>
                    {label}
                </button>
            </ActionForm>
        }
    };
    let actions = match submission.state {
        Moderation::Pending => Some(
            view! {
                {button("approve", mt("photos-approve"))}
                {button("reject", mt("photos-reject"))}
            }
            .into_any(),
        ),
        Moderation::Approved
            if submission
                .import
                .as_deref()
                .is_some_and(|i| i.starts_with("failed")) =>
        {
            Some(button("retry", mt("photos-retry")).into_any())
        }
        _ => None,
    };
    let import = submission.import.clone().map(|i| {
        view! { <p class="reason">{mt_with("photos-import", &[("state", Arg::from(i))])}</p> }
    });
    let points_failed = matches!(submission.points, Some(PhotoPoints::Failed(_)));
    let points = submission.points.clone().map(|p| {
        let state = match p {
            PhotoPoints::Waiting => mt("log-points-waiting"),
            PhotoPoints::Awarded => mt("log-points-recorded"),
            PhotoPoints::AlreadyAwarded => mt("log-points-already"),
            PhotoPoints::Failed(reason) => {
                mt_with("log-points-failed", &[("reason", Arg::from(reason))])
            }
        };
        view! { <p>{mt_with("photos-points-state", &[("state", Arg::from(state))])}</p> }
    });
    let retry_points = points_failed.then(|| button("retry-points", mt("log-points-retry")));
    view! {
        <li class=format!("photo-card photo-card--{}", submission.state.as_str())>
            <div class="photo-card__media">{files}</div>
            <p id=about.clone()>
                <strong>{order}</strong>
                " · "
                <span>{submission.submitted.clone()}</span>
                " · "
                <span class=format!(
                    "state state--{}",
                    submission.state.as_str(),
                )>{state_label}</span>
            </p>
            {submission.caption.clone().map(|c| view! { <p dir="auto">{c}</p> })}
            {import}
            {points}
            <div class="row">{actions} {retry_points}</div>
        </li>
    }
}
