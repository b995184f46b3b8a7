//! Type-erased views that the router hydrates in one go.
//!
//! `into_any` keeps, for every view type it erases, the code to hydrate that view
//! asynchronously, and an element's asynchronous hydration walks all its children the
//! same way: about a sixth of the browser bundle. Only what lies above the router is ever
//! hydrated asynchronously (leptos_router loads a page's lazy sections first, then hydrates
//! the page synchronously), so the pages' views hydrate synchronously even when asked to.
//! Leptos's components (`Show`, `Form`, `ActionForm`, `A`), and ours that take children,
//! erase their children (and `Show` its fallback) with `into_any`: views given to them are
//! handed over erased already.

use leptos::prelude::{AnyView, IntoAny};
use leptos::tachys::view::RenderHtml;

use crate::pass_through::PassThrough;

/// `into_any`, for the views below the router.
pub trait IntoErased: RenderHtml + Sized + 'static {
    fn into_erased(self) -> AnyView {
        PassThrough::<_, true>(self).into_any()
    }
}

impl<V: RenderHtml + 'static> IntoErased for V {}

#[cfg(test)]
mod tests {
    use leptos::prelude::*;

    use super::IntoErased;

    fn sample(label: &'static str) -> impl IntoView {
        let count = RwSignal::new(3);
        view! {
            <section aria-label=label>
                <h2>{label}</h2>
                {move || (count.get() > 2).then(|| view! { <p>"Several: " {count}</p> })}
                <ul>{(1..=2).map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </section>
            "after"
        }
    }

    #[test]
    fn an_erased_view_renders_the_html_into_any_renders() {
        let owner = Owner::new();
        owner.set();
        let erased = sample("Organisation n° 1").into_erased().to_html();
        assert!(erased.contains("<li>2</li>"), "{erased}");
        assert_eq!(erased, sample("Organisation n° 1").into_any().to_html());
    }
}
