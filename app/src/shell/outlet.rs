//! The page inside the layout.
//!
//! While a page's data loads, the server walks the view to find what to wait for, and the
//! router's outlet answers each walk by drawing the page anew: every page, with its queries,
//! was drawn and fetched twice. Pages read their data inside their own `Suspense` or
//! `Transition`, which wait for it themselves, so on the server the walk stops at the
//! outlet and the page is drawn once.

use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The current page.
#[cfg(not(feature = "ssr"))]
pub fn page() -> impl IntoView {
    Outlet()
}

/// The current page, drawn once.
#[cfg(feature = "ssr")]
pub fn page() -> impl IntoView {
    crate::pass_through::PassThrough::<_, false>(Outlet())
}
