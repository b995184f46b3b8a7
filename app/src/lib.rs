//! The Manager's user interface: routes, components and the server-function API.
//! Compiled to WASM with `hydrate`, rendered on the server with `ssr`.

// Leptos views nest deeply in their types; the hydrate build needs room for them.
#![recursion_limit = "256"]

pub mod api_tokens;
pub mod billing;
#[cfg(feature = "ssr")]
mod bundle;
mod cookies;
pub mod dates;
mod erased;
pub mod error;
pub mod members;
mod menu;
pub mod paging;
mod pass_through;
pub mod products;
mod resource;
mod routes;
pub mod session;
pub mod shell;
pub mod transfers;
pub mod ui;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod backend;

// The build.rs code generator that replaces this macro pulls ICU's data exporter, with
// its networking stack, into every build; the macro generates the same checked module.
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

#[cfg(feature = "ssr")]
pub use routes::shell;
pub use routes::App;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    dates::remember_time_zone();
    // `hydrate_lazy`, which waits for the page's sections of the bundle before hydrating it,
    // and then marks the document: tests (and anything else) must not click HTML that no code
    // answers yet, and the server's HTML looks the same before and after.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("a page has a body");
        let root = leptos::mount::hydrate_from_async(body.clone(), App).await;
        let _ = body.set_attribute("data-hydrated", "true");
        root.forget();
    });
}
