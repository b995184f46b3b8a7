use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use transfer_rules::{AccessLevel, ProductId};

use super::{get_product, ProductDetail};
use crate::erased::IntoErased;
use crate::error::{AppError, InputProblem};
use crate::i18n::*;
use crate::menu::MenuButton;
use crate::resource::fetched;
use crate::ui::{fill, kind_label, KindIcon, Loaded};

#[component]
pub fn ProductDashboard() -> impl IntoView {
    let params = use_params_map();
    let product = fetched(
        move || params.read().get("id").unwrap_or_default(),
        |id| async move {
            let id =
                ProductId::parse(&id).map_err(|_| AppError::Invalid(InputProblem::Identifier))?;
            get_product(id).await
        },
    );
    view! {
        <Loaded resource=product ok=move |product| view! { <Dashboard product/> } whole_page=true/>
    }
}

#[component]
fn Dashboard(product: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let kind = product.kind;
    let title = product.name.clone();
    let elsewhere = product.linked_elsewhere;
    view! {
        <Title text=title/>
        <div class="dashboard-head">
            <KindIcon kind/>
            <div class="dashboard-title">
                <h1>{product.name.clone()}</h1>
                <p class="muted">
                    {move || kind_label(i18n, kind)} " · " {product.organization_name.clone()}
                </p>
            </div>
            <ManageMenu product=product.id.clone()/>
        </div>
        <section class="card">
            <h2>{t!(i18n, dashboard.access)}</h2>
            {if product.access.is_empty() {
                view! { <p class="empty">{t!(i18n, dashboard.no_access)}</p> }.into_erased()
            } else {
                view! {
                    <ul class="plain">
                        {product
                            .access
                            .into_iter()
                            .map(|access| {
                                let level = access.level;
                                let management = access.management;
                                view! {
                                    <li>
                                        {access.user_name} " — "
                                        {move || match level {
                                            AccessLevel::Read => t_string!(i18n, dashboard.read),
                                            AccessLevel::Write => t_string!(i18n, dashboard.write),
                                        }}
                                        {move || management.then(|| t_string!(i18n, dashboard.management))}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_erased()
            }}
        </section>
        <section class="card">
            <h2>{t!(i18n, dashboard.teams)}</h2>
            {if product.teams.is_empty() {
                view! { <p class="empty">{t!(i18n, dashboard.no_teams)}</p> }.into_erased()
            } else {
                view! {
                    <ul class="plain">
                        {product.teams.into_iter().map(|team| view! { <li>{team}</li> }).collect_view()}
                    </ul>
                }
                    .into_erased()
            }}
        </section>
        <section class="card">
            <h2>{t!(i18n, dashboard.linked)}</h2>
            {(product.linked.is_empty() && elsewhere == 0).then(|| view! {
                <p class="empty">{t!(i18n, dashboard.no_linked)}</p>
            })}
            {(!product.linked.is_empty()).then(|| view! {
                <ul class="plain">
                    {product.linked.iter().map(|linked| view! {
                        <li>
                            <a href=format!("/products/{}", linked.id)>{linked.name.to_string()}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(elsewhere > 0).then(|| view! {
                <p class="muted">{move || fill(t_string!(i18n, dashboard.linked_elsewhere), elsewhere)}</p>
            })}
        </section>
    }
}

#[component]
fn ManageMenu(product: ProductId) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <MenuButton id="manage-menu" class="manage" label=move || t!(i18n, dashboard.manage)>
            {view! {
                <a role="menuitem" tabindex="-1" href=format!("/transfers/new?product={product}")>
                    {t!(i18n, dashboard.transfer)}
                </a>
            }
            .into_erased()}
        </MenuButton>
    }
}
