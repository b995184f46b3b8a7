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
    drawn_once::DrawnOnce(Outlet())
}

#[cfg(feature = "ssr")]
mod drawn_once {
    use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
    use leptos::tachys::html::attribute::Attribute;
    use leptos::tachys::hydration::Cursor;
    use leptos::tachys::ssr::StreamBuilder;
    use leptos::tachys::view::add_attr::AddAnyAttr;
    use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

    /// A view that the server's walks for data leave alone (`dry_resolve`); drawn and
    /// rendered like the view it holds.
    pub struct DrawnOnce<V>(pub V);

    impl<V: Render> Render for DrawnOnce<V> {
        type State = V::State;

        fn build(self) -> Self::State {
            self.0.build()
        }

        fn rebuild(self, state: &mut Self::State) {
            self.0.rebuild(state)
        }
    }

    impl<V: AddAnyAttr> AddAnyAttr for DrawnOnce<V> {
        type Output<SomeNewAttr: Attribute> = DrawnOnce<V::Output<SomeNewAttr>>;

        fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
        where
            Self::Output<NewAttr>: RenderHtml,
        {
            DrawnOnce(self.0.add_any_attr(attr))
        }
    }

    impl<V: RenderHtml> RenderHtml for DrawnOnce<V> {
        type AsyncOutput = V::AsyncOutput;
        type Owned = DrawnOnce<V::Owned>;

        const MIN_LENGTH: usize = V::MIN_LENGTH;
        const EXISTS: bool = V::EXISTS;

        fn dry_resolve(&mut self) {}

        async fn resolve(self) -> Self::AsyncOutput {
            self.0.resolve().await
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
                .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
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
            )
        }

        fn hydrate<const FROM_SERVER: bool>(
            self,
            cursor: &Cursor,
            position: &PositionState,
        ) -> Self::State {
            self.0.hydrate::<FROM_SERVER>(cursor, position)
        }

        fn into_owned(self) -> Self::Owned {
            DrawnOnce(self.0.into_owned())
        }
    }
}
