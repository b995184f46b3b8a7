//! The current Organization's products and each product's dashboard.

mod dashboard;

pub use dashboard::ProductDashboard;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use transfer_rules::{AccessLevel, OrganizationId, ProductId, ProductKind, ProductRef};

use crate::error::AppError;
use crate::i18n::*;
use crate::shell::organization_resource;
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
    pub linked: Vec<ProductRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductAccess {
    pub user_name: String,
    pub level: AccessLevel,
    pub management: bool,
}

#[server(endpoint = "list_products")]
pub async fn list_products(organization: OrganizationId) -> Result<Vec<ProductRef>, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.products(&user, &organization).await
}

#[server(endpoint = "get_product")]
pub async fn get_product(product: ProductId) -> Result<ProductDetail, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.product(&user, &product).await
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let products = organization_resource(list_products);
    view! {
        <PageTitle text=move || t_string!(i18n, products.title).to_string()/>
        <h1>{t!(i18n, products.title)}</h1>
        <Loaded
            resource=products
            ok=move |value| match value {
                list if list.is_empty() => {
                    view! { <p class="empty">{t!(i18n, products.empty)}</p> }.into_any()
                }
                list => view! { <ProductTable products=list/> }.into_any(),
            }
        />
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
