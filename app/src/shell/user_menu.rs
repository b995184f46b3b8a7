use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::erased::IntoErased;
use crate::i18n::*;
use crate::menu::MenuButton;
use crate::session::{Logout, SaveLanguage};
use crate::ui::LANGUAGES;
use leptos_i18n::Locale as _;

#[component]
pub fn UserMenu(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    let initial = name
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let label = move || {
        view! {
            <span class="avatar" aria-hidden="true">{initial.clone()}</span>
            <span class="user-name">{name.clone()}</span>
        }
    };
    let save = ServerAction::<SaveLanguage>::new();
    let language = move |(locale, label): &(Locale, &'static str)| {
        let (locale, label) = (*locale, *label);
        view! {
            <button
                type="button"
                role="menuitemradio"
                tabindex="-1"
                lang=locale.as_str()
                aria-checked=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| {
                    super::switch_language(i18n, locale);
                    save.dispatch(SaveLanguage { language: locale.as_str().to_string() });
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <MenuButton id="user-menu" class="user-menu" label>
            {view! {
                <div role="group" aria-labelledby="language-label" class="language-choice">
                    <span class="menu-label" id="language-label">{t!(i18n, shell.language)}</span>
                    {LANGUAGES.iter().map(language).collect_view()}
                </div>
                <ActionForm action=logout>
                    {view! {
                        <button type="submit" role="menuitem" tabindex="-1">{t!(i18n, shell.logout)}</button>
                    }
                    .into_erased()}
                </ActionForm>
            }
            .into_erased()}
        </MenuButton>
    }
}
