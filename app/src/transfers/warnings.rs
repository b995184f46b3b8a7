//! What a transfer will change, as the rules crate computed it, grouped by person, team
//! and kind of change so that thousands of products stay readable; each group opens a
//! page at a time, and the complete list downloads as CSV.

use leptos::prelude::*;
use transfer_rules::{
    group_warnings, quiet_products, ProductWarnings, WarningGroup, WarningSubject, Warnings,
};

use crate::erased::IntoErased;
use crate::i18n::*;
use crate::paging::DEFAULT_PAGE_SIZE;
use crate::ui::{fill_all, format_count, kind_label, KindIcon};

/// The warnings' section with its heading and introduction, which the server draws even
/// while the warnings themselves are still to come: the first paint shows the section in
/// its place.
#[component]
pub fn WarningsSection(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="warnings" aria-labelledby="warnings-heading">
            <h2 id="warnings-heading">{t!(i18n, warnings.heading)}</h2>
            <p class="muted">{t!(i18n, warnings.intro)}</p>
            {children()}
        </section>
    }
}

/// What a transfer will change, grouped (inside a [`WarningsSection`]).
#[component]
pub fn WarningsReport(warnings: Warnings) -> impl IntoView {
    let i18n = use_i18n();
    // People, kDrive users and teams each in their section: thousands of names would
    // otherwise hide the invoices and linked products after them.
    let mut sections: [Vec<WarningGroup>; 4] = Default::default();
    for group in group_warnings(&warnings) {
        sections[usize::from(group.subject.rank().min(3))].push(group);
    }
    let quiet = quiet_products(&warnings);
    let warnings = StoredValue::new(warnings);
    let download = move |_| {
        warnings.with_value(|w| save_csv("transfer-warnings.csv", &transfer_rules::warnings_csv(w)))
    };
    view! {
        {sections
            .into_iter()
            .zip(SECTION_HEADINGS)
            .filter(|(groups, _)| !groups.is_empty())
            .map(|(groups, heading)| view! { <WarningSection warnings groups heading/> })
            .collect_view()}
        {(quiet > 0)
            .then(|| {
                view! {
                    <p>
                        {move || {
                            fill_all(
                                t_string!(i18n, warnings.quiet),
                                &[("count", &product_count(i18n, quiet))],
                            )
                        }}
                    </p>
                }
            })}
        <button type="button" on:click=download>{t!(i18n, warnings.download)}</button>
    }
}

/// Groups shown at first, and added by each "Show more", in a section.
const GROUPS_SHOWN: usize = 20;

type Heading = fn(leptos_i18n::I18nContext<Locale>) -> &'static str;

/// The sections' headings, in `WarningSubject::rank` order. Invoices and linked products
/// share the last, so that they do not read as part of the teams' section above them.
const SECTION_HEADINGS: [Heading; 4] = [
    |i18n| t_string!(i18n, warnings.people_losing_access),
    |i18n| t_string!(i18n, warnings.kdrive_users_joining),
    |i18n| t_string!(i18n, warnings.teams_losing_rights),
    |i18n| t_string!(i18n, warnings.staying_behind),
];

#[component]
fn WarningSection(
    warnings: StoredValue<Warnings>,
    groups: Vec<WarningGroup>,
    heading: Heading,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = groups.len();
    let groups = StoredValue::new(groups);
    let shown = RwSignal::new(GROUPS_SHOWN);
    view! {
        <h3>{move || heading(i18n)}</h3>
        <ul class="warning-groups">
            <For
                each=move || 0..shown.get().min(count)
                key=|i| *i
                children=move |i| {
                    let group = groups.with_value(|groups| groups[i].clone());
                    view! { <WarningGroupItem warnings group/> }
                }
            />
        </ul>
        <Show when=move || { shown.get() < count }>
            {view! {
                <ShowMore
                    text=move || {
                        fill_all(
                            t_string!(i18n, warnings.more_groups),
                            &[("n", &format_count(i18n, (count - shown.get()) as u64))],
                        )
                    }
                    list=move || heading(i18n).to_string()
                    on_click=move || shown.update(|n| *n += GROUPS_SHOWN)
                />
            }
            .into_erased()}
        </Show>
    }
}

/// "1 product", "3,334 products", in the user's language.
pub fn product_count(i18n: leptos_i18n::I18nContext<Locale>, n: usize) -> String {
    if n == 1 {
        t_string!(i18n, warnings.one_product).to_string()
    } else {
        fill_all(
            t_string!(i18n, warnings.many_products),
            &[("n", &format_count(i18n, n as u64))],
        )
    }
}

fn summary(
    i18n: leptos_i18n::I18nContext<Locale>,
    warnings: &Warnings,
    subject: WarningSubject,
    count: usize,
) -> String {
    let count = product_count(i18n, count);
    let (template, name) = match subject {
        WarningSubject::UserLosesAccess(u) => (
            t_string!(i18n, warnings.user_loses),
            &*warnings.users[u as usize].name,
        ),
        WarningSubject::KDriveUserIntegrated(u) => (
            t_string!(i18n, warnings.kdrive_joins),
            &*warnings.users[u as usize].name,
        ),
        WarningSubject::TeamLosesRights(t) => (
            t_string!(i18n, warnings.team_loses),
            &*warnings.teams[t as usize].name,
        ),
        WarningSubject::InvoicesStaying => (t_string!(i18n, warnings.invoices_stay), ""),
        WarningSubject::LinkedLeftBehind => (t_string!(i18n, warnings.linked_stay), ""),
    };
    fill_all(template, &[("name", name), ("count", &count)])
}

/// What a product's line in a group adds to its name: the invoices or linked products.
fn detail(product: &ProductWarnings, subject: WarningSubject) -> Option<String> {
    let joined = |names: Vec<&str>| names.join(", ");
    match subject {
        WarningSubject::InvoicesStaying => Some(joined(
            product
                .invoices_staying
                .iter()
                .map(|i| &*i.number)
                .collect(),
        )),
        WarningSubject::LinkedLeftBehind => Some(joined(
            product
                .linked_left_behind
                .iter()
                .map(|p| &*p.name)
                .collect(),
        )),
        _ => None,
    }
}

#[component]
fn WarningGroupItem(warnings: StoredValue<Warnings>, group: WarningGroup) -> impl IntoView {
    let i18n = use_i18n();
    let subject = group.subject;
    let count = group.products.len();
    // Rows are drawn once the group is opened, a page at a time.
    let shown = RwSignal::new(0usize);
    // By name, as every list of products reads; the rules crate lists them by id.
    let mut positions = group.products;
    warnings.with_value(|w| {
        positions.sort_by(|&a, &b| {
            let (a, b) = (
                &w.products[a as usize].product,
                &w.products[b as usize].product,
            );
            (&a.name, &a.id).cmp(&(&b.name, &b.id))
        })
    });
    let products = StoredValue::new(positions);
    let rows = move || {
        let end = shown.get().min(count);
        warnings.with_value(|w| {
            products.with_value(|positions| {
                positions[..end]
                    .iter()
                    .map(|&p| {
                        let product = &w.products[p as usize];
                        let kind = product.product.kind;
                        let name = product.product.name.to_string();
                        let line = match detail(product, subject) {
                            Some(detail) => format!("{name}: {detail}"),
                            None => name,
                        };
                        view! {
                            <li>
                                <KindIcon kind/>
                                {line}
                                <span class="muted">" · " {move || kind_label(i18n, kind)}</span>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let page = DEFAULT_PAGE_SIZE as usize;
    view! {
        <li class="warning-group">
            <details>
                <summary on:click=move |_| {
                    if shown.get_untracked() == 0 {
                        shown.set(page);
                    }
                }>
                    {move || warnings.with_value(|w| summary(i18n, w, subject, count))}
                </summary>
                <ul class="plain">{rows}</ul>
                <Show when=move || { shown.get() < count && shown.get() > 0 }>
                    {view! {
                        <ShowMore
                            text=move || {
                                fill_all(
                                    t_string!(i18n, warnings.show_more),
                                    &[("n", &format_count(i18n, (count - shown.get()) as u64))],
                                )
                            }
                            list=move || warnings.with_value(|w| summary(i18n, w, subject, count))
                            on_click=move || shown.update(|n| *n += page)
                        />
                    }
                    .into_erased()}
                </Show>
            </details>
        </li>
    }
}

/// A "Show more" button. Several can be on the page at once, so its accessible name also
/// names the list it extends (the visible text stays short and comes first).
#[component]
fn ShowMore(
    text: impl Fn() -> String + Send + Sync + Copy + 'static,
    list: impl Fn() -> String + Send + Sync + Copy + 'static,
    on_click: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            aria-label=move || format!("{} — {}", text(), list())
            on:click=move |_| on_click()
        >
            {text}
        </button>
    }
}

/// Hands `csv` to the browser as a file download.
fn save_csv(name: &str, csv: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(csv));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        if let Some(anchor) = (document().create_element("a").ok())
            .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            anchor.set_href(&url);
            anchor.set_download(name);
            anchor.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, csv);
}
