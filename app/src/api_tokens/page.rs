//! The `API tokens` page: create a token (its secret shown once), list and revoke them.

use leptos::prelude::*;
use transfer_rules::ApiScope;

use super::{
    create_api_token, list_api_tokens, revoke_api_token, ApiTokenSummary, CreatedApiToken,
    LIFETIMES, MAX_TOKEN_NAME_CHARS,
};
use crate::dates::LocalDate;
use crate::erased::IntoErased;
use crate::error::AppError;
use crate::i18n::*;
use crate::shell::{organization_action, organization_list_resource};
use crate::ui::{error_text, fill, refresh_after, CellLabel, Loaded, PageTitle, ShownOnce};

fn scope_description(i18n: leptos_i18n::I18nContext<Locale>, scope: ApiScope) -> &'static str {
    match scope {
        ApiScope::ProductsRead => t_string!(i18n, api_tokens.scope_products_read),
        ApiScope::TransfersRead => t_string!(i18n, api_tokens.scope_transfers_read),
        ApiScope::TransfersSend => t_string!(i18n, api_tokens.scope_transfers_send),
        ApiScope::TransfersReceive => t_string!(i18n, api_tokens.scope_transfers_receive),
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0_u32);
    let tokens = organization_list_resource(refresh, list_api_tokens);
    let created = RwSignal::new(None::<CreatedApiToken>);
    let problem = RwSignal::new(None::<AppError>);
    view! {
        <PageTitle text=move || t_string!(i18n, api_tokens.title).to_string()/>
        <h1>{t!(i18n, api_tokens.title)}</h1>
        <p class="muted">{t!(i18n, api_tokens.intro)}</p>
        <CreateForm refresh created problem/>
        {move || problem.get().map(|error| view! {
            <p class="error" role="alert">{error_text(i18n, &error)}</p>
        })}
        {move || created.get().map(|token| view! {
            <ShownOnce
                heading=move || t_string!(i18n, api_tokens.created)
                note=move || t_string!(i18n, api_tokens.shown_once)
                label=move || t_string!(i18n, api_tokens.secret)
                secret=token.secret
            />
        })}
        <Loaded
            resource=tokens
            ok=move |list| view! { <TokenTable list refresh problem/> }
        />
    }
}

#[component]
fn CreateForm(
    refresh: RwSignal<u32>,
    created: RwSignal<Option<CreatedApiToken>>,
    problem: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<ApiScope>::new());
    let days = RwSignal::new(LIFETIMES[1]);
    let create = organization_action(
        |organization, (name, scopes, days): (String, Vec<ApiScope>, u32)| {
            create_api_token(organization, name, scopes, days)
        },
    );
    Effect::new(move |_| match create.value().get() {
        Some(Ok(token)) => {
            created.set(Some(token));
            problem.set(None);
            name.set(String::new());
            scopes.set(Vec::new());
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
            create.dispatch((name.get_untracked(), scopes.get_untracked(), days.get_untracked()));
        }>
            <h2>{t!(i18n, api_tokens.create_heading)}</h2>
            <label for="token-name">{t!(i18n, api_tokens.name)}</label>
            <input
                id="token-name"
                required
                maxlength=MAX_TOKEN_NAME_CHARS
                prop:value=move || name.get()
                on:input=move |event| name.set(event_target_value(&event))
            />
            <fieldset>
                <legend>{t!(i18n, api_tokens.scopes)}</legend>
                {ApiScope::ALL.into_iter().map(|scope| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || scopes.with(|chosen| chosen.contains(&scope))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                scopes.update(|chosen| {
                                    chosen.retain(|s| *s != scope);
                                    if on {
                                        chosen.push(scope);
                                    }
                                });
                            }
                        />
                        // One run of text beside the box, wrapping under itself.
                        <span>
                            <code>{scope.as_str()}</code>
                            " — "
                            {move || scope_description(i18n, scope)}
                        </span>
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="token-lifetime">{t!(i18n, api_tokens.lifetime)}</label>
            <select
                id="token-lifetime"
                on:change=move |event| {
                    if let Ok(value) = event_target_value(&event).parse() {
                        days.set(value);
                    }
                }
            >
                {LIFETIMES.into_iter().map(|option| view! {
                    <option value=option selected=move || days.get() == option>
                        {move || fill(t_string!(i18n, api_tokens.days), option)}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit" class="primary" disabled=move || create.pending().get()>
                {t!(i18n, api_tokens.create)}
            </button>
        </form>
    }
}

#[component]
fn TokenTable(
    list: Vec<ApiTokenSummary>,
    refresh: RwSignal<u32>,
    problem: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let revoke = organization_action(revoke_api_token);
    refresh_after(revoke, refresh, problem);
    if list.is_empty() {
        return view! { <p class="empty">{t!(i18n, api_tokens.empty)}</p> }.into_erased();
    }
    view! {
        <table class="list cards">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, api_tokens.name)}</th>
                    <th scope="col">{t!(i18n, api_tokens.scopes)}</th>
                    <th scope="col">{t!(i18n, api_tokens.creator)}</th>
                    <th scope="col">{t!(i18n, api_tokens.last_used)}</th>
                    <th scope="col">{t!(i18n, api_tokens.expires)}</th>
                    <th scope="col">{t!(i18n, api_tokens.state)}</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|token| {
                    let active = token.active;
                    let id = token.id.clone();
                    let name = token.name.clone();
                    view! {
                        <tr>
                            <td>{token.name.clone()}</td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, api_tokens.scopes)/>
                                {token.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, api_tokens.creator)/>
                                {token.creator.clone()}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, api_tokens.last_used)/>
                                {match token.last_used_at {
                                    Some(used) => view! { <LocalDate millis=used.as_millis()/> }.into_erased(),
                                    None => view! { {t!(i18n, api_tokens.never)} }.into_erased(),
                                }}
                            </td>
                            <td>
                                <CellLabel text=|locale| td_string!(locale, api_tokens.expires)/>
                                <LocalDate millis=token.expires_at.as_millis()/>
                            </td>
                            <td>{if active {
                                view! {
                                    <button
                                        type="button"
                                        class="danger"
                                        aria-label=move || format!("{} — {name}", t_string!(i18n, api_tokens.revoke))
                                        disabled=move || revoke.pending().get()
                                        on:click=move |_| { revoke.dispatch(id.clone()); }
                                    >
                                        {t!(i18n, api_tokens.revoke)}
                                    </button>
                                }.into_erased()
                            } else if token.revoked_at.is_some() {
                                view! { {t!(i18n, api_tokens.revoked)} }.into_erased()
                            } else {
                                view! { {t!(i18n, api_tokens.expired)} }.into_erased()
                            }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_erased()
}
