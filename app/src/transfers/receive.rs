use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_navigate, use_params_map};
use transfer_rules::{OrganizationId, Warnings};

use super::api::{
    create_organization, decline_transfer, open_transfer_link, receive_transfer, FrozenProduct,
    LinkView, TransferKey,
};
use super::wizard::Conditions;
use super::{
    transfer_products_resource, transfer_warnings_in_browser, use_transfers_changed, KindSummary,
    TransferProducts, TransferWarnings,
};
use crate::dates::LocalDate;
use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::paging::Page;
use crate::resource::{fetched, Fetched};
use crate::session::Membership;
use crate::shell::{use_current_organization, use_organizations};
use crate::ui::{error_text, Loaded, PageTitle};

#[component]
pub fn ReceivePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // A memo: what reads it runs again when the token changes, not whenever the route's
    // parameters are worked out again (the hand-over to the transfer page does that).
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let view_of_link = fetched(move || token.get(), open_transfer_link);
    let key = move || Ok(TransferKey::Link(token.get()));
    let products = transfer_products_resource(key);
    // Once the link opened: one already used or expired has no warnings to ask for. On
    // leaving, the route loses its token before the page goes.
    let warnings = transfer_warnings_in_browser(move || {
        let opened = view_of_link.with(|link| matches!(link, Some(Ok(_))));
        Some(token.get())
            .filter(|token| opened && !token.is_empty())
            .map(TransferKey::Link)
    });
    view! {
        <PageTitle text=move || t_string!(i18n, receive.title).to_string()/>
        // Keeps the link out of Referer headers sent to anything this page loads.
        <Meta name="referrer" content="no-referrer"/>
        <h1>{t!(i18n, receive.title)}</h1>
        <Loaded
            resource=view_of_link
            // Read once per answer: on leaving, the route loses its token before the page
            // goes, and a tracked read would draw the page again for an empty link.
            ok=move |link| view! { <Receive link token=token.get_untracked() products warnings/> }
        />
    }
}

#[component]
fn Receive(
    link: LinkView,
    token: String,
    products: Fetched<Result<Page<FrozenProduct>, AppError>>,
    warnings: Signal<Option<Result<Warnings, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let changed = use_transfers_changed();
    let current = use_current_organization();
    let organizations = use_organizations();
    let destinations = RwSignal::new(link.destinations.clone());
    // The Organization the user is on, when it may receive.
    let chosen = RwSignal::new(
        current
            .get_untracked()
            .filter(|c| link.destinations.iter().any(|m| &m.organization == c)),
    );
    let accepted = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let creating = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let token = StoredValue::new(token);

    let receive = Action::new(move |destination: &OrganizationId| {
        let destination = destination.clone();
        async move { receive_transfer(token.get_value(), destination, true).await }
    });
    let decline =
        Action::new(move |_: &()| async move { decline_transfer(token.get_value()).await });
    let create = Action::new(move |name: &String| {
        let name = name.clone();
        async move { create_organization(name).await }
    });
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if let Some(result) = receive.value().get() {
                match result {
                    Ok(received) => {
                        current.choose(received.destination);
                        changed.notify();
                        navigate(
                            &format!("/transfers/{}?received", received.transfer),
                            Default::default(),
                        );
                    }
                    Err(error) => failure.set(Some(error_text(i18n, &error))),
                }
            }
        }
    });
    let declined = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(result) = decline.value().get() {
            match result {
                Ok(()) => {
                    declined.set(true);
                    changed.notify();
                }
                Err(error) => failure.set(Some(error_text(i18n, &error))),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(membership) => {
                    let id = membership.organization.clone();
                    organizations.0.update(|list| list.push(membership.clone()));
                    destinations.update(|list| list.push(membership));
                    chosen.set(Some(id));
                    creating.set(false);
                    new_name.set(String::new());
                }
                Err(error) => failure.set(Some(error_text(i18n, &error))),
            }
        }
    });
    let ready = move || chosen.with(Option::is_some) && accepted.get();
    let busy = move || receive.pending().get() || decline.pending().get();

    view! {
        <Show
            when=move || !declined.get()
            fallback=move || view! { <p class="notice" role="status">{t!(i18n, receive.declined)}</p> }.into_erased()
        >
            {view! {
                <section class="card">
                    <p>
                        {t!(i18n, receive.from)} " " <strong>{link.source_name.clone()}</strong>
                    </p>
                    // A look-alike name cannot copy these: check them against what the sender says.
                    <p class="muted">
                        {t!(i18n, receive.source_id)} " " <code>{link.source.to_string()}</code> ", "
                        {t!(i18n, receive.source_since)} " " <LocalDate millis=link.source_since.as_millis()/>
                    </p>
                    <KindSummary kinds=link.kinds.clone()/>
                    <TransferProducts products path=format!("/receive/{}", token.get_value())/>
                    <p class="muted">
                        {t!(i18n, receive.expires)} " " <LocalDate millis=link.expires_at.as_millis()/>
                    </p>
                </section>
                <TransferWarnings warnings/>
                <section class="card">
                    <label for="destination">{t!(i18n, receive.destination)}</label>
                    <div class="destination-row">
                        <select
                            id="destination"
                            on:change=move |event| {
                                chosen.set(OrganizationId::parse(&event_target_value(&event)).ok())
                            }
                        >
                            <option value="" selected=move || chosen.with(Option::is_none)>
                                {t!(i18n, receive.choose)}
                            </option>
                            <For
                                each=move || destinations.get()
                                key=|m: &Membership| m.organization.clone()
                                children=move |m: Membership| {
                                    let id = m.organization.clone();
                                    view! {
                                        <option
                                            value=m.organization.to_string()
                                            selected=move || chosen.get().as_ref() == Some(&id)
                                        >
                                            {m.name}
                                        </option>
                                    }
                                }
                            />
                        </select>
                        <button
                            type="button"
                            aria-expanded=move || creating.get().to_string()
                            // Only names the form while it exists.
                            aria-controls=move || creating.get().then_some("new-organization-form")
                            on:click=move |_| creating.update(|c| *c = !*c)
                        >
                            {t!(i18n, receive.create)}
                        </button>
                    </div>
                    <Show when=move || creating.get()>
                        {view! {
                            <form id="new-organization-form" class="inline-form" on:submit=move |event| {
                                event.prevent_default();
                                create.dispatch(new_name.get_untracked());
                            }>
                                <label for="new-organization">{t!(i18n, receive.new_name)}</label>
                                <input
                                    id="new-organization"
                                    required
                                    maxlength="100"
                                    prop:value=move || new_name.get()
                                    on:input=move |event| new_name.set(event_target_value(&event))
                                />
                                <button type="submit">{t!(i18n, receive.create_submit)}</button>
                            </form>
                        }
                        .into_erased()}
                    </Show>
                    {move || destinations.with(Vec::is_empty).then(|| view! {
                        <p class="muted">{t!(i18n, receive.no_destination)}</p>
                    })}
                    <Conditions accepted/>
                    {move || failure.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <div class="actions">
                        <button
                            type="button"
                            class="primary"
                            aria-describedby="receive-hint"
                            disabled=move || !ready() || busy()
                            on:click=move |_| {
                                if let Some(destination) = chosen.get_untracked() {
                                    receive.dispatch(destination);
                                }
                            }
                        >
                            {t!(i18n, receive.submit)}
                        </button>
                        <button type="button" class="danger" disabled=busy on:click=move |_| { decline.dispatch(()); }>
                            {t!(i18n, receive.decline)}
                        </button>
                        <span id="receive-hint" class="muted">
                            {move || {
                                if chosen.with(Option::is_none) {
                                    Some(t_string!(i18n, receive.need_destination))
                                } else if !accepted.get() {
                                    Some(t_string!(i18n, receive.need_conditions))
                                } else {
                                    None
                                }
                            }}
                        </span>
                    </div>
                </section>
            }
            .into_erased()}
        </Show>
    }
}
