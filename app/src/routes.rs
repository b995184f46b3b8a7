//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Title};
#[cfg(feature = "ssr")]
use leptos_meta::{HashedStylesheet, MetaTags};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

use crate::api_tokens::ApiTokensPage;
use crate::billing::BillingPage;
use crate::erased::IntoErased;
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
    let demo = crate::session::demo_hints();
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
            // For `demo_hints` in the browser.
            <body
                data-demo-logins=demo.as_ref().map(|hints| hints.emails.join(" "))
                data-demo-password=demo.map(|hints| hints.password)
            >
                <App/>
            </body>
        </html>
    }
}

/// The pages behind the login come in sections of the browser bundle: the layout around
/// them, then products; the Organization's users, billing, tokens and webhooks; transfers.
/// Each is downloaded the first time one of its pages opens, alongside the others the page
/// needs: the login page downloads the main bundle only, and the first page what it shows.
/// Sections rather than single pages: neighbouring pages share most of their code, and a
/// bundle cut page by page came in about fifty files a page, each fetched and instantiated
/// on its own.
macro_rules! lazy_section {
    ($section:ident, $preload:ident, $pages:ident { $($route:ident => $page:ident,)+ }) => {
        // Named after the routes they stand for.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $pages {
            $($route,)+
        }

        #[leptos::lazy]
        fn $section(page: $pages) -> AnyView {
            match page {
                $($pages::$route => view! { <$page/> }.into_erased(),)+
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $section($pages::$route).await
                }

                // The router fetches the section while the page's data loads.
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )+
    };
}

// The frame of every page behind the login, which the login page does without.
lazy_section!(layout_section, __preload_layout_section, LayoutPages {
    LayoutRoute => ManagerLayout,
});

lazy_section!(products_section, __preload_products_section, ProductsPages {
    ProductsRoute => ProductsPage,
    ProductRoute => ProductDashboard,
});

lazy_section!(organization_section, __preload_organization_section, OrganizationPages {
    MembersRoute => MembersPage,
    BillingRoute => BillingPage,
    ApiTokensRoute => ApiTokensPage,
    WebhooksRoute => WebhooksPage,
});

lazy_section!(transfers_section, __preload_transfers_section, TransfersPages {
    TransfersRoute => TransfersPage,
    NewTransferRoute => NewTransferPage,
    TransferRoute => TransferPage,
    ReceiveRoute => ReceivePage,
});

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
            <Title formatter=|page: String| format!("{page} · Manager")/>
            <Router>
                // Pages are sent whole, their data in place: nothing moves when the browser
                // takes them over, and their largest text is painted from the first bytes.
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=|| view! { <LoginPage/> }.into_erased() ssr=SsrMode::Async/>
                    <ParentRoute path=path!("") view={Lazy::<LayoutRoute>::new()} ssr=SsrMode::Async>
                        <Route path=path!("") view=|| view! { <Redirect path="/products"/> } ssr=SsrMode::Async/>
                        <Route path=path!("/products") view={Lazy::<ProductsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/products/:id") view={Lazy::<ProductRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/users") view={Lazy::<MembersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/billing") view={Lazy::<BillingRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/api-tokens") view={Lazy::<ApiTokensRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/webhooks") view={Lazy::<WebhooksRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/transfers") view={Lazy::<TransfersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/transfers/new") view={Lazy::<NewTransferRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/transfers/:id") view={Lazy::<TransferRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/receive/:token") view={Lazy::<ReceiveRoute>::new()} ssr=SsrMode::Async/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
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
