//! Type-erased views that the router hydrates in one go.
//!
//! `into_any` keeps, for every view type it erases, the code to hydrate that view
//! asynchronously, and an element's asynchronous hydration walks all its children the
//! same way: about a sixth of the browser bundle. Only what lies above the router is ever
//! hydrated asynchronously (leptos_router loads a page's lazy sections first, then hydrates
//! the page synchronously), so the pages' views hydrate synchronously even when asked to.
//! Leptos's components (`Show`, `Form`, `ActionForm`, `A`), and ours that take children,
//! erase their children with `into_any`: those children are handed over erased already.

use leptos::prelude::{AnyView, IntoAny};
use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

/// `into_any`, for the views below the router.
pub trait IntoErased: RenderHtml + Sized + 'static {
    fn into_erased(self) -> AnyView {
        SyncHydrated(self).into_any()
    }
}

impl<V: RenderHtml + 'static> IntoErased for V {}

/// A view whose asynchronous hydration is its synchronous one (the trait's default).
struct SyncHydrated<V>(V);

impl<V: Render> Render for SyncHydrated<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: RenderHtml> RenderHtml for SyncHydrated<V> {
    type AsyncOutput = SyncHydrated<V::AsyncOutput>;
    type Owned = SyncHydrated<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHydrated(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        );
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        SyncHydrated(self.0.into_owned())
    }
}

impl<V: AddAnyAttr> AddAnyAttr for SyncHydrated<V> {
    type Output<SomeNewAttr: Attribute> = SyncHydrated<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHydrated(self.0.add_any_attr(attr))
    }
}

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
