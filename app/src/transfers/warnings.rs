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
                    .into_iter()
                    .map(|product| view! { <ProductWarningItem warnings=product/> })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> String {
    items.iter().map(name).collect::<Vec<_>>().join(", ")
}

#[component]
fn ProductWarningItem(warnings: ProductWarnings) -> impl IntoView {
    let i18n = use_i18n();
    let lose = names(&warnings.users_losing_access, |u| &u.name);
    let integrated = names(&warnings.kdrive_users_integrated, |u| &u.name);
    let teams = names(&warnings.teams_losing_rights, |t| &t.name);
    let invoices = names(&warnings.invoices_staying, |i| &i.number);
    let linked = names(&warnings.linked_left_behind, |p| &p.name);
    let quiet = warnings.is_empty();
    let line = move |text: String, label: &'static str| {
        (!text.is_empty()).then(|| view! { <li><strong>{label}</strong> " " {text}</li> })
    };
    view! {
        <li class="warning-item">
            <h3>{warnings.product.name.clone()}</h3>
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
