use leptos::prelude::*;
use transfer_rules::{ProductWarnings, Warnings};

use crate::i18n::*;

/// What a transfer will change, product by product, as the rules crate computed it.
#[component]
pub fn WarningsList(warnings: Warnings) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="warnings" aria-labelledby="warnings-heading">
            <h2 id="warnings-heading">{t!(i18n, warnings.heading)}</h2>
            <p class="muted">{t!(i18n, warnings.intro)}</p>
            <ul class="warning-list">
                {warnings
                    .products
                    .iter()
                    .map(|product| view! { <ProductWarningItem warnings=&warnings product/> })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn names<'a, T: 'a>(items: impl Iterator<Item = &'a T>, name: impl Fn(&'a T) -> &'a str) -> String {
    items.map(name).collect::<Vec<_>>().join(", ")
}

#[component]
fn ProductWarningItem<'a>(warnings: &'a Warnings, product: &'a ProductWarnings) -> impl IntoView {
    let i18n = use_i18n();
    let lose = names(warnings.users_at(&product.users_losing_access), |u| &u.name);
    let integrated = names(warnings.users_at(&product.kdrive_users_integrated), |u| {
        &u.name
    });
    let teams = names(warnings.teams_at(&product.teams_losing_rights), |t| &t.name);
    let invoices = names(product.invoices_staying.iter(), |i| &i.number);
    let linked = names(product.linked_left_behind.iter(), |p| &p.name);
    let quiet = product.is_empty();
    let line = move |text: String, label: &'static str| {
        (!text.is_empty()).then(|| view! { <li><strong>{label}</strong> " " {text}</li> })
    };
    view! {
        <li class="warning-item">
            <h3>{product.product.name.to_string()}</h3>
            <ul>
                {move || line(lose.clone(), t_string!(i18n, warnings.lose_access))}
                {move || line(integrated.clone(), t_string!(i18n, warnings.kdrive_integrated))}
                {move || line(teams.clone(), t_string!(i18n, warnings.teams))}
                {move || line(invoices.clone(), t_string!(i18n, warnings.invoices))}
                {move || line(linked.clone(), t_string!(i18n, warnings.linked))}
                {move || quiet.then(|| view! { <li>{t!(i18n, warnings.nothing_lost)}</li> })}
            </ul>
        </li>
    }
}
