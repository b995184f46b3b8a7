//! Product transfers between Organizations: the list, the wizard, a transfer's page and
//! the page a transfer link opens.

pub mod api;
mod detail;
mod receive;
mod warnings;
mod wizard;

pub use detail::TransferPage;
pub use receive::ReceivePage;
pub use wizard::NewTransferPage;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use transfer_rules::{Timestamp, TransferEventKind, TransferStatus};

use crate::i18n::*;
use crate::shell::{use_current_organization, use_organizations};
use crate::ui::{format_date, KindIcon, Loaded, PageTitle};
use api::{list_transfers, Direction, TransferSummary};

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

#[component]
pub fn FrozenProductList(products: Vec<api::FrozenProduct>) -> impl IntoView {
    view! {
        <ul class="plain">
            {products
                .into_iter()
                .map(|product| {
                    let kind = product.kind;
                    view! { <li><KindIcon kind/>{product.name}</li> }
                })
                .collect_view()}
        </ul>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    InProgress,
    Completed,
    All,
}

impl Filter {
    fn keeps(self, status: TransferStatus) -> bool {
        match self {
            Filter::InProgress => status == TransferStatus::InProgress,
            Filter::Completed => status == TransferStatus::Completed,
            Filter::All => true,
        }
    }
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let changed = use_transfers_changed();
    let organizations = use_organizations();
    let navigate = use_navigate();
    let may_send = move || {
        current
            .get()
            .is_some_and(|organization| organizations.administers(&organization))
    };
    let transfers = Resource::new(
        move || (current.get(), changed.0.get()),
        |(organization, _)| async move {
            match organization {
                Some(organization) => list_transfers(organization).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let filter = RwSignal::new(Filter::All);
    let filter_button = move |value: Filter, label: &'static str| {
        view! {
            <button
                type="button"
                aria-pressed=move || (filter.get() == value).to_string()
                on:click=move |_| filter.set(value)
            >
                {label}
            </button>
        }
    };
    view! {
        <PageTitle text=move || t_string!(i18n, transfers.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, transfers.title)}</h1>
            <Show when=may_send>
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
            </Show>
        </div>
        <Show
            when=may_send
            fallback=move || view! { <p class="empty">{t!(i18n, transfers.admins_only)}</p> }
        >
            <div class="filters" role="group" aria-label=move || t_string!(i18n, transfers.filter)>
                {move || filter_button(Filter::InProgress, t_string!(i18n, status.in_progress))}
                {move || filter_button(Filter::Completed, t_string!(i18n, status.completed))}
                {move || filter_button(Filter::All, t_string!(i18n, transfers.all))}
            </div>
            <Loaded
                resource=transfers
                ok={move |list: Vec<TransferSummary>| {
                    let shown: Vec<_> = list
                        .into_iter()
                        .filter(|t| filter.get().keeps(t.status))
                        .collect();
                    if shown.is_empty() {
                        view! { <p class="empty">{t!(i18n, transfers.empty)}</p> }.into_any()
                    } else {
                        view! { <TransferTable transfers=shown/> }.into_any()
                    }
                }}
            />
        </Show>
    }
}

#[component]
fn TransferTable(transfers: Vec<TransferSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="list">
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
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("/transfers/{}", transfer.id)>
                                        {transfer.products.join(", ")}
                                    </a>
                                </td>
                                <td>
                                    {move || match direction {
                                        Direction::Outgoing => t_string!(i18n, transfers.outgoing),
                                        Direction::Incoming => t_string!(i18n, transfers.incoming),
                                    }}
                                </td>
                                <td>{transfer.other_organization.unwrap_or_else(|| "—".into())}</td>
                                <td>
                                    <StatusBadge status=transfer.status/>
                                </td>
                                <td>{format_date(transfer.created_at.as_millis())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
