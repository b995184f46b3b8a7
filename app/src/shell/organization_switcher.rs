use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use transfer_rules::OrganizationId;

use super::use_current_organization;
use crate::i18n::*;
use crate::session::Membership;

#[component]
pub fn OrganizationSwitcher(organizations: Vec<Membership>) -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let location = use_location();
    let navigate = use_navigate();
    let on_change = move |event| {
        let Ok(organization) = OrganizationId::parse(&event_target_value(&event)) else {
            return;
        };
        remember(&organization);
        current.0.set(Some(organization));
        // A product page shows the previous Organization's product: go back to the list.
        if location.pathname.get_untracked().starts_with("/products/") {
            navigate("/products", Default::default());
        }
    };
    view! {
        <div class="organization-switcher">
            <label for="organization">{t!(i18n, shell.organization)}</label>
            <select id="organization" on:change=on_change>
                {organizations
                    .into_iter()
                    .map(|membership| {
                        let selected = current.0.get_untracked().as_ref() == Some(&membership.organization);
                        view! {
                            <option value=membership.organization.to_string() selected=selected>
                                {membership.name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Keeps the choice for the next visit; the server reads it back when rendering.
fn remember(organization: &OrganizationId) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(document) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = document.set_cookie(&format!(
                "{}={organization}; Path=/; Max-Age=31536000; SameSite=Lax",
                crate::shell::ORGANIZATION_COOKIE
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = organization;
}
