use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use transfer_rules::OrganizationId;

use super::{use_current_organization, use_organizations};
use crate::i18n::*;
use crate::session::Membership;

#[component]
pub fn OrganizationSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let organizations = use_organizations();
    let location = use_location();
    let navigate = use_navigate();
    let on_change = move |event| {
        let Ok(organization) = OrganizationId::parse(&event_target_value(&event)) else {
            return;
        };
        current.choose(organization);
        // A product page shows the previous Organization's product: go back to the list.
        if location.pathname.get_untracked().starts_with("/products/") {
            navigate("/products", Default::default());
        }
    };
    view! {
        <div class="organization-switcher">
            <label for="organization">{t!(i18n, shell.organization)}</label>
            <select id="organization" on:change=on_change>
                <For
                    each=move || organizations.0.get()
                    key=|membership: &Membership| membership.organization.clone()
                    children=move |membership: Membership| {
                        let id = membership.organization.clone();
                        view! {
                            <option
                                value=membership.organization.to_string()
                                selected=move || current.get().as_ref() == Some(&id)
                            >
                                {membership.name}
                            </option>
                        }
                    }
                />
            </select>
        </div>
    }
}
