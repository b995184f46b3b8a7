//! The current Organization's products and each product's dashboard.

mod dashboard;

pub use dashboard::ProductDashboard;

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use transfer_rules::{AccessLevel, OrganizationId, ProductId, ProductKind, ProductRef};

use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::paging::{href_with, page_param, Page, Pager};
use crate::resource::fetched;
use crate::shell::use_current_organization;
use crate::ui::{kind_label, KindIcon, Loaded, PageTitle};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub id: ProductId,
    pub name: String,
    pub kind: ProductKind,
    pub organization: OrganizationId,
    pub organization_name: String,
    pub access: Vec<ProductAccess>,
    pub teams: Vec<String>,
    /// The linked products the caller may see: those of this Organization (for a plain
    /// User, those they have access to).
    pub linked: Vec<ProductRef>,
    /// How many linked products belong to other Organizations (after a partial move);
    /// counted, never named, since the caller may not be in those Organizations.
    pub linked_elsewhere: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductAccess {
    pub user_name: String,
    pub level: AccessLevel,
    pub management: bool,
}

/// Which products a list shows: a part of the name, a kind, or all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFilter {
    pub search: String,
    pub kind: Option<ProductKind>,
}

#[server(endpoint = "list_products")]
pub async fn list_products(
    organization: OrganizationId,
    search: Option<String>,
    kind: Option<ProductKind>,
    page: Option<u32>,
    size: Option<u32>,
) -> Result<Page<ProductRef>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    let filter = ProductFilter {
        search: crate::transfers::api::search_text(search),
        kind,
    };
    backend
        .products(
            &user,
            &organization,
            &filter,
            crate::paging::PageRequest::new(page, size),
        )
        .await
}

#[server(endpoint = "get_product")]
pub async fn get_product(product: ProductId) -> Result<ProductDetail, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.product(&user, &product).await
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| ProductFilter {
            search: q.get("q").unwrap_or_default(),
            kind: q
                .get("kind")
                .and_then(|kind| ProductKind::parse(&kind).ok()),
        })
    });
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    let products = fetched(
        move || (current.get(), filter.get(), page.get()),
        |(organization, filter, page)| async move {
            match organization {
                Some(organization) => {
                    list_products(
                        organization,
                        Some(filter.search),
                        filter.kind,
                        Some(page),
                        None,
                    )
                    .await
                }
                None => Ok(Page::default()),
            }
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, products.title).to_string()/>
        <h1>{t!(i18n, products.title)}</h1>
        <Form method="GET" action="/products">
            {view! {
                <div class="toolbar" role="search">
                    <label for="products-search">{t!(i18n, products.search)}</label>
                    <input
                        id="products-search"
                        type="search"
                        name="q"
                        maxlength="100"
                        prop:value=move || filter.with(|f| f.search.clone())
                    />
                    <label for="products-kind">{t!(i18n, products.kind)}</label>
                    <KindSelect id="products-kind" name="kind" chosen=Signal::derive(move || filter.with(|f| f.kind))/>
                    <button type="submit">{t!(i18n, products.search_submit)}</button>
                </div>
            }
            .into_erased()}
        </Form>
        <Loaded
            resource=products
            ok={move |list: Page<ProductRef>| {
                if list.total == 0 {
                    return view! { <p class="empty">{t!(i18n, products.empty)}</p> }.into_erased();
                }
                let position = list.position();
                let filter = filter.get_untracked();
                view! {
                    <ProductTable products=list.items/>
                    <Pager position href=move |page| {
                            href_with(
                                "/products",
                                &[
                                    ("q", &filter.search),
                                    ("kind", filter.kind.map_or("", ProductKind::as_str)),
                                    ("page", &page.to_string()),
                                ],
                            )
                        }
                    />
                }
                    .into_erased()
            }}
        />
    }
}

/// A choice of product kind, "All kinds" first; the value is the kind's code.
#[component]
pub fn KindSelect(
    id: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(into)] chosen: Signal<Option<ProductKind>>,
    #[prop(optional)] on_choose: Option<Callback<Option<ProductKind>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            id=id
            name=name
            on:change=move |event| {
                if let Some(on_choose) = on_choose {
                    on_choose.run(ProductKind::parse(&event_target_value(&event)).ok());
                }
            }
        >
            <option value="" selected=move || chosen.get().is_none()>
                {t!(i18n, products.all_kinds)}
            </option>
            {ProductKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <option value=kind.as_str() selected=move || chosen.get() == Some(kind)>
                            {move || kind_label(i18n, kind)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn ProductTable(products: Vec<ProductRef>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, products.name)}</th>
                    <th scope="col">{t!(i18n, products.kind)}</th>
                </tr>
            </thead>
            <tbody>
                {products
                    .into_iter()
                    .map(|product| {
                        let kind = product.kind;
                        view! {
                            <tr>
                                <td>
                                    <KindIcon kind/>
                                    <a href=format!("/products/{}", product.id)>{product.name}</a>
                                </td>
                                <td>{move || kind_label(i18n, kind)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
