//! Every script a page carries inline, and the Content-Security-Policy that lets only them
//! (and what they load) run.
//!
//! - Merchants' pages: the request's fresh nonce (leptos_axum provides one per request), on
//!   Leptos's hydration scripts and on a provider form's loader in the settings preview.
//! - Shoppers' pages (tracking page, widget, look-up): no nonce but the SHA-256 of each inline
//!   script, which are constant for a build. Their HTML is then the same for everyone who
//!   sees the same shipment, so the server can keep it rendered and compressed
//!   (`server::page_cache`) and answer repeat views with 304.
//!
//! Both add `'strict-dynamic'` (what an allowed script loads: the bundles, a provider's form
//! script) and `'wasm-unsafe-eval'` (the WebAssembly).

use leptos::prelude::*;

/// Tells the page that frames the widget how tall it is (the loader checks the sender).
/// The host comes from the loader; a page framed elsewhere is refused by `frame-ancestors`.
pub const EMBED_HEIGHT_SCRIPT: &str = "(function(){var h=new URLSearchParams(location.search).get('host');\
if(!h||window.parent===window)return;function s(){window.parent.postMessage({type:'tracklight:height',\
height:document.documentElement.scrollHeight},h)}if(window.ResizeObserver){new ResizeObserver(s)\
.observe(document.body)}window.addEventListener('load',s);s()})()";

/// Loads a provider's sign-up form script from `src` right after the loader, where the form
/// renders itself: a script an allowed one adds is allowed too (`'strict-dynamic'`). The
/// address is part of the loader's text, so on a shopper's page its hash allows that address
/// only (`allow_inline_script`).
pub fn provider_form_loader(src: &str) -> String {
    format!(
        "(function(s){{var e=document.createElement('script');e.src={};\
s.parentNode.insertBefore(e,s.nextSibling)}})(document.currentScript)",
        js_string(src)
    )
}

/// `text` as a JavaScript string literal that cannot end its `<script>` element.
fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// What Leptos writes inline into every page it renders asynchronously: its tables of
/// resources and streamed chunks for hydration. Shoppers' pages hydrate nothing and read no
/// resource (their data is a plain future, `ui::page_data`), so theirs are always empty.
/// (Leptos puts its per-request nonce on them too; on these pages the policy ignores it.)
#[cfg(feature = "ssr")]
pub const LEPTOS_EMPTY_TABLES: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// Starts the shopper widget (`bundle`: `widget.{hash}`): adds its JS glue (a classic script,
/// `wasm-bindgen --target no-modules`), which then fetches and starts the WebAssembly. Added by
/// script, not imported: under a hash-based policy only what an allowed script adds may load
/// (`'strict-dynamic'`); a module's `import` would not be.
pub fn widget_start(bundle: &str) -> String {
    format!(
        "(function(){{var s=document.createElement('script');s.src='/pkg/{bundle}.js';\
s.onload=function(){{wasm_bindgen({{module_or_path:'/pkg/{bundle}_bg.wasm'}})}};\
document.head.appendChild(s)}})()"
    )
}

/// Loads the shopper widget: the WebAssembly is fetched early, beside the page.
#[component]
pub fn WidgetScripts(bundle: String) -> impl IntoView {
    let wasm = format!("/pkg/{bundle}_bg.wasm");
    view! {
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script inner_html=widget_start(&bundle)></script>
    }
}

/// Sets the page's script policy (the router adds `frame-ancestors`): hashes on shoppers'
/// pages (`widget`: their bundle), the request's nonce elsewhere.
#[cfg(feature = "ssr")]
pub fn set_script_policy(widget: Option<&str>) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let allowed = match widget {
        Some(bundle) => [widget_start(bundle).as_str(), EMBED_HEIGHT_SCRIPT]
            .into_iter()
            .chain(LEPTOS_EMPTY_TABLES)
            .map(|script| format!("'sha256-{}'", sha256_base64(script)))
            .collect::<Vec<_>>()
            .join(" "),
        None => match leptos::nonce::use_nonce() {
            Some(nonce) => format!("'nonce-{nonce}'"),
            None => return,
        },
    };
    let policy = format!(
        "script-src {allowed} 'strict-dynamic' 'wasm-unsafe-eval'; object-src 'none'; \
         base-uri 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Allows one more inline script, rendered with this exact `text`, on a page whose policy
/// names its scripts by hash (shoppers' pages; merchants' pages' scripts carry the nonce).
#[cfg(feature = "ssr")]
pub fn allow_inline_script(text: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let mut parts = response.0.write().unwrap_or_else(|e| e.into_inner());
    let Some(policy) = parts
        .headers
        .get(http::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .filter(|policy| policy.contains("'sha256-"))
    else {
        return;
    };
    let policy = policy.replacen(
        "script-src ",
        &format!("script-src 'sha256-{}' ", sha256_base64(text)),
        1,
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        parts
            .headers
            .insert(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// A CSP hash source's digest: the script's text, exactly as it is between its tags.
#[cfg(feature = "ssr")]
fn sha256_base64(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// The digest browsers compute for `<script>alert('Hello, world.');</script>`, as the
    /// CSP specification gives it.
    #[test]
    fn a_provider_address_cannot_end_its_script() {
        let loader = provider_form_loader("https://x.example/f.js?a='b'</script><b>\\");
        assert!(!loader.contains("</script"), "{loader}");
        assert!(
            loader.contains(
                r"e.src='https://x.example/f.js?a=\'b\'\u003c/script\u003e\u003cb\u003e\\';"
            ),
            "{loader}"
        );
    }

    #[test]
    fn hashes_are_the_ones_browsers_compute() {
        assert_eq!(
            sha256_base64("alert('Hello, world.');"),
            "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
        );
    }
}
