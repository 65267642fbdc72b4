//! The WebAssembly entry point. Everything visible lives in `app`; this crate only hydrates
//! the server-rendered HTML so the interactive parts (refresh, later the consent form) work.
// The settings pages nest deep enough in view types to need more than the default 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page as interactive: browser tests wait for it, and CSS may use it to show
    // controls that only work with JavaScript.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
