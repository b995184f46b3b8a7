//! The transfer wizard: choose products, read the warnings, validate. An Organization can
//! hold ten thousand products: the list of choices (names and kinds, never who has access)
//! is filtered and selected in the browser, only the rows on screen are drawn, and the
//! warnings are computed by the server for the selection alone.

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use transfer_rules::{OrganizationId, ProductId, ProductKind, Warnings};

use super::api::{list_product_choices, preview_transfer, start_transfer, ProductChoice};
use super::use_transfers_changed;
use super::warnings::{WarningsReport, WarningsSection};
use crate::erased::IntoErased;
use crate::i18n::*;
use crate::products::KindSelect;
use crate::shell::use_current_organization;
use crate::ui::{
    error_text, fetch_in_browser, fill, fill_all, format_count, kind_label, not_transferable_text,
    KindIcon, LoadedInBrowser, PageTitle,
};

/// Each row's height in pixels until the stylesheet's is read (see [`row_height_of`]).
const ROW_HEIGHT: f64 = 44.0;
/// Rows drawn beyond the visible ones on each side, so a fast scroll finds them drawn.
const OVERSCAN: usize = 8;
/// Rows the list shows at once (its height in the stylesheet: 12 rows).
const VISIBLE_ROWS: usize = 12;

#[component]
pub fn NewTransferPage() -> impl IntoView {
    let i18n = use_i18n();
    let current = use_current_organization();
    // Fetched by the browser: the page's HTML stays small whatever the Organization holds.
    let choices = fetch_in_browser(move || {
        let organization = current.get();
        async move {
            match organization {
                Some(organization) => list_product_choices(organization.clone())
                    .await
                    .map(|choices| Some((organization, choices))),
                None => Ok(None),
            }
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, wizard.title).to_string()/>
        <h1>{t!(i18n, wizard.title)}</h1>
        // The introduction is drawn by the server too: the first paint shows it in its place.
        <LoadedInBrowser
            data=choices
            ok=|loaded| loaded.map(|(source, choices)| view! { <Wizard source choices/> })
            loading=move || view! { <p class="muted">{t!(i18n, wizard.intro)}</p> }
        />
    }
}

/// Which products are ticked, by position in the list of choices.
#[derive(Clone, Debug, Default, PartialEq)]
struct Selection {
    ticked: Vec<bool>,
    count: usize,
}

impl Selection {
    fn set(&mut self, i: usize, on: bool) {
        if self.ticked[i] != on {
            self.ticked[i] = on;
            if on {
                self.count += 1;
            } else {
                self.count -= 1;
            }
        }
    }
}

#[component]
fn Wizard(source: OrganizationId, choices: Vec<ProductChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let changed = use_transfers_changed();
    let lower: Vec<String> = choices.iter().map(|c| c.name.to_lowercase()).collect();
    let mut start = Selection {
        ticked: vec![false; choices.len()],
        count: 0,
    };
    // Arriving from a product's `Manage` menu: that product is ticked.
    if let Some(i) = query
        .get_untracked()
        .get("product")
        .and_then(|id| ProductId::parse(&id).ok())
        .and_then(|id| {
            choices
                .iter()
                .position(|c| c.id == id && c.blocked.is_none())
        })
    {
        start.set(i, true);
    }
    let total = choices.len();
    let choices = StoredValue::new(choices);
    let lower = StoredValue::new(lower);
    let selection = RwSignal::new(start);
    let search = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<ProductKind>);
    // While reviewing, the list shows what was ticked when the review began: unticking
    // a product keeps its row, so a slip can be undone.
    let reviewing = RwSignal::new(None::<Vec<bool>>);
    let accepted = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let review = RwSignal::new(None::<(Vec<ProductId>, Warnings)>);
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = NodeRef::<html::Div>::new();
    let row_height = RwSignal::new(ROW_HEIGHT);
    let measure = move || {
        let measured = viewport
            .get_untracked()
            .and_then(|viewport| row_height_of(&viewport));
        if let Some(height) = measured.filter(|&h| h != row_height.get_untracked()) {
            row_height.set(height);
        }
    };
    Effect::new(move |_| {
        if viewport.get().is_some() {
            measure();
        }
    });
    // A phone turned sideways may cross the stylesheet's breakpoint.
    let resized = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resized.remove());

    let matching = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let kind = kind.get();
        reviewing.with(|reviewed| {
            choices.with_value(|all| {
                lower.with_value(|lower| {
                    (0..all.len())
                        .filter(|&i| {
                            kind.is_none_or(|k| all[i].kind == k)
                                && (needle.is_empty() || lower[i].contains(&needle))
                                && reviewed.as_ref().is_none_or(|r| r[i])
                        })
                        .collect::<Vec<usize>>()
                })
            })
        })
    });
    let selectable = Memo::new(move |_| {
        choices.with_value(|all| {
            matching.with(|m| {
                m.iter()
                    .copied()
                    .filter(|&i| all[i].blocked.is_none())
                    .collect::<Vec<usize>>()
            })
        })
    });
    let all_ticked = move || {
        selectable
            .with(|ids| !ids.is_empty() && selection.with(|s| ids.iter().all(|&i| s.ticked[i])))
    };
    let toggle_all = move |_| {
        let on = !all_ticked();
        selectable.with_untracked(|ids| {
            selection.update(|s| ids.iter().for_each(|&i| s.set(i, on)));
        });
    };
    let back_to_top = move || {
        scroll_top.set(0.0);
        if let Some(viewport) = viewport.get_untracked() {
            viewport.set_scroll_top(0);
        }
    };
    // The rows on screen and a few around: (position in the list, product).
    let window = move || {
        let first = ((scroll_top.get() / row_height.get()) as usize).saturating_sub(OVERSCAN);
        matching.with(|m| {
            m.iter()
                .copied()
                .enumerate()
                .skip(first)
                .take(VISIBLE_ROWS + 2 * OVERSCAN)
                .collect::<Vec<_>>()
        })
    };
    let padding = move || {
        let row = row_height.get();
        let first = ((scroll_top.get() / row) as usize).saturating_sub(OVERSCAN);
        format!("{}px", first as f64 * row)
    };
    let height = move || format!("{}px", matching.with(Vec::len) as f64 * row_height.get());
    let ready = move || accepted.get() && selection.with(|s| s.count > 0);

    let preview = Action::new({
        let source = source.clone();
        move |ids: &Vec<ProductId>| {
            let (source, ids) = (source.clone(), ids.clone());
            async move {
                preview_transfer(source, ids.clone())
                    .await
                    .map(|w| (ids, w))
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = preview.value().get() {
            match result {
                Ok(ready) => {
                    failure.set(None);
                    review.set(Some(ready));
                }
                Err(error) => failure.set(Some(error_text(i18n, &error))),
            }
        }
    });
    let ticked_ids = move || {
        choices.with_value(|all| {
            selection.with_untracked(|s| {
                (all.iter().zip(&s.ticked))
                    .filter(|(_, on)| **on)
                    .map(|(c, _)| c.id.clone())
                    .collect::<Vec<_>>()
            })
        })
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
            when=move || review.with(Option::is_none)
            fallback=move || {
                let (products, warnings) = review.get().expect("shown only with a review");
                view! {
                    <WarningsSection>{view! { <WarningsReport warnings/> }.into_erased()}</WarningsSection>
                    {move || failure.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <div class="actions">
                        <button type="button" on:click=move |_| review.set(None)>
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
                .into_erased()
            }
        >
            {view! {
                <p class="muted">{t!(i18n, wizard.intro)}</p>
                <div class="toolbar" role="search">
                    <label for="product-search">{t!(i18n, wizard.search)}</label>
                    <input
                        id="product-search"
                        type="search"
                        maxlength="100"
                        prop:value=move || search.get()
                        on:input=move |event| {
                            search.set(event_target_value(&event));
                            back_to_top();
                        }
                    />
                    <label for="product-kind">{t!(i18n, products.kind)}</label>
                    <KindSelect
                        id="product-kind"
                        chosen=kind
                        on_choose=Callback::new(move |chosen| {
                            kind.set(chosen);
                            back_to_top();
                        })
                    />
                </div>
                <div class="toolbar">
                    <label class="check">
                        <input
                            type="checkbox"
                            aria-describedby="matching-count"
                            prop:checked=all_ticked
                            prop:disabled=move || selectable.with(Vec::is_empty)
                            on:change=toggle_all
                        />
                        {t!(i18n, wizard.select_all)}
                    </label>
                    <span id="matching-count" class="muted">
                        {move || {
                            fill_all(
                                t_string!(i18n, wizard.matching),
                                &[
                                    ("n", &format_count(i18n, matching.with(Vec::len) as u64)),
                                    ("total", &format_count(i18n, total as u64)),
                                    ("movable", &format_count(i18n, selectable.with(Vec::len) as u64)),
                                ],
                            )
                        }}
                    </span>
                    <span class="muted" role="status">
                        {move || {
                            fill(
                                t_string!(i18n, wizard.selected_count),
                                format_count(i18n, selection.with(|s| s.count) as u64),
                            )
                        }}
                    </span>
                    <button
                        type="button"
                        aria-pressed=move || reviewing.with(Option::is_some).to_string()
                        prop:disabled=move || reviewing.with(Option::is_none) && selection.with(|s| s.count == 0)
                        on:click=move |_| {
                            let next = match reviewing.get_untracked() {
                                Some(_) => None,
                                None => Some(selection.with_untracked(|s| s.ticked.clone())),
                            };
                            reviewing.set(next);
                            back_to_top();
                        }
                    >
                        {t!(i18n, wizard.review_selection)}
                    </button>
                    <button
                        type="button"
                        prop:disabled=move || selection.with(|s| s.count == 0)
                        on:click=move |_| {
                            selection.update(|s| {
                                s.ticked.iter_mut().for_each(|on| *on = false);
                                s.count = 0;
                            })
                        }
                    >
                        {t!(i18n, wizard.clear_selection)}
                    </button>
                </div>
                <div
                    class="choices"
                    node_ref=viewport
                    on:scroll=move |_| {
                        if let Some(viewport) = viewport.get_untracked() {
                            scroll_top.set(f64::from(viewport.scroll_top()));
                        }
                    }
                >
                    <ul
                        class="choice-list"
                        aria-label=move || t_string!(i18n, wizard.products)
                        style:padding-top=padding
                        style:height=height
                    >
                        <For
                            each=window
                            key=|row| *row
                            children=move |(position, i)| {
                                let set_size = Signal::derive(move || matching.with(Vec::len));
                                choices.with_value(|all| {
                                    view! { <ChoiceRow choice=all[i].clone() index=i position set_size selection/> }
                                })
                            }
                        />
                    </ul>
                </div>
                {move || matching.with(Vec::is_empty).then(|| view! {
                    <p class="empty">{t!(i18n, wizard.no_match)}</p>
                })}
                <Conditions accepted/>
                {move || failure.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        disabled=move || !ready() || preview.pending().get()
                        on:click=move |_| {
                            preview.dispatch(ticked_ids());
                        }
                    >
                        {t!(i18n, wizard.transfer)}
                    </button>
                    <span class="muted">
                        {move || {
                            if selection.with(|s| s.count == 0) {
                                Some(t_string!(i18n, wizard.need_selection))
                            } else if !accepted.get() {
                                Some(t_string!(i18n, wizard.need_conditions))
                            } else {
                                None
                            }
                        }}
                    </span>
                </div>
            }
            .into_erased()}
        </Show>
    }
}

/// The rows' height in pixels, as the stylesheet sets it (`--row-height` on `.choices`):
/// taller on a phone, where a blocked product's reason needs a line of its own.
fn row_height_of(viewport: &web_sys::Element) -> Option<f64> {
    let style = window().get_computed_style(viewport).ok()??;
    let height = style.get_property_value("--row-height").ok()?;
    height
        .trim()
        .strip_suffix("px")?
        .parse()
        .ok()
        .filter(|&h: &f64| h > 0.0)
}

#[component]
fn ChoiceRow(
    choice: ProductChoice,
    index: usize,
    position: usize,
    set_size: Signal<usize>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("choose-{}", choice.id);
    let reason_id = format!("reason-{}", choice.id);
    let kind = choice.kind;
    let reason = choice.blocked;
    view! {
        <li
            class:disabled=reason.is_some()
            aria-setsize=move || set_size.get().to_string()
            aria-posinset=(position + 1).to_string()
        >
            <input
                type="checkbox"
                id=input_id.clone()
                disabled=reason.is_some()
                aria-describedby=reason.map(|_| reason_id.clone())
                prop:checked=move || selection.with(|s| s.ticked[index])
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    selection.update(|s| s.set(index, on));
                }
            />
            <KindIcon kind/>
            <label for=input_id>{choice.name.to_string()}</label>
            <span class="muted">{move || kind_label(i18n, kind)}</span>
            {reason.map(|reason| view! {
                <span class="reason" id=reason_id.clone()>
                    {move || not_transferable_text(i18n, reason)}
                </span>
            })}
        </li>
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
