use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::i18n::*;
use crate::session::Logout;

#[component]
pub fn UserMenu(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let logout = ServerAction::<Logout>::new();
    let choose = move |locale: Locale| {
        i18n.set_locale(locale);
        open.set(false);
    };
    view! {
        <div class="user-menu">
            <button
                type="button"
                class="menu-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-controls="user-menu"
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <span class="avatar" aria-hidden="true">
                    {name.chars().next().unwrap_or('?').to_uppercase().to_string()}
                </span>
                <span class="user-name">{name.clone()}</span>
            </button>
            <div id="user-menu" class="menu" hidden=move || !open.get()>
                <p class="menu-label" id="language-label">{t!(i18n, shell.language)}</p>
                <div role="group" aria-labelledby="language-label" class="language-choice">
                    <button
                        type="button"
                        lang="en"
                        aria-pressed=move || (i18n.get_locale() == Locale::en).to_string()
                        on:click=move |_| choose(Locale::en)
                    >
                        "English"
                    </button>
                    <button
                        type="button"
                        lang="fr"
                        aria-pressed=move || (i18n.get_locale() == Locale::fr).to_string()
                        on:click=move |_| choose(Locale::fr)
                    >
                        "Français"
                    </button>
                </div>
                <ActionForm action=logout>
                    <button type="submit">{t!(i18n, shell.logout)}</button>
                </ActionForm>
            </div>
        </div>
    }
}
