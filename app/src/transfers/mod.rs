//! Product transfers between Organizations: the list, the wizard, a transfer's page and
//! the page a transfer link opens.

pub mod api;
mod detail;
pub mod live;
mod receive;
mod warnings;
mod wizard;

pub use detail::TransferPage;
pub use receive::ReceivePage;
pub use wizard::NewTransferPage;

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use transfer_rules::{Timestamp, TransferEventKind, TransferStatus, Warnings};

use crate::dates::LocalDate;
use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::paging::{href_with, page_href, page_param, Page, Pager};
use crate::resource::{fetched, Fetched};
use crate::shell::{use_current_organization, use_organizations};
use crate::ui::{
    fetch_in_browser, fill_all, format_count, kind_label, KindIcon, Loaded, LoadedInBrowser,
    PageTitle,
};
use api::{
    get_transfer_warnings, list_transfer_products, list_transfers, Direction, KindCounts,
    TransferFilter, TransferKey, TransferSummary,
};
use warnings::{product_count, WarningsReport, WarningsSection};

/// Bumped after every transfer action, so the sidebar badge and lists refresh in place.
#[derive(Clone, Copy)]
pub struct TransfersChanged(pub RwSignal<u32>);

impl TransfersChanged {
    pub fn notify(&self) {
        self.0.update(|version| *version += 1);
    }
}

pub fn use_transfers_changed() -> TransfersChanged {
    expect_context::<TransfersChanged>()
}

pub fn status_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: TransferStatus,
) -> &'static str {
    match status {
        TransferStatus::InProgress => t_string!(i18n, status.in_progress),
        TransferStatus::Completed => t_string!(i18n, status.completed),
        TransferStatus::Cancelled => t_string!(i18n, status.cancelled),
        TransferStatus::Declined => t_string!(i18n, status.declined),
        TransferStatus::Expired => t_string!(i18n, status.expired),
    }
}

pub fn event_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: TransferEventKind,
) -> &'static str {
    match kind {
        TransferEventKind::Created => t_string!(i18n, events.created),
        TransferEventKind::LinkEmailed => t_string!(i18n, events.link_emailed),
        TransferEventKind::Completed => t_string!(i18n, events.completed),
        TransferEventKind::Cancelled => t_string!(i18n, events.cancelled),
        TransferEventKind::Declined => t_string!(i18n, events.declined),
        TransferEventKind::Expired => t_string!(i18n, events.expired),
        TransferEventKind::EmailFailed => t_string!(i18n, events.email_failed),
        TransferEventKind::Notified => t_string!(i18n, events.notified),
    }
}

#[component]
pub fn StatusBadge(status: TransferStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("status status-{}", status.as_str())>
            {move || status_label(i18n, status)}
        </span>
    }
}

/// Milliseconds since the epoch, now, on either side.
pub fn now() -> Timestamp {
    #[cfg(feature = "hydrate")]
    let millis = js_sys::Date::now() as i64;
    #[cfg(not(feature = "hydrate"))]
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default();
    Timestamp::from_millis(millis)
}

/// How many products of each kind: "2,000 products: 1,000 kDrive, 1,000 Domain".
#[component]
pub fn KindSummary(kinds: KindCounts) -> impl IntoView {
    let i18n = use_i18n();
    let total: u64 = kinds.iter().map(|(_, n)| n).sum();
    view! {
        <p class="kind-summary">
            <strong>{move || product_count(i18n, total as usize)}</strong>
            {kinds
                .into_iter()
                .map(|(kind, n)| {
                    view! {
                        <span class="kind-count">
                            <KindIcon kind/>
                            {move || format!("{} {}", format_count(i18n, n), kind_label(i18n, kind))}
                        </span>
                    }
                })
                .collect_view()}
        </p>
    }
}

/// A page of a transfer's frozen products, the page number read from the URL. Created
/// by the page itself, outside any `Transition`, as resources must be.
pub fn transfer_products_resource(
    key: impl Fn() -> Result<TransferKey, AppError> + Send + Sync + 'static,
) -> Fetched<Result<Page<api::FrozenProduct>, AppError>> {
    let query = use_query_map();
    fetched(
        move || (key(), page_param(query.read().get("page"))),
        |(key, page)| async move { list_transfer_products(key?, Some(page), None).await },
    )
}

/// A transfer's frozen products, a page at a time; each page has its URL under `path`.
#[component]
pub fn TransferProducts(
    products: Fetched<Result<Page<api::FrozenProduct>, AppError>>,
    path: String,
) -> impl IntoView {
    let path = StoredValue::new(path);
    view! {
        <Loaded
            resource=products
            ok={move |list: Page<api::FrozenProduct>| {
                let position = list.position();
                view! {
                    <ul class="plain">
                        {list
                            .items
                            .into_iter()
                            .map(|product| {
                                let kind = product.kind;
                                view! { <li><KindIcon kind/><span>{product.name}</span></li> }
                            })
                            .collect_view()}
                    </ul>
                    {(position.pages > 1).then(|| view! {
                        <Pager position href=move |page| path.with_value(|path| page_href(path, page))
                        />
                    })}
                }
            }}
        />
    }
}

/// What receiving an open transfer changes now. Fetched by the browser: for a large
/// transfer it is far more than the page's HTML should carry. Asked for only while `key`
/// names a transfer known to be open: a closed one has nothing left to warn of, and asking
/// would fail. While it is asked again, the last answer stays on screen.
pub fn transfer_warnings_in_browser(
    key: impl Fn() -> Option<TransferKey> + 'static,
) -> Signal<Option<Result<Warnings, AppError>>> {
    let fetched = fetch_in_browser(move || {
        let key = key();
        async move {
            match key {
                Some(key) => Some(get_transfer_warnings(key).await),
                None => None,
            }
        }
    });
    Signal::derive(move || fetched.get().flatten())
}

/// The warnings of an open transfer, grouped.
#[component]
pub fn TransferWarnings(warnings: Signal<Option<Result<Warnings, AppError>>>) -> impl IntoView {
    view! {
        <WarningsSection>
            {view! { <LoadedInBrowser data=warnings ok=|warnings| view! { <WarningsReport warnings/> }/> }
                .into_erased()}
        </WarningsSection>
    }
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let changed = use_transfers_changed();
    let organizations = use_organizations();
    let navigate = use_navigate();
    let query = use_query_map();
    let may_send = move || {
        current
            .get()
            .is_some_and(|organization| organizations.administers(&organization))
    };
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let filter = Memo::new(move |_| {
        (query.read().get("status"))
            .and_then(|code| TransferFilter::parse(&code))
            .unwrap_or_default()
    });
    let page = Memo::new(move |_| page_param(query.read().get("page")));
    let transfers = fetched(
        move || {
            (
                current.get(),
                changed.0.get(),
                search.get(),
                filter.get(),
                page.get(),
            )
        },
        |(organization, _, search, filter, page)| async move {
            match organization {
                Some(organization) => {
                    list_transfers(organization, Some(search), Some(filter), Some(page), None).await
                }
                None => Ok(Page::default()),
            }
        },
    );
    let address = move |filter: TransferFilter, page: u32| {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        href_with(
            "/transfers",
            &[
                ("q", &search.get_untracked()),
                (
                    "status",
                    if filter == TransferFilter::All {
                        ""
                    } else {
                        filter.as_str()
                    },
                ),
                ("page", &page),
            ],
        )
    };
    let filter_link = move |value: TransferFilter, label: &'static str| {
        view! {
            <a
                class="filter"
                href=move || address(value, 1)
                aria-current=move || (filter.get() == value).then_some("true")
            >
                {label}
            </a>
        }
    };
    view! {
        <PageTitle text=move || t_string!(i18n, transfers.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, transfers.title)}</h1>
            <Show when=may_send>
                {view! {
                    <button
                        type="button"
                        class="primary"
                        on:click={
                            let navigate = navigate.clone();
                            move |_| navigate("/transfers/new", Default::default())
                        }
                    >
                        {t!(i18n, transfers.start)}
                    </button>
                }
                .into_erased()}
            </Show>
        </div>
        <Show
            when=may_send
            fallback=move || view! { <p class="empty">{t!(i18n, transfers.admins_only)}</p> }.into_erased()
        >
            {view! {
                <nav class="filters" aria-label=move || t_string!(i18n, transfers.filter)>
                    {move || filter_link(TransferFilter::InProgress, t_string!(i18n, status.in_progress))}
                    {move || filter_link(TransferFilter::Completed, t_string!(i18n, status.completed))}
                    {move || filter_link(TransferFilter::All, t_string!(i18n, transfers.all))}
                </nav>
                <Form method="GET" action="/transfers">
                    {view! {
                        <div class="toolbar" role="search">
                            <label for="transfers-search">{t!(i18n, transfers.search)}</label>
                            <input id="transfers-search" type="search" name="q" maxlength="100" prop:value=move || search.get()/>
                            {move || (filter.get() != TransferFilter::All).then(|| view! {
                                <input type="hidden" name="status" value=filter.get().as_str()/>
                            })}
                            <button type="submit">{t!(i18n, transfers.search_submit)}</button>
                        </div>
                    }
                    .into_erased()}
                </Form>
                <Loaded
                    resource=transfers
                    ok={move |list: Page<TransferSummary>| {
                        if list.total == 0 {
                            return view! { <p class="empty">{t!(i18n, transfers.empty)}</p> }.into_erased();
                        }
                        let position = list.position();
                        let shown_filter = filter.get_untracked();
                        view! {
                            <TransferTable transfers=list.items/>
                            <Pager position href=move |page| address(shown_filter, page)/>
                        }
                            .into_erased()
                    }}
                />
            }
            .into_erased()}
        </Show>
    }
}

/// A transfer's products as the list names them: the first few, then how many more.
fn products_label(i18n: leptos_i18n::I18nContext<Locale>, transfer: &TransferSummary) -> String {
    let names = transfer.products.join(", ");
    let more = transfer
        .product_count
        .saturating_sub(transfer.products.len() as u64);
    if more == 0 {
        names
    } else {
        fill_all(
            t_string!(i18n, transfers.and_more),
            &[("names", &names), ("n", &format_count(i18n, more))],
        )
    }
}

#[component]
fn TransferTable(transfers: Vec<TransferSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="list cards transfer-list">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, transfers.products)}</th>
                    <th scope="col">{t!(i18n, transfers.direction)}</th>
                    <th scope="col">{t!(i18n, transfers.other)}</th>
                    <th scope="col">{t!(i18n, transfers.status)}</th>
                    <th scope="col">{t!(i18n, transfers.started)}</th>
                </tr>
            </thead>
            <tbody>
                {transfers
                    .into_iter()
                    .map(|transfer| {
                        let direction = transfer.direction;
                        let label = {
                            let transfer = transfer.clone();
                            move || products_label(i18n, &transfer)
                        };
                        view! {
                            <tr>
                                <td class="products">
                                    <a href=format!("/transfers/{}", transfer.id)>{label}</a>
                                </td>
                                <td class="direction">
                                    {move || match direction {
                                        Direction::Outgoing => t_string!(i18n, transfers.outgoing),
                                        Direction::Incoming => t_string!(i18n, transfers.incoming),
                                    }}
                                </td>
                                <td class="other">{transfer.other_organization.unwrap_or_else(|| "—".into())}</td>
                                <td class="state">
                                    <StatusBadge status=transfer.status/>
                                </td>
                                <td class="started"><LocalDate millis=transfer.created_at.as_millis()/></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
