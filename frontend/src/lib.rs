//! The merchant pages' WebAssembly entry point (`tracklight` bundle). Pages are
//! server-rendered HTML; only their islands (the interactive parts, marked `#[island]` in
//! `app`: settings, sign-in, consent log) hydrate. Shoppers' pages load the much smaller
//! `widget` module instead (the `widget` crate), which has no Leptos runtime.
// The settings pages nest deep enough in view types to need more than the default 128.
#![recursion_limit = "256"]

// Links `app`, whose islands export their hydration functions (nothing here names them).
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands mode has no client router: a server function's redirect (after signing in,
    // say) is a plain navigation.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to| {
        let _ = leptos::prelude::window().location().set_href(to);
    });
    leptos::mount::hydrate_islands();
    // Marks the page as interactive (the islands hydrate right after this, in the same task):
    // browser tests wait for it, and CSS may use it to show controls that only work with
    // JavaScript.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
