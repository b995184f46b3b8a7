use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use transfer_rules::{TransferId, TransferStatus, Warnings};

use super::api::{
    cancel_transfer, email_transfer_link, get_transfer, transfer_to_organization, FrozenProduct,
    TransferDetail, TransferKey,
};
use super::wizard::Conditions;
use super::{
    event_label, transfer_products_resource, transfer_warnings_in_browser, use_transfers_changed,
    KindSummary, StatusBadge, TransferProducts, TransferWarnings,
};
use crate::dates::{LocalDate, LocalDateTime};
use crate::erased::IntoErased;
use crate::error::{AppError, InputProblem};
use crate::i18n::*;
use crate::paging::Page;
use crate::resource::{fetched, Fetched};
use crate::ui::{error_text, Loaded, PageTitle, LANGUAGES};
use leptos_i18n::Locale as _;

#[component]
pub fn TransferPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let changed = use_transfers_changed();
    // Outlives the refetch each action triggers, so its message stays on screen. The
    // receive page comes here when it has received, and that is said first.
    let received = query.with_untracked(|query| query.get("received").is_some());
    let outcome = RwSignal::new(
        received.then(|| Ok::<_, String>(t_string!(i18n, detail.received).to_string())),
    );
    // An email's outcome is told beside its address field, where the eye is.
    let emailed = RwSignal::new(None);
    let id = move || {
        TransferId::parse(&params.read().get("id").unwrap_or_default())
            .map_err(|_| AppError::Invalid(InputProblem::Identifier))
    };
    let transfer = fetched(
        move || (id(), changed.0.get()),
        |(id, _)| async move { get_transfer(id?).await },
    );
    let key = move || {
        changed.0.track();
        id().map(TransferKey::Id)
    };
    let products = transfer_products_resource(key);
    // Asked for each time the transfer is read anew, and only while it is open.
    let warnings = transfer_warnings_in_browser(move || {
        transfer.with(|loaded| match loaded {
            Some(Ok(detail)) if detail.status == TransferStatus::InProgress => {
                Some(TransferKey::Id(detail.id.clone()))
            }
            _ => None,
        })
    });
    view! {
        <Loaded
            resource=transfer
            ok=move |detail| view! { <Detail detail outcome emailed products warnings/> }
            whole_page=true
        />
    }
}

#[component]
fn Detail(
    detail: TransferDetail,
    outcome: RwSignal<Option<Outcome>>,
    emailed: RwSignal<Option<Outcome>>,
    products: Fetched<Result<Page<FrozenProduct>, AppError>>,
    warnings: Signal<Option<Result<Warnings, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let changed = use_transfers_changed();
    let id = detail.id.clone();
    let report = move |to: RwSignal<Option<Outcome>>, result: Result<String, AppError>| {
        to.set(Some(result.map_err(|error| error_text(i18n, &error))));
    };
    let cancel = Action::new({
        let id = id.clone();
        move |_: &()| {
            let id = id.clone();
            async move { cancel_transfer(id).await }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = cancel.value().get() {
            report(
                outcome,
                result.map(|_| t_string!(i18n, detail.cancelled).to_string()),
            );
            changed.notify();
        }
    });
    // Whoever started the transfer accepted the conditions then; anyone else accepts them
    // here, for the receiving Organization.
    let accepted = RwSignal::new(detail.conditions_accepted);
    let direct = Action::new({
        let id = id.clone();
        move |destination: &transfer_rules::OrganizationId| {
            let (id, destination) = (id.clone(), destination.clone());
            let accepted = accepted.get_untracked();
            async move { transfer_to_organization(id, destination, accepted).await }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = direct.value().get() {
            report(
                outcome,
                result.map(|_| t_string!(i18n, detail.moved).to_string()),
            );
            changed.notify();
        }
    });
    let email = RwSignal::new(String::new());
    // An outside address gets the sender's language unless they pick another; a known
    // user's own choice wins on the server.
    let language = RwSignal::new(i18n.get_locale_untracked().as_str().to_string());
    let send = Action::new({
        let id = id.clone();
        move |(address, language): &(String, String)| {
            let (id, address, language) = (id.clone(), address.clone(), language.clone());
            async move { email_transfer_link(id, address, Some(language)).await }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            if result.is_ok() {
                email.set(String::new());
            }
            report(
                emailed,
                result.map(|_| t_string!(i18n, detail.email_sent).to_string()),
            );
            changed.notify();
        }
    });
    let copied = RwSignal::new(false);
    let link = detail.link.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let (Some(link), Some(window)) = (link.clone(), web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&link);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &link;
        copied.set(true);
    };
    let status = detail.status;
    view! {
        <PageTitle text=move || t_string!(i18n, detail.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, detail.title)}</h1>
            <StatusBadge status/>
        </div>
        <KindSummary kinds=detail.kinds.clone()/>
        <OutcomeMessage outcome/>
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, detail.from)}</dt>
                <dd>{detail.source_name.clone()}</dd>
                <dt>{t!(i18n, detail.to)}</dt>
                <dd>{detail.destination_name.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, detail.started)}</dt>
                <dd><LocalDate millis=detail.created_at.as_millis()/></dd>
                {(status == TransferStatus::InProgress).then(|| view! {
                    <dt>{t!(i18n, detail.expires)}</dt>
                    <dd><LocalDate millis=detail.expires_at.as_millis()/></dd>
                })}
                {detail.closed_at.map(|closed| view! {
                    <dt>{t!(i18n, detail.closed)}</dt>
                    <dd><LocalDate millis=closed.as_millis()/></dd>
                })}
            </dl>
            <h2>{t!(i18n, detail.products)}</h2>
            <TransferProducts products path=format!("/transfers/{id}")/>
        </section>
        {(status == TransferStatus::InProgress).then(|| view! { <TransferWarnings warnings/> })}
        {detail.link.clone().map(|link| view! {
            <section class="card share" aria-labelledby="share-heading">
                <h2 id="share-heading">{t!(i18n, detail.share)}</h2>
                <p class="muted">{t!(i18n, detail.share_intro)}</p>
                <div class="link-row">
                    <input
                        readonly
                        aria-label=move || t_string!(i18n, detail.link)
                        value=link
                        on:focus=|event| {
                            #[cfg(feature = "hydrate")]
                            {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = event;
                        }
                    />
                    <button type="button" class="primary" on:click=copy.clone()>{t!(i18n, detail.copy)}</button>
                    <span role="status">{move || copied.get().then(|| t_string!(i18n, detail.copied))}</span>
                </div>
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    send.dispatch((email.get_untracked(), language.get_untracked()));
                }>
                    <label for="recipient">{t!(i18n, detail.email_label)}</label>
                    <input
                        id="recipient"
                        type="email"
                        required
                        prop:value=move || email.get()
                        on:input=move |event| email.set(event_target_value(&event))
                    />
                    <label for="email-language">{t!(i18n, email.language)}</label>
                    <select
                        id="email-language"
                        on:change=move |event| language.set(event_target_value(&event))
                    >
                        {LANGUAGES.iter().map(|(locale, name)| {
                            let code = locale.as_str();
                            view! {
                                <option value=code lang=code selected=move || language.get() == code>{*name}</option>
                            }
                        }).collect_view()}
                    </select>
                    <button type="submit" disabled=move || send.pending().get()>{t!(i18n, detail.send)}</button>
                </form>
                <OutcomeMessage outcome=emailed/>
                {(!detail.direct_destinations.is_empty()).then(|| view! {
                    <h3>{t!(i18n, detail.direct)}</h3>
                    {(!detail.conditions_accepted).then(|| view! {
                        <Conditions accepted/>
                        <p id="direct-hint" class="muted">
                            {move || (!accepted.get()).then(|| t_string!(i18n, receive.need_conditions))}
                        </p>
                    })}
                    <ul class="plain destinations">
                        {detail.direct_destinations.iter().map(|membership| {
                            let destination = membership.organization.clone();
                            let name = membership.name.clone();
                            view! {
                                <li>
                                    <span>{membership.name.clone()}</span>
                                    // One button per Organization: the name tells them apart.
                                    <button
                                        type="button"
                                        aria-label=move || format!("{} — {name}", t_string!(i18n, detail.direct_button))
                                        aria-describedby=(!detail.conditions_accepted).then_some("direct-hint")
                                        disabled=move || direct.pending().get() || !accepted.get()
                                        on:click=move |_| { direct.dispatch(destination.clone()); }
                                    >
                                        {t!(i18n, detail.direct_button)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </section>
        })}
        {detail.can_cancel.then(|| view! { <CancelTransfer cancel/> })}
        <section class="card">
            <h2>{t!(i18n, detail.history)}</h2>
            <ol class="history">
                {detail.events.into_iter().map(|event| {
                    let kind = event.kind;
                    let who = [event.actor, event.organization].into_iter().flatten().collect::<Vec<_>>().join(", ");
                    view! {
                        <li>
                            <LocalDateTime millis=event.at.as_millis()/>
                            " "
                            <strong>{move || event_label(i18n, kind)}</strong>
                            {event.detail.map(|detail| format!(" {detail}"))}
                            {(!who.is_empty()).then(|| format!(" — {who}"))}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What an action came to: a notice, or an error read out at once.
type Outcome = Result<String, String>;

#[component]
fn OutcomeMessage(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    move || {
        outcome.get().map(|result| match result {
            Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_erased(),
            Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_erased(),
        })
    }
}

/// Cancelling tells everyone the link was emailed to: it is asked once more, the safe
/// answer in focus.
#[component]
fn CancelTransfer(cancel: Action<(), Result<(), AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let keep = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(keep) = keep.get() {
            let _ = keep.focus();
        }
    });
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <div class="actions">
                    <button type="button" class="danger" on:click=move |_| asking.set(true)>
                        {t!(i18n, detail.cancel)}
                    </button>
                </div>
            }
            .into_erased()
        >
            {view! {
                <div class="actions confirm" role="group" aria-labelledby="cancel-question">
                    <p id="cancel-question">{t!(i18n, detail.cancel_question)}</p>
                    <button type="button" node_ref=keep on:click=move |_| asking.set(false)>
                        {t!(i18n, detail.cancel_keep)}
                    </button>
                    <button
                        type="button"
                        class="danger"
                        disabled=move || cancel.pending().get()
                        on:click=move |_| { cancel.dispatch(()); }
                    >
                        {t!(i18n, detail.cancel_confirm)}
                    </button>
                </div>
            }
            .into_erased()}
        </Show>
    }
}
