use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use transfer_rules::{
    plan_transfer, transferability, Limits, ProductId, SenderSnapshot, TransferPlan,
};

use super::api::{get_sender_snapshot, start_transfer};
use super::warnings::WarningsList;
use super::{now, use_transfers_changed};
use crate::i18n::*;
use crate::shell::use_current_organization;
use crate::ui::{error_text, fill, kind_label, not_transferable_text, KindIcon, Loaded, PageTitle};

#[component]
pub fn NewTransferPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    let snapshot = Resource::new(
        move || current.get(),
        |organization| async move {
            match organization {
                Some(organization) => get_sender_snapshot(organization).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, wizard.title).to_string()/>
        <h1>{t!(i18n, wizard.title)}</h1>
        <Loaded
            resource=snapshot
            ok=move |value| match value {
                Some(snapshot) => view! { <Wizard snapshot/> }.into_any(),
                None => ().into_any(),
            }
        />
    }
}

#[component]
fn Wizard(snapshot: SenderSnapshot) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let changed = use_transfers_changed();
    let snapshot = StoredValue::new(snapshot);
    let locked: BTreeSet<ProductId> =
        snapshot.with_value(|s| s.holdings.locked.iter().cloned().collect());
    let source = snapshot.with_value(|s| s.source.clone());
    // Each product with why it cannot move, if it cannot.
    let products = snapshot.with_value(|s| {
        s.holdings
            .products
            .iter()
            .map(|p| (p.clone(), transferability(p, &source, &locked).err()))
            .collect::<Vec<_>>()
    });
    let preselected = query
        .get_untracked()
        .get("product")
        .and_then(|id| ProductId::parse(&id).ok())
        .filter(|id| {
            products
                .iter()
                .any(|(p, reason)| &p.id == id && reason.is_none())
        });
    let selected = RwSignal::new(preselected.into_iter().collect::<BTreeSet<ProductId>>());
    let search = RwSignal::new(String::new());
    let accepted = RwSignal::new(false);
    let plan = RwSignal::new(None::<TransferPlan>);
    let failure = RwSignal::new(None::<String>);
    let products = StoredValue::new(products);

    let visible = move || {
        let needle = search.get().to_lowercase();
        products.with_value(|all| {
            all.iter()
                .filter(|(p, _)| needle.is_empty() || p.name.to_lowercase().contains(&needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let selectable_visible = move || {
        visible()
            .into_iter()
            .filter(|(_, reason)| reason.is_none())
            .map(|(p, _)| p.id)
            .collect::<Vec<_>>()
    };
    let all_checked = move || {
        let ids = selectable_visible();
        !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let toggle_all = move |_| {
        let ids = selectable_visible();
        let check = !all_checked();
        selected.update(|s| {
            for id in ids {
                if check {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            }
        });
    };
    let ready = move || accepted.get() && selected.with(|s| !s.is_empty());
    let review = move |_| {
        let selection: Vec<ProductId> = selected.get_untracked().into_iter().collect();
        // The same rules the server enforces, run here to show what will be lost.
        let result =
            snapshot.with_value(|s| plan_transfer(s, &selection, &Limits::default(), now()));
        match result {
            Ok(ok) => {
                failure.set(None);
                plan.set(Some(ok));
            }
            Err(refusal) => failure.set(Some(error_text(
                i18n,
                &crate::error::AppError::TransferRefused(refusal),
            ))),
        }
    };
    let create = Action::new(move |products: &Vec<ProductId>| {
        let products = products.clone();
        let source = source.clone();
        async move { start_transfer(source, products, true).await }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(id) => {
                    changed.notify();
                    navigate(&format!("/transfers/{id}"), Default::default());
                }
                Err(error) => failure.set(Some(error_text(i18n, &error))),
            }
        }
    });

    view! {
        <Show
            when=move || plan.with(Option::is_none)
            fallback=move || {
                let current_plan = plan.get().expect("shown only with a plan");
                let products = current_plan.products.clone();
                view! {
                    <WarningsList warnings=current_plan.warnings.clone()/>
                    {move || failure.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <div class="actions">
                        <button type="button" on:click=move |_| plan.set(None)>
                            {t!(i18n, wizard.back)}
                        </button>
                        <button
                            type="button"
                            class="primary"
                            disabled=move || create.pending().get()
                            on:click={
                                let products = products.clone();
                                move |_| {
                                    create.dispatch(products.clone());
                                }
                            }
                        >
                            {t!(i18n, wizard.validate)}
                        </button>
                    </div>
                }
            }
        >
            <p class="muted">{t!(i18n, wizard.intro)}</p>
            <div class="toolbar">
                <label for="product-search">{t!(i18n, wizard.search)}</label>
                <input
                    id="product-search"
                    type="search"
                    prop:value=move || search.get()
                    on:input=move |event| search.set(event_target_value(&event))
                />
                <label class="check">
                    <input type="checkbox" prop:checked=all_checked on:change=toggle_all/>
                    {t!(i18n, wizard.select_all)}
                </label>
                <span class="muted" aria-live="polite">
                    {move || fill(t_string!(i18n, wizard.selected_count), selected.with(BTreeSet::len))}
                </span>
            </div>
            <ul class="product-choices">
                <For
                    each=visible
                    key=|(product, _)| product.id.clone()
                    children=move |(product, reason)| {
                        let id = product.id.clone();
                        let input_id = format!("choose-{}", product.id);
                        let reason_id = format!("reason-{}", product.id);
                        let kind = product.kind;
                        let checked = {
                            let id = id.clone();
                            move || selected.with(|s| s.contains(&id))
                        };
                        view! {
                            <li class:disabled=reason.is_some()>
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    disabled=reason.is_some()
                                    aria-describedby=reason.map(|_| reason_id.clone())
                                    prop:checked=checked
                                    on:change=move |_| {
                                        let id = id.clone();
                                        selected.update(|s| {
                                            if !s.remove(&id) {
                                                s.insert(id);
                                            }
                                        });
                                    }
                                />
                                <KindIcon kind/>
                                <label for=input_id>{product.name.clone()}</label>
                                <span class="muted">{move || kind_label(i18n, kind)}</span>
                                {reason.map(|reason| view! {
                                    <span class="reason" id=reason_id.clone()>
                                        {move || not_transferable_text(i18n, reason)}
                                    </span>
                                })}
                            </li>
                        }
                    }
                />
            </ul>
            <Conditions accepted/>
            {move || failure.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <div class="actions">
                <button type="button" class="primary" disabled=move || !ready() on:click=review>
                    {t!(i18n, wizard.transfer)}
                </button>
                <span class="muted">
                    {move || {
                        if selected.with(BTreeSet::is_empty) {
                            Some(t_string!(i18n, wizard.need_selection))
                        } else if !accepted.get() {
                            Some(t_string!(i18n, wizard.need_conditions))
                        } else {
                            None
                        }
                    }}
                </span>
            </div>
        </Show>
    }
}

/// The general conditions checkbox, with the conditions one click away.
#[component]
pub fn Conditions(accepted: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="conditions">
            <summary>{t!(i18n, conditions.read)}</summary>
            <p>{t!(i18n, conditions.text)}</p>
        </details>
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || accepted.get()
                on:change=move |event| accepted.set(event_target_checked(&event))
            />
            {t!(i18n, conditions.accept)}
        </label>
    }
}
