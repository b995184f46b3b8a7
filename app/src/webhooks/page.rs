//! The `Webhooks` page: register an endpoint (its signing secret shown once), list and
//! remove endpoints, and read the delivery log, sending any delivery again.

use leptos::prelude::*;
use leptos_router::components::A;
use transfer_rules::{WebhookEndpointId, WebhookEvent};

use super::{
    create_webhook_endpoint, delete_webhook_endpoint, list_webhook_deliveries,
    list_webhook_endpoints, resend_webhook, CreatedWebhookEndpoint, DeliveryState, WebhookDelivery,
    WebhookEndpointSummary, MAX_WEBHOOK_URL_CHARS,
};
use crate::dates::LocalDate;
use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::shell::{organization_action, organization_list_resource};
use crate::ui::{error_text, refresh_after, Breakable, CellLabel, Loaded, PageTitle, ShownOnce};

fn event_description(i18n: leptos_i18n::I18nContext<Locale>, event: WebhookEvent) -> &'static str {
    match event {
        WebhookEvent::TransferCreated => t_string!(i18n, webhooks.event_created),
        WebhookEvent::TransferCompleted => t_string!(i18n, webhooks.event_completed),
        WebhookEvent::TransferCancelled => t_string!(i18n, webhooks.event_cancelled),
        WebhookEvent::TransferDeclined => t_string!(i18n, webhooks.event_declined),
        WebhookEvent::TransferExpired => t_string!(i18n, webhooks.event_expired),
    }
}

fn state_text(i18n: leptos_i18n::I18nContext<Locale>, state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => t_string!(i18n, webhooks.pending),
        DeliveryState::Delivered => t_string!(i18n, webhooks.delivered),
        DeliveryState::Failed => t_string!(i18n, webhooks.failed),
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0_u32);
    let endpoints = organization_list_resource(refresh, list_webhook_endpoints);
    let deliveries = organization_list_resource(refresh, list_webhook_deliveries);
    let created = RwSignal::new(None::<CreatedWebhookEndpoint>);
    let problem = RwSignal::new(None::<AppError>);
    view! {
        <PageTitle text=move || t_string!(i18n, webhooks.title).to_string()/>
        <h1>{t!(i18n, webhooks.title)}</h1>
        <p class="muted">{t!(i18n, webhooks.intro)}</p>
        <CreateForm refresh created problem/>
        {move || problem.get().map(|error| view! {
            <p class="error" role="alert">{error_text(i18n, &error)}</p>
        })}
        {move || created.get().map(|endpoint| view! {
            <ShownOnce
                heading=move || t_string!(i18n, webhooks.created)
                note=move || t_string!(i18n, webhooks.shown_once)
                label=move || t_string!(i18n, webhooks.secret)
                secret=endpoint.secret
            />
        })}
        <h2>{t!(i18n, webhooks.endpoints)}</h2>
        <Loaded
            resource=endpoints
            ok=move |list| view! { <EndpointTable list refresh problem/> }
        />
        <div class="section-heading">
            <h2>{t!(i18n, webhooks.deliveries)}</h2>
            <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>
                {t!(i18n, webhooks.refresh)}
            </button>
        </div>
        <Loaded
            resource=deliveries
            ok=move |list| view! { <DeliveryTable list refresh problem/> }
        />
    }
}

#[component]
fn CreateForm(
    refresh: RwSignal<u32>,
    created: RwSignal<Option<CreatedWebhookEndpoint>>,
    problem: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(WebhookEvent::ALL.to_vec());
    let create = organization_action(|organization, (url, events)| {
        create_webhook_endpoint(organization, url, events)
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(endpoint)) => {
            created.set(Some(endpoint));
            problem.set(None);
            url.set(String::new());
            refresh.update(|n| *n += 1);
        }
        Some(Err(error)) => {
            created.set(None);
            problem.set(Some(error));
        }
        None => {}
    });
    view! {
        <form class="card token-form" on:submit=move |event| {
            event.prevent_default();
            create.dispatch((url.get_untracked(), events.get_untracked()));
        }>
            <h2>{t!(i18n, webhooks.create_heading)}</h2>
            <label for="webhook-url">{t!(i18n, webhooks.url)}</label>
            <input
                id="webhook-url"
                type="url"
                required
                placeholder="https://"
                maxlength=MAX_WEBHOOK_URL_CHARS
                prop:value=move || url.get()
                on:input=move |event| url.set(event_target_value(&event))
            />
            <fieldset>
                <legend>{t!(i18n, webhooks.events)}</legend>
                {WebhookEvent::ALL.into_iter().map(|event| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || events.with(|chosen| chosen.contains(&event))
                            on:change=move |change| {
                                let on = event_target_checked(&change);
                                events.update(|chosen| {
                                    chosen.retain(|e| *e != event);
                                    if on {
                                        chosen.push(event);
                                    }
                                });
                            }
                        />
                        // One run of text beside the box, wrapping under itself.
                        <span>
                            <code>{event.as_str()}</code>
                            " — "
                            {move || event_description(i18n, event)}
                        </span>
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary" disabled=move || create.pending().get()>
                {t!(i18n, webhooks.create)}
            </button>
        </form>
    }
}

#[component]
fn EndpointTable(
    list: Vec<WebhookEndpointSummary>,
    refresh: RwSignal<u32>,
    problem: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let remove = organization_action(delete_webhook_endpoint);
    refresh_after(remove, refresh, problem);
    if list.is_empty() {
        return view! { <p class="empty">{t!(i18n, webhooks.no_endpoints)}</p> }.into_erased();
    }
    view! {
        <table class="list cards">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, webhooks.url)}</th>
                    <th scope="col">{t!(i18n, webhooks.events)}</th>
                    <th scope="col">{t!(i18n, webhooks.creator)}</th>
                    <th scope="col">{t!(i18n, webhooks.added)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, webhooks.actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|endpoint| {
                    let id = endpoint.id.clone();
                    let url = endpoint.url.clone();
                    view! {
                        <tr>
                            <td><code><Breakable text=endpoint.url.clone()/></code></td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.events)/>
                                {endpoint.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.creator)/>
                                {endpoint.creator.clone()}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.added)/>
                                <LocalDate millis=endpoint.created_at.as_millis()/>
                            </td>
                            <td>
                                <button
                                    type="button"
                                    class="danger"
                                    aria-label=move || format!("{} — {url}", t_string!(i18n, webhooks.remove))
                                    disabled=move || remove.pending().get()
                                    on:click=move |_| { remove.dispatch(id.clone()); }
                                >
                                    {t!(i18n, webhooks.remove)}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_erased()
}

#[component]
fn DeliveryTable(
    list: Vec<WebhookDelivery>,
    refresh: RwSignal<u32>,
    problem: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let resend = organization_action(
        |organization, (endpoint, event): (WebhookEndpointId, String)| {
            resend_webhook(organization, endpoint, event)
        },
    );
    refresh_after(resend, refresh, problem);
    if list.is_empty() {
        return view! { <p class="empty">{t!(i18n, webhooks.no_deliveries)}</p> }.into_erased();
    }
    view! {
        <table class="list cards">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, webhooks.event)}</th>
                    <th scope="col">{t!(i18n, webhooks.transfer)}</th>
                    <th scope="col">{t!(i18n, webhooks.url)}</th>
                    <th scope="col">{t!(i18n, webhooks.state)}</th>
                    <th scope="col">{t!(i18n, webhooks.attempts)}</th>
                    <th scope="col">{t!(i18n, webhooks.last_attempt)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, webhooks.actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|delivery| {
                    let key = (delivery.endpoint.clone(), delivery.event_id.clone());
                    let described = format!("{} {} → {}", delivery.event, delivery.event_id, delivery.endpoint_url);
                    let state = delivery.state;
                    let answered = delivery.last_status.map(|status| format!(" (HTTP {status})"));
                    view! {
                        <tr>
                            <td><code>{delivery.event.as_str()}</code></td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.transfer)/>
                                <A href=format!("/transfers/{}", delivery.transfer)>{delivery.transfer.to_string()}</A>
                            </td>
                            <td><code><Breakable text=delivery.endpoint_url.clone()/></code></td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.state)/>
                                {move || state_text(i18n, state)}{answered}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.attempts)/>
                                {delivery.attempts}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, webhooks.last_attempt)/>
                                {delivery.last_attempt_at.map(|at| view! { <LocalDate millis=at.as_millis()/> })}
                            </td>
                            <td>
                                <button
                                    type="button"
                                    aria-label=move || format!("{} — {described}", t_string!(i18n, webhooks.send_again))
                                    disabled=move || resend.pending().get() || state == DeliveryState::Pending
                                    on:click=move |_| { resend.dispatch(key.clone()); }
                                >
                                    {t!(i18n, webhooks.send_again)}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_erased()
}
