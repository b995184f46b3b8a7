//! The Manager's frame: top bar, sidebar, and the current Organization every page works on.

mod organization_switcher;
mod sidebar;
mod user_menu;

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;
use transfer_rules::OrganizationId;

use crate::error::AppError;
use crate::session::{get_me, Me};
use crate::ui::{ErrorMessage, Loading};
use organization_switcher::OrganizationSwitcher;
use sidebar::Sidebar;
use user_menu::UserMenu;

/// Remembers the Organization last chosen in the switcher.
pub const ORGANIZATION_COOKIE: &str = "manager_org";

/// The Organization the pages show, chosen in the top bar; switching it re-renders
/// the pages in place, without reloading the document.
#[derive(Clone, Copy)]
pub struct CurrentOrganization(pub RwSignal<Option<OrganizationId>>);

impl CurrentOrganization {
    pub fn get(&self) -> Option<OrganizationId> {
        self.0.get()
    }

    pub fn get_untracked(&self) -> Option<OrganizationId> {
        self.0.get_untracked()
    }
}

pub fn use_current_organization() -> CurrentOrganization {
    expect_context::<CurrentOrganization>()
}

/// The logged-in user, for pages that need their name or memberships.
pub fn use_me() -> Me {
    expect_context::<Me>()
}

#[component]
pub fn ManagerLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Suspense fallback=Loading>
            {move || {
                me.get()
                    .map(|result| match result {
                        Ok(me) => view! { <Frame me/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <ToLogin/> }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ToLogin() -> impl IntoView {
    let location = use_location();
    let target = format!(
        "/login?next={}",
        encode_component(&format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        ))
    );
    view! { <Redirect path=target/> }
}

/// Percent-encodes a URL query component.
pub fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[component]
fn Frame(me: Me) -> impl IntoView {
    let current = CurrentOrganization(RwSignal::new(me.current.clone()));
    provide_context(current);
    provide_context(me.clone());
    provide_context(crate::transfers::TransfersChanged(RwSignal::new(0)));
    view! {
        <div class="frame">
            <header class="topbar">
                <a class="brand" href="/products">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    {move || crate::i18n::t_string!(crate::i18n::use_i18n(), app.name)}
                </a>
                <OrganizationSwitcher organizations=me.organizations.clone()/>
                <UserMenu name=me.name.clone()/>
            </header>
            <Sidebar/>
            <main class="content" id="content">
                <Outlet/>
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn next_paths_are_encoded_as_one_component() {
        assert_eq!(encode_component("/products?a=b&c"), "/products%3Fa%3Db%26c");
        assert_eq!(encode_component("/receive/Ab-_9"), "/receive/Ab-_9");
    }
}
