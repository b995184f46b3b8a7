//! Small pieces shared by every page.

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use transfer_rules::{
    NotTransferable, ProductKind, ReceiptRefusal, TransferRefusal, TransferStateRefusal,
};

use crate::erased::IntoErased;
use crate::error::{AppError, InputProblem};
use crate::i18n::*;
use crate::resource::Fetched;

/// An error said in the user's language, announced to screen readers.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{move || error_text(i18n, &error)}</p> }
}

pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::Unauthorized
        | AppError::BadCredentials
        | AppError::Throttled
        | AppError::RateLimited { .. }
        | AppError::Busy
        | AppError::Invalid(InputProblem::Email | InputProblem::Password)
        | AppError::Internal
        | AppError::Transport(_) => login_error_text(i18n, error).to_string(),
        AppError::OrganizationLimit => t_string!(i18n, errors.organization_limit).to_string(),
        AppError::EmailLimit => t_string!(i18n, errors.email_limit).to_string(),
        AppError::TokenLimit => t_string!(i18n, errors.token_limit).to_string(),
        AppError::WebhookLimit => t_string!(i18n, errors.webhook_limit).to_string(),
        AppError::Invalid(InputProblem::WebhookUrl) => {
            t_string!(i18n, errors.invalid_webhook_url).to_string()
        }
        AppError::Invalid(InputProblem::WebhookAddress) => {
            t_string!(i18n, errors.invalid_webhook_address).to_string()
        }
        AppError::Invalid(InputProblem::WebhookEvents) => {
            t_string!(i18n, errors.invalid_webhook_events).to_string()
        }
        AppError::Invalid(InputProblem::TokenName) => {
            t_string!(i18n, errors.invalid_token_name).to_string()
        }
        AppError::Invalid(InputProblem::TokenScopes) => {
            t_string!(i18n, errors.invalid_token_scopes).to_string()
        }
        AppError::Invalid(InputProblem::TokenLifetime) => {
            t_string!(i18n, errors.invalid_token_lifetime).to_string()
        }
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::Invalid(InputProblem::Identifier) => {
            t_string!(i18n, errors.invalid_identifier).to_string()
        }
        AppError::Invalid(InputProblem::OrganizationName) => {
            t_string!(i18n, errors.invalid_organization_name).to_string()
        }
        AppError::Invalid(InputProblem::Language) => {
            t_string!(i18n, errors.invalid_language).to_string()
        }
        AppError::ConditionsNotAccepted => t_string!(i18n, errors.conditions).to_string(),
        AppError::TransferRefused(refusal) => transfer_refusal_text(i18n, refusal),
        AppError::ReceiptRefused(refusal) => receipt_refusal_text(i18n, refusal),
        AppError::TransferClosed(state) => state_text(i18n, *state),
        AppError::LinkUnavailable => t_string!(i18n, errors.link_unavailable).to_string(),
    }
}

/// What logging in can come to. Apart from [`error_text`]: the login page is in the main
/// bundle, and the other errors' texts, in four languages, stay in the sections using them.
pub fn login_error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> &'static str {
    match error {
        AppError::Unauthorized => t_string!(i18n, errors.unauthorized),
        AppError::BadCredentials => t_string!(i18n, errors.bad_credentials),
        AppError::Throttled | AppError::RateLimited { .. } => t_string!(i18n, errors.throttled),
        AppError::Busy => t_string!(i18n, errors.busy),
        AppError::Invalid(InputProblem::Email) => t_string!(i18n, errors.invalid_email),
        AppError::Invalid(InputProblem::Password) => t_string!(i18n, errors.invalid_password),
        AppError::Transport(_) => t_string!(i18n, errors.transport),
        // Nothing else comes from logging in: `error_text` says the others.
        _ => t_string!(i18n, errors.internal),
    }
}

pub fn not_transferable_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    reason: NotTransferable,
) -> &'static str {
    match reason {
        NotTransferable::NotOwnedBySource => t_string!(i18n, reasons.not_owned),
        NotTransferable::NeverTransferable => t_string!(i18n, reasons.never_transferable),
        NotTransferable::OwnProcedure => t_string!(i18n, reasons.own_procedure),
        NotTransferable::AlreadyInTransfer => t_string!(i18n, reasons.already_in_transfer),
    }
}

fn transfer_refusal_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    refusal: &TransferRefusal,
) -> String {
    match refusal {
        TransferRefusal::NotAllowed => t_string!(i18n, errors.not_allowed_to_send).to_string(),
        TransferRefusal::EmptySelection => t_string!(i18n, errors.empty_selection).to_string(),
        TransferRefusal::TooManyProducts { max } => {
            fill(t_string!(i18n, errors.too_many_products), *max)
        }
        TransferRefusal::DuplicateProduct { .. } => {
            t_string!(i18n, errors.duplicate_product).to_string()
        }
        TransferRefusal::UnknownProduct { .. } => {
            t_string!(i18n, errors.unknown_product).to_string()
        }
        TransferRefusal::NotTransferable { reason, .. } => {
            not_transferable_text(i18n, *reason).to_string()
        }
    }
}

fn receipt_refusal_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    refusal: &ReceiptRefusal,
) -> String {
    match refusal {
        ReceiptRefusal::Closed(state) => state_text(i18n, *state),
        ReceiptRefusal::SameOrganization => t_string!(i18n, errors.same_organization).to_string(),
        ReceiptRefusal::NotAllowed => t_string!(i18n, errors.not_allowed_to_receive).to_string(),
        ReceiptRefusal::ProductMoved { .. } => t_string!(i18n, errors.product_moved).to_string(),
        ReceiptRefusal::NotTransferable { .. } => {
            t_string!(i18n, errors.product_not_transferable).to_string()
        }
    }
}

fn state_text(i18n: leptos_i18n::I18nContext<Locale>, state: TransferStateRefusal) -> String {
    match state {
        TransferStateRefusal::NotAllowed => t_string!(i18n, errors.forbidden),
        TransferStateRefusal::AlreadyCompleted => t_string!(i18n, errors.already_received),
        TransferStateRefusal::Cancelled => t_string!(i18n, errors.was_cancelled),
        TransferStateRefusal::Declined => t_string!(i18n, errors.was_declined),
        TransferStateRefusal::Expired => t_string!(i18n, errors.has_expired),
    }
    .to_string()
}

/// Puts a number into a translated text at `{n}`. (The translation layer's own
/// interpolation is for views; these texts are also used as plain strings.)
pub fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("{n}", &n.to_string())
}

/// Like [`fill`], for texts with several named places.
pub fn fill_all(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The languages the Manager speaks, each named in itself.
pub const LANGUAGES: [(Locale, &str); 4] = [
    (Locale::en, "English"),
    (Locale::fr, "Français"),
    (Locale::de, "Deutsch"),
    (Locale::it, "Italiano"),
];

/// One of the Manager's languages, by its code.
pub fn language(code: &str) -> Option<Locale> {
    use leptos_i18n::Locale as _;
    LANGUAGES
        .iter()
        .map(|(locale, _)| *locale)
        .find(|locale| locale.as_str() == code)
}

/// A count with its thousands grouped the way the user's language writes them.
pub fn format_count(i18n: leptos_i18n::I18nContext<Locale>, n: impl Into<u64>) -> String {
    group_count(i18n.get_locale_untracked(), n.into())
}

/// A count with its thousands grouped the way `locale` writes them.
pub fn group_count(locale: Locale, n: u64) -> String {
    let separator = match locale {
        Locale::en => ",",
        // French sets a narrow no-break space between groups.
        Locale::fr => "\u{202f}",
        // The provider is Swiss: German and Italian follow de-CH and it-CH, which group
        // with an apostrophe (10’000).
        Locale::de | Locale::it => "\u{2019}",
    };
    group_digits(n, separator)
}

fn group_digits(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// A name or address that may break after its dots, its `@` and its slashes (`studio.` /
/// `example`, `alice@` / `example.com`) rather than anywhere, when its column is narrow.
#[component]
pub fn Breakable(text: String) -> impl IntoView {
    text.split_inclusive(['.', '@', '/'])
        .enumerate()
        .map(|(index, part)| {
            view! {
                {(index > 0).then(|| view! { <wbr/> })}
                {part.to_string()}
            }
        })
        .collect_view()
}

/// A cell's label, seen only where its table is shown as cards (on a phone). Screen readers
/// have the column's header instead. The text is a plain function of the locale, not a
/// closure, so that one copy of this view serves every label in the browser bundle.
#[component]
pub fn CellLabel(text: fn(Locale) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="cell-label" aria-hidden="true">{move || text(i18n.get_locale())}</span> }
}

/// The document title. The server reads a page's title after rendering, outside the
/// request's reactive arena (leptos 0.8's meta injection): a title closure reading the
/// locale there panicked when requests ran at the same time. So the server takes the
/// text once, while rendering; in the browser it follows the language.
#[component]
pub fn PageTitle(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    #[cfg(not(feature = "hydrate"))]
    let text = text();
    view! { <leptos_meta::Title text/> }
}

/// A secret just created (an API token, a webhook signing secret), shown this once for
/// copying: the server keeps no copy it could show again.
#[component]
pub fn ShownOnce(
    heading: impl Fn() -> &'static str + Send + Sync + 'static,
    note: impl Fn() -> &'static str + Send + Sync + 'static,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    secret: String,
) -> impl IntoView {
    view! {
        <section class="card notice" role="status">
            <h2>{heading}</h2>
            <p>{note}</p>
            <input readonly class="secret" aria-label=label value=secret/>
        </section>
    }
}

/// After `action` succeeds, the page's lists are read again (`refresh` is in their
/// resources' keys) and an earlier problem is cleared; when it fails, `problem` says why.
pub fn refresh_after<I, T>(
    action: Action<I, Result<T, AppError>>,
    refresh: RwSignal<u32>,
    problem: RwSignal<Option<AppError>>,
) where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            problem.set(None);
            refresh.update(|n| *n += 1);
        }
        Some(Err(error)) => problem.set(Some(error)),
        None => {}
    });
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-busy="true">{t!(i18n, common.loading)}</p> }
}

/// A page's data once loaded, drawn by `ok`, or its error in the user's language. While
/// the next value loads, the current one stays on screen. A page whose title and heading
/// come from its data (`whole_page`) shows its error as both, so the tab is never blank.
#[component]
pub fn Loaded<T, V, F>(
    resource: Fetched<Result<T, AppError>>,
    ok: F,
    #[prop(optional)] whole_page: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    loaded_frame(Arc::new(move || {
        resource.get().map(|result| match result {
            Ok(value) => ok(value).into_erased(),
            Err(error) if whole_page => view! { <PageError error/> }.into_erased(),
            Err(error) => view! { <ErrorMessage error/> }.into_erased(),
        })
    }))
}

/// [`Loaded`]'s transition, apart from its generic part: the transition's code is then in
/// the bundle once, not once for each page's data.
fn loaded_frame(content: Arc<dyn Fn() -> Option<AnyView> + Send + Sync>) -> impl IntoView {
    view! { <Transition fallback=Loading>{move || content()}</Transition> }
}

#[component]
fn PageError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let error = StoredValue::new(error);
    let text = move || error.with_value(|error| error_text(i18n, error));
    view! {
        <PageTitle text/>
        <h1>{text}</h1>
    }
}

/// Data only the browser fetches, being too large for a page's HTML: `None` until it
/// arrives, fetched again when what `fetch` reads changes. An effect, not a resource: a
/// resource the server cannot resolve would hold up the `Transition` around it forever.
pub fn fetch_in_browser<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (value, set_value) = signal(None);
    // Only the latest request may answer: an older, slower one must not overwrite it. A
    // page left while its request ran is gone when the answer comes: it is dropped.
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let pending = fetch();
        let turn = latest.get_value() + 1;
        latest.set_value(turn);
        leptos::task::spawn_local(async move {
            let fetched = pending.await;
            if latest.try_get_value() == Some(turn) {
                set_value.try_set(Some(fetched));
            }
        });
    });
    value
}

/// Like [`Loaded`], for data from [`fetch_in_browser`]. The server renders the loading
/// state, and so does the browser when it takes the page over, so the two agree. A page
/// can show more than "Loading…" meanwhile (`loading`): what the data will not change.
#[component]
pub fn LoadedInBrowser<T, V, F>(
    #[prop(into)] data: Signal<Option<Result<T, AppError>>>,
    ok: F,
    #[prop(optional, into)] loading: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    move || match data.get() {
        None => view! {
            {loading.as_ref().map(ViewFn::run)}
            <Loading/>
        }
        .into_erased(),
        Some(Ok(value)) => ok(value).into_erased(),
        Some(Err(error)) => view! { <ErrorMessage error/> }.into_erased(),
    }
}

/// The translated name of a product kind.
pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: ProductKind) -> &'static str {
    match kind {
        ProductKind::KDrive => t_string!(i18n, kinds.kdrive),
        ProductKind::KSuite => t_string!(i18n, kinds.ksuite),
        ProductKind::MyKSuite => t_string!(i18n, kinds.my_ksuite),
        ProductKind::WebHosting => t_string!(i18n, kinds.web_hosting),
        ProductKind::Domain => t_string!(i18n, kinds.domain),
        ProductKind::MailService => t_string!(i18n, kinds.mail_service),
        ProductKind::JelasticCloud => t_string!(i18n, kinds.jelastic_cloud),
        ProductKind::Vps => t_string!(i18n, kinds.vps),
        ProductKind::PublicCloud => t_string!(i18n, kinds.public_cloud),
        ProductKind::SwissBackup => t_string!(i18n, kinds.swiss_backup),
        ProductKind::Streaming => t_string!(i18n, kinds.streaming),
        ProductKind::SslCertificate => t_string!(i18n, kinds.ssl_certificate),
    }
}

/// A product kind's badge: a coloured tile with a short mark, decorative only.
#[component]
pub fn KindIcon(kind: ProductKind) -> impl IntoView {
    let mark = match kind {
        ProductKind::KDrive => "kD",
        ProductKind::KSuite => "kS",
        ProductKind::MyKSuite => "my",
        ProductKind::WebHosting => "WH",
        ProductKind::Domain => ".d",
        ProductKind::MailService => "@",
        ProductKind::JelasticCloud => "Je",
        ProductKind::Vps => "VP",
        ProductKind::PublicCloud => "PC",
        ProductKind::SwissBackup => "SB",
        ProductKind::Streaming => "St",
        ProductKind::SslCertificate => "SL",
    };
    view! {
        <span class=format!("kind-icon kind-{}", kind.as_str()) aria-hidden="true">
            {mark}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::{fill_all, group_digits};

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group_digits(0, ","), "0");
        assert_eq!(group_digits(999, ","), "999");
        assert_eq!(group_digits(1_000, ","), "1,000");
        assert_eq!(group_digits(10_000, " "), "10 000");
        assert_eq!(group_digits(1_234_567, ","), "1,234,567");
    }

    #[test]
    fn named_places_are_filled() {
        assert_eq!(
            fill_all("{range} of {total}", &[("range", "1–50"), ("total", "70")]),
            "1–50 of 70"
        );
    }
}
