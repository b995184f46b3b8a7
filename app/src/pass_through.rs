//! A view passed through as it is, but for what the Leptos traits' defaults give it.

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

/// Holds a view and is drawn, rendered and hydrated as it is, but for two things left to
/// the Leptos traits' defaults: asynchronous hydration is the synchronous one (see
/// `erased`), and unless `WALKED`, the server's walks for data (`dry_resolve`) pass it by
/// (see `shell::outlet`).
pub struct PassThrough<V, const WALKED: bool>(pub V);

impl<V: Render, const WALKED: bool> Render for PassThrough<V, WALKED> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: RenderHtml, const WALKED: bool> RenderHtml for PassThrough<V, WALKED> {
    type AsyncOutput = PassThrough<V::AsyncOutput, WALKED>;
    type Owned = PassThrough<V::Owned, WALKED>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        if WALKED {
            self.0.dry_resolve();
        }
    }

    async fn resolve(self) -> Self::AsyncOutput {
        PassThrough(self.0.resolve().await)
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
        PassThrough(self.0.into_owned())
    }
}

impl<V: AddAnyAttr, const WALKED: bool> AddAnyAttr for PassThrough<V, WALKED> {
    type Output<SomeNewAttr: Attribute> = PassThrough<V::Output<SomeNewAttr>, WALKED>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        PassThrough(self.0.add_any_attr(attr))
    }
}
