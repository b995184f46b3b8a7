//! Product transfers between Organizations.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

#[component]
pub fn TransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, transfers.title).to_string()/>
        <h1>{t!(i18n, transfers.title)}</h1>
        <p class="empty">{t!(i18n, transfers.empty)}</p>
    }
}
