use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{demo_hints, Login};
use crate::erased::IntoErased;
use crate::i18n::*;
use crate::ui::{login_error_text, PageTitle};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let failure = move || login.value().get().and_then(Result::err);

    view! {
        <PageTitle text=move || t_string!(i18n, login.title).to_string()/>
        <main class="login">
            <section class="login-card">
                <h1 class="brand">{t!(i18n, app.name)}</h1>
                <h2>{t!(i18n, login.heading)}</h2>
                <ActionForm action=login>
                    {view! {
                        <input type="hidden" name="next" prop:value=next/>
                        <label for="login-email">{t!(i18n, login.email)}</label>
                        <input id="login-email" type="email" name="email" autocomplete="username" required/>
                        <label for="login-password">{t!(i18n, login.password)}</label>
                        <input
                            id="login-password"
                            type="password"
                            name="password"
                            autocomplete="current-password"
                            required
                        />
                        // Not `ErrorMessage`: it would bring every error's text into the main bundle.
                        {move || failure().map(|error| view! {
                            <p class="error" role="alert">{login_error_text(i18n, &error)}</p>
                        })}
                        <button type="submit" class="primary" disabled=move || login.pending().get()>
                            {t!(i18n, login.submit)}
                        </button>
                    }
                    .into_erased()}
                </ActionForm>
                {demo_hints().map(|hints| view! {
                    <aside class="demo-hints">
                        <h3>{t!(i18n, login.demo_heading)}</h3>
                        // One a line, as text: a list, a view per address, is 3 KB more of the main bundle.
                        <p class="logins"><code>{hints.emails.join("\n")}</code></p>
                        <p>{t!(i18n, login.demo_password)} " " <code>{hints.password}</code></p>
                    </aside>
                })}
            </section>
        </main>
    }
}
