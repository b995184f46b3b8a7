//! The Manager's frame: top bar, sidebar, and the current Organization every page works on.

mod organization_switcher;
mod outlet;
mod sidebar;
mod user_menu;

use std::future::Future;

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_query_map};
use serde::de::DeserializeOwned;
use serde::Serialize;
use transfer_rules::OrganizationId;

use crate::erased::IntoErased;
use crate::error::AppError;
use crate::paging::{page_param, Page};
use crate::resource::{fetched, Fetched};
use crate::session::{get_me, Me, Membership};
use crate::ui::{ErrorMessage, Loading};
use organization_switcher::OrganizationSwitcher;
use sidebar::Sidebar;
use user_menu::UserMenu;

/// Remembers the Organization last chosen in the switcher.
pub const ORGANIZATION_COOKIE: &str = "manager_org";

/// The Organization the pages show, chosen in the top bar; switching it re-renders
/// the pages in place, without reloading the document.
#[derive(Clone, Copy)]
pub struct CurrentOrganization(RwSignal<Option<OrganizationId>>);

impl CurrentOrganization {
    pub fn get(&self) -> Option<OrganizationId> {
        self.0.get()
    }

    pub fn get_untracked(&self) -> Option<OrganizationId> {
        self.0.get_untracked()
    }

    /// Switches to an Organization and remembers it for the next visit.
    pub fn choose(&self, organization: OrganizationId) {
        remember(&organization);
        self.0.set(Some(organization));
    }
}

pub fn use_current_organization() -> CurrentOrganization {
    expect_context::<CurrentOrganization>()
}

/// An action on the Organization current when it runs; with none chosen, it fails as not
/// found.
pub fn organization_action<I, T, F, Fut>(run: F) -> Action<I, Result<T, AppError>>
where
    I: Clone + Send + Sync + 'static,
    T: Send + Sync + 'static,
    F: Fn(OrganizationId, I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let current = use_current_organization();
    Action::new(move |input: &I| {
        let started = current
            .get_untracked()
            .map(|organization| run(organization, input.clone()));
        async move {
            match started {
                Some(running) => running.await,
                None => Err(AppError::NotFound),
            }
        }
    })
}

/// A page of a list of the current Organization, the page number read from the URL,
/// fetched again whenever the user switches Organization or page.
pub fn organization_page_resource<T, F, Fut>(fetch: F) -> Fetched<Result<Page<T>, AppError>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(OrganizationId, u32) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, AppError>> + Send + 'static,
{
    let current = use_current_organization();
    let query = use_query_map();
    fetched(
        move || (current.get(), page_param(query.read().get("page"))),
        move |(organization, page)| async move {
            match organization {
                Some(organization) => fetch(organization, page).await,
                None => Ok(Page::default()),
            }
        },
    )
}

/// A whole (short) list of the current Organization, fetched again whenever the user
/// switches Organization or `refresh` moves (see `refresh_after`).
pub fn organization_list_resource<T, F, Fut>(
    refresh: RwSignal<u32>,
    fetch: F,
) -> Fetched<Result<Vec<T>, AppError>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(OrganizationId) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>, AppError>> + Send + 'static,
{
    let current = use_current_organization();
    fetched(
        move || (current.get(), refresh.get()),
        move |(organization, _)| async move {
            match organization {
                Some(organization) => fetch(organization).await,
                None => Ok(Vec::new()),
            }
        },
    )
}

/// The user's Organizations; grows when they create one.
#[derive(Clone, Copy)]
pub struct Organizations(pub RwSignal<Vec<Membership>>);

impl Organizations {
    /// Whether the user administers this Organization (may send and see its transfers).
    pub fn administers(&self, organization: &OrganizationId) -> bool {
        self.0.with(|all| {
            all.iter()
                .any(|m| &m.organization == organization && m.role.is_admin())
        })
    }
}

pub fn use_organizations() -> Organizations {
    expect_context::<Organizations>()
}

/// Keeps the choice for the next visit; the server reads it back when rendering.
fn remember(organization: &OrganizationId) {
    #[cfg(feature = "hydrate")]
    crate::cookies::remember(ORGANIZATION_COOKIE, &organization.to_string());
    #[cfg(not(feature = "hydrate"))]
    let _ = organization;
}

/// A user who chose a language gets it on every browser they log in from.
fn follow_saved_language(saved: Option<&str>) {
    if let Some(saved) = saved.and_then(crate::ui::language) {
        let i18n = crate::i18n::use_i18n();
        Effect::new(move |_| {
            if i18n.get_locale_untracked() != saved {
                switch_language(i18n, saved);
            }
        });
    }
}

/// Shows the pages in `locale` from now on, and has the server draw the next ones in it.
/// (The browser bundle writes the language cookie itself: leptos_i18n's own cookie code
/// would bring a date library into the first download.)
fn switch_language(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    locale: crate::i18n::Locale,
) {
    i18n.set_locale(locale);
    #[cfg(feature = "hydrate")]
    crate::cookies::remember(
        crate::session::LANGUAGE_COOKIE,
        leptos_i18n::Locale::as_str(locale),
    );
}

#[component]
pub fn ManagerLayout() -> impl IntoView {
    let me = fetched(|| (), |_| get_me());
    // Awaited once, not read in a closure: the server calls a view closure again each time
    // it walks the view for data, which drew the frame (and counted the badge) again.
    // With the page drawn once (see `outlet`), a frame drawn twice would also number the
    // page's data after a second badge count, where the browser looks for it after the
    // first. The user is fetched once per page load, so nothing needs to redraw.
    view! {
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match me.await {
                    Ok(me) => view! { <Frame me/> }.into_erased(),
                    Err(AppError::Unauthorized) => view! { <ToLogin/> }.into_erased(),
                    Err(error) => view! { <ErrorMessage error/> }.into_erased(),
                }
            })}
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
    follow_saved_language(me.language.as_deref());
    let current = CurrentOrganization(RwSignal::new(me.current.clone()));
    provide_context(current);
    provide_context(Organizations(RwSignal::new(me.organizations.clone())));
    let changed = crate::transfers::TransfersChanged(RwSignal::new(0));
    provide_context(changed);
    #[cfg(feature = "hydrate")]
    crate::transfers::live::follow_transfer_changes(current, changed);
    view! {
        <div class="frame">
            <a class="skip-link" href="#content" on:click=skip_to_content>
                {move || crate::i18n::t_string!(crate::i18n::use_i18n(), shell.skip_to_content)}
            </a>
            <header class="topbar">
                <a class="brand" href="/products">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    {move || crate::i18n::t_string!(crate::i18n::use_i18n(), app.name)}
                </a>
                <OrganizationSwitcher/>
                <UserMenu name=me.name.clone()/>
            </header>
            <Sidebar/>
            <main class="content" id="content" tabindex="-1">
                {outlet::page()}
            </main>
        </div>
    }
}

/// The router takes over in-page links and would leave the focus where it was: move it to
/// the main content, where the next Tab continues.
fn skip_to_content(event: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    event.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("content")
        .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
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
