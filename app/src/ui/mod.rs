//! Leptos components and routes. Pages live one per file; small shared pieces in their own.

mod account;
mod consent_block;
mod consent_log;
mod fields;
mod home;
mod language_switcher;
mod lookup_page;
mod not_found;
mod photo_review;
pub mod photos;
mod preview;
mod scripts;
mod settings;
mod timeline;
mod tracking_page;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use not_found::NotFound;

/// A server-rendered page's data: `load` runs once, however often `Suspense` runs its
/// children (it runs them to find what they wait for, then to render). Pages outside islands
/// never run in the browser, so a plain future does what a `Resource` would, without its
/// hazard: a `Resource` read after a dropped request disposed the page panics.
pub fn page_data<T: Clone + Send + Sync + 'static>(
    load: impl std::future::Future<Output = T> + Send + 'static,
) -> futures_util::future::Shared<futures_util::future::BoxFuture<'static, T>> {
    use futures_util::FutureExt;
    load.boxed().shared()
}

/// The language a page speaks when it knows nothing of a store: what the request says
/// (`?lang=`, the shopper's pick, `Accept-Language`), else English.
pub fn request_lang() -> crate::i18n::Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let prefs = crate::ssr::request::lang_prefs(&parts.headers, &parts.uri);
                crate::i18n::choose(&prefs, &crate::i18n::StoreLangs::all(), None)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    crate::i18n::Lang::EN
}

/// The shopper widget's WebAssembly bundle (`/pkg/widget[.{hash}].js` and `_bg.wasm`), built
/// from `widget/`: no Leptos runtime, only what enhances the shopper pages' markup.
pub const WIDGET_BUNDLE: &str = "widget";

/// The HTML document around every page. Merchants' pages hydrate their islands (the full
/// `tracklight` bundle); shoppers' pages load the small `widget` module instead, which
/// enhances their server-rendered markup. The assets' names carry the build's content hash
/// when `scripts/build.sh` built them (`options.output_name` is then `tracklight.{hash}`), so
/// they can be cached for good.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = format!("/pkg/{}.css", options.output_name);
    #[cfg(feature = "ssr")]
    let shopper_page = crate::ssr::request::Surface::current().is_for_shoppers();
    #[cfg(not(feature = "ssr"))]
    let shopper_page = false;
    let widget = shopper_page.then(|| options.output_name.replacen("tracklight", WIDGET_BUNDLE, 1));
    #[cfg(feature = "ssr")]
    scripts::set_script_policy(widget.as_deref());
    let scripts = match widget {
        Some(bundle) => view! { <scripts::WidgetScripts bundle /> }.into_any(),
        None => view! { <HydrationScripts options=options.clone() islands=true /> }.into_any(),
    };
    view! {
        <!DOCTYPE html>
        // Its `lang` and `dir`: each page's `<Html>` (shoppers' pages speak the shopper's
        // language; the merchant pages English, set in `App`).
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Shoppers' pages (and "not found") say their own language; the merchant pages are in
    // English.
    #[cfg(feature = "ssr")]
    let merchant_page = !crate::ssr::request::Surface::current().is_for_shoppers();
    #[cfg(not(feature = "ssr"))]
    let merchant_page = true;

    view! {
        {merchant_page.then(|| view! { <Html {..} lang="en" dir="ltr" /> })}
        <Title text="Tracklight" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=home::Home />
                <Route path=path!("/signup") view=account::SignUpPage />
                <Route path=path!("/signin") view=account::SignInPage />
                <Route
                    path=path!("/embed/t/:token")
                    view=|| view! { <tracking_page::TrackingPage embed=true /> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/embed/track/:store")
                    view=|| view! { <lookup_page::LookupPage embed=true /> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/track/:store")
                    view=|| view! { <lookup_page::LookupPage /> }
                    ssr=SsrMode::Async
                />
                <Route path=path!("/settings") view=settings::SettingsPage ssr=SsrMode::Async />
                <Route
                    path=path!("/settings/preview")
                    view=preview::PreviewPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/photos")
                    view=photo_review::PhotoReviewPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/consents")
                    view=consent_log::ConsentLogPage
                    ssr=SsrMode::Async
                />
                // Async: the whole page (and its status code) is ready before the first byte,
                // so it works with JavaScript off and unknown tokens get a real 404.
                <Route
                    path=path!("/t/:token")
                    view=|| view! { <tracking_page::TrackingPage /> }
                    ssr=SsrMode::Async
                />
                <Route path=path!("/t/:token/photos") view=photos::PhotosPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
