//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Title};
#[cfg(feature = "ssr")]
use leptos_meta::{HashedStylesheet, MetaTags};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::api_tokens::ApiTokensPage;
use crate::billing::BillingPage;
use crate::i18n::*;
use crate::members::MembersPage;
use crate::products::{ProductDashboard, ProductsPage};
use crate::session::LoginPage;
use crate::shell::ManagerLayout;
use crate::transfers::{NewTransferPage, ReceivePage, TransferPage, TransfersPage};
use crate::ui::PageTitle;
use crate::webhooks::WebhooksPage;

#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <crate::bundle::StartBundle options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
            <Title formatter=|page: String| format!("{page} · Manager")/>
            <HydrationMarker/>
            <Router>
                // Pages are sent whole, their data in place: nothing moves when the browser
                // takes them over, and their largest text is painted from the first bytes.
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <ParentRoute path=path!("") view=ManagerLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=|| view! { <Redirect path="/products"/> } ssr=SsrMode::Async/>
                        <Route path=path!("/products") view=ProductsPage ssr=SsrMode::Async/>
                        <Route path=path!("/products/:id") view=ProductDashboard ssr=SsrMode::Async/>
                        <Route path=path!("/users") view=MembersPage ssr=SsrMode::Async/>
                        <Route path=path!("/billing") view=BillingPage ssr=SsrMode::Async/>
                        <Route path=path!("/api-tokens") view=ApiTokensPage ssr=SsrMode::Async/>
                        <Route path=path!("/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                        <Route path=path!("/transfers") view=TransfersPage ssr=SsrMode::Async/>
                        <Route path=path!("/transfers/new") view=NewTransferPage ssr=SsrMode::Async/>
                        <Route path=path!("/transfers/:id") view=TransferPage ssr=SsrMode::Async/>
                        <Route path=path!("/receive/:token") view=ReceivePage ssr=SsrMode::Async/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

/// Marks the document once the WASM has taken over, so tests never click dead HTML.
#[component]
fn HydrationMarker() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle text=move || t_string!(i18n, errors.page_not_found).to_string()/>
        <main class="not-found">
            <h1>{t!(i18n, errors.page_not_found)}</h1>
            <a href="/products">{t!(i18n, nav.products)}</a>
        </main>
    }
}
