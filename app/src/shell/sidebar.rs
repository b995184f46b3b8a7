use leptos::prelude::*;
use leptos_router::components::A;

use crate::erased::IntoErased;
use crate::i18n::*;
use crate::resource::fetched;
use crate::shell::use_current_organization;
use crate::transfers::api::count_transfers_in_progress;
use crate::transfers::use_transfers_changed;
use crate::ui::fill;

#[component]
pub fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="sidebar" aria-label=move || t_string!(i18n, shell.navigation)>
            <ul>
                <li>
                    <NavLink href="/products" icon=PRODUCTS label=|locale| td_string!(locale, nav.products)/>
                </li>
                <li>
                    <NavLink href="/users" icon=USERS label=|locale| td_string!(locale, nav.users)/>
                </li>
                <li>
                    <NavLink href="/billing" icon=BILLING label=|locale| td_string!(locale, nav.billing)/>
                </li>
                <li>
                    <NavLink href="/api-tokens" icon=TOKENS label=|locale| td_string!(locale, nav.api_tokens)/>
                </li>
                <li>
                    <NavLink href="/webhooks" icon=WEBHOOKS label=|locale| td_string!(locale, nav.webhooks)/>
                </li>
            </ul>
            <ul class="sidebar-bottom">
                <li>
                    <NavLink
                        href="/transfers"
                        icon=TRANSFERS
                        label=|locale| td_string!(locale, nav.transfers)
                        described_by="transfers-badge"
                    />
                    // Outside the link: the count describes it, it is not part of its name.
                    <TransfersBadge/>
                </li>
            </ul>
        </nav>
    }
}

/// A link of the sidebar. One component for all of them: the link's code is in the bundle
/// once, not once for each.
#[component]
fn NavLink(
    href: &'static str,
    icon: &'static str,
    label: fn(Locale) -> &'static str,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href=href attr:aria-describedby=described_by>
            {view! {
                <Icon path=icon/>
                <span>{move || label(i18n.get_locale())}</span>
            }
            .into_erased()}
        </A>
    }
}

/// How many of the current Organization's transfers are in progress.
#[component]
fn TransfersBadge() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let changed = use_transfers_changed();
    let count = fetched(
        move || (current.get(), changed.0.get()),
        |(organization, _)| async move {
            match organization {
                Some(organization) => count_transfers_in_progress(organization).await.unwrap_or(0),
                None => 0,
            }
        },
    );
    // A polite live region, present from the start, so a change of the count is read out.
    view! {
        <span role="status" class="badge-live">
            <Transition>
                {move || {
                    count.get().filter(|count| *count > 0).map(|count| {
                        view! {
                            <span class="badge" id="transfers-badge">
                                <span aria-hidden="true">{count}</span>
                                <span class="visually-hidden">
                                    {move || fill(t_string!(i18n, nav.in_progress_count), count)}
                                </span>
                            </span>
                        }
                    })
                }}
            </Transition>
        </span>
    }
}

const PRODUCTS: &str = "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z";
const USERS: &str = "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0zm15-9a3 3 0 1 0 0-6M22 20a6 6 0 0 0-4-5.6";
const BILLING: &str = "M5 3h14v18l-3-2-2 2-2-2-2 2-2-2-3 2zM8 8h8M8 12h8M8 16h5";
const TOKENS: &str = "M14 10a4 4 0 1 0-3.5 4L9 16H7v2H5v2H2v-3l6.5-6.5A4 4 0 0 0 14 10zM16 8h.01";
const WEBHOOKS: &str =
    "M9 17a3 3 0 1 1-3-3h9M15 7a3 3 0 1 1 3 3l-4.5 7.5M6 14l4.5-7.5A3 3 0 1 1 15 7";
const TRANSFERS: &str = "M4 8h13l-4-4M20 16H7l4 4";

#[component]
fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path/>
        </svg>
    }
}
