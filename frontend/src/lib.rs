//! The WebAssembly entry point. Everything visible lives in `app`; this crate only hydrates
//! the server-rendered HTML so the interactive parts (refresh, later the consent form) work.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
