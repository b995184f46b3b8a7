//! Who is logged in, logging in and out.

mod login_page;

pub use login_page::LoginPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use transfer_rules::{OrganizationId, Role, UserId};

use crate::error::AppError;

pub const SESSION_COOKIE: &str = "manager_session";
/// Where the language of the pages is kept: leptos_i18n reads it on the server.
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// A session just opened, and the language its user chose, if they did.
pub struct LoggedIn {
    pub token: String,
    pub language: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub organizations: Vec<Membership>,
    /// The Organization the user was last on, if still theirs, else their first one.
    pub current: Option<OrganizationId>,
    /// The language the user chose, if they did (a locale code).
    pub language: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub organization: OrganizationId,
    pub name: String,
    pub role: Role,
}

/// Shown on the login page in demo mode only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoHints {
    pub emails: Vec<String>,
    pub password: String,
}

/// The demo logins, in demo mode. The server knows them, and the shell writes them on the
/// page's `<body>` (`data-demo-logins`, `data-demo-password`), outside what the browser
/// hydrates; the browser reads them there. A request and a resource for them kept the
/// resource and suspense code, 74 KB, in the main bundle.
pub fn demo_hints() -> Option<DemoHints> {
    #[cfg(feature = "ssr")]
    {
        crate::backend::backend().demo_hints()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let body = document().body()?;
        Some(DemoHints {
            emails: (body.get_attribute("data-demo-logins")?.split(' '))
                .map(String::from)
                .collect(),
            password: body.get_attribute("data-demo-password")?,
        })
    }
}

/// Where to go after logging in: only a path on this site, never another origin.
pub fn safe_next(next: &str) -> &str {
    let same_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if same_site && !next.starts_with("/login") {
        next
    } else {
        "/products"
    }
}

#[server(endpoint = "get_me")]
pub async fn get_me() -> Result<Me, AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend
        .me(&user, crate::backend::preferred_organization())
        .await
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: String) -> Result<(), AppError> {
    use crate::backend::{backend, client_address};
    let backend = backend();
    let session = backend
        .login(email.trim(), &password, &client_address())
        .await?;
    set_cookie(&backend.session_cookie(&session.token))?;
    if let Some(language) = session.language {
        // The next page is drawn in the user's language from its first byte.
        set_cookie(&crate::cookies::kept_for_a_year(LANGUAGE_COOKIE, &language))?;
    }
    leptos_axum::redirect(safe_next(&next));
    Ok(())
}

/// Remembers the language the user chose, for their next visits and their emails.
#[server(endpoint = "save_language")]
pub async fn save_language(language: String) -> Result<(), AppError> {
    let (backend, user) = crate::backend::caller().await?;
    backend.save_language(&user, &language).await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::{backend, session_token};
    let backend = backend();
    if let Some(token) = session_token() {
        backend.logout(&token).await?;
    }
    set_cookie(&backend.session_cookie(""))?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) -> Result<(), AppError> {
    let header = http::HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, header);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_local_paths() {
        assert_eq!(safe_next("/transfers?x=1"), "/transfers?x=1");
        assert_eq!(safe_next("/receive/abc"), "/receive/abc");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "evil",
            "/login?next=/x",
            "/a\nb",
        ] {
            assert_eq!(safe_next(hostile), "/products", "{hostile:?}");
        }
    }
}
