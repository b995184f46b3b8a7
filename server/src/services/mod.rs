//! The API's server side: checks who is calling and what they may touch, then reads or
//! writes through the store. Store errors become `AppError` here, once.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use app::backend::AccountBackend;
use app::billing::InvoiceSummary;
use app::error::{AppError, InputProblem};
use app::members::MemberSummary;
use app::paging::{Page, PageRequest};
use app::products::{ProductDetail, ProductFilter};
use app::session::{DemoHints, LoggedIn, Me, SESSION_COOKIE};
use async_trait::async_trait;
use leptos_i18n::Locale as _;
use transfer_rules::{Limits, OrganizationId, ProductId, ProductRef, Role, UserId};

use crate::auth::{hash_password, new_token, token_hash};
use crate::config::Config;
use crate::links::LinkKeys;
use crate::store::demo::{DEMO_PASSWORD, DEMO_USERS};
use crate::store::{ProductSearch, Store, StoreError};

mod api_tokens;
mod hashing;
mod throttle;
mod transfers;
mod webhooks;

pub use api_tokens::ApiCaller;
use hashing::HashingGate;
use throttle::Subjects;
pub use throttle::WINDOW_MS as ATTEMPTS_WINDOW_MS;

pub struct Services {
    store: Store,
    config: Arc<Config>,
    links: LinkKeys,
    limits: Limits,
    /// Verified against when the email is unknown, so timing does not tell.
    decoy_hash: String,
    hashing: HashingGate,
}

impl Services {
    pub fn new(store: Store, config: Arc<Config>, links: LinkKeys) -> Self {
        Services {
            limits: Limits {
                expiry: config.transfer_expiry,
                ..Limits::default()
            },
            store,
            config,
            links,
            decoy_hash: hash_password("decoy password, never used").0,
            hashing: HashingGate::for_this_machine(),
        }
    }

    /// The caller's role in an Organization; one they do not belong to does not exist.
    async fn role_in(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Role, AppError> {
        self.store
            .role(user, organization)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Refuses all but the Organization's Administrators and Legal representatives; to
    /// someone outside it, it does not exist.
    async fn require_admin(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<(), AppError> {
        if self.role_in(user, organization).await?.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "store operation failed");
                AppError::Internal
            }
        }
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}

/// An address the mail library will send to (so the relay is never handed one it must
/// refuse), with a dotted domain as the Manager's users have.
fn valid_email(email: &str) -> bool {
    email.len() <= 254
        && email
            .parse::<lettre::Address>()
            .is_ok_and(|address| address.domain().contains('.') && !address.domain().ends_with('.'))
}

#[async_trait]
impl AccountBackend for Services {
    async fn authenticate(&self, session_token: &str) -> Result<Option<UserId>, AppError> {
        Ok(self
            .store
            .session_user(&token_hash(session_token), now_ms())
            .await?)
    }

    async fn login(&self, email: &str, password: &str, client: &str) -> Result<LoggedIn, AppError> {
        let email = email.trim().to_lowercase();
        if !valid_email(&email) {
            return Err(AppError::Invalid(InputProblem::Email));
        }
        if password.is_empty() || password.len() > 1024 {
            return Err(AppError::Invalid(InputProblem::Password));
        }
        let now = now_ms();
        let since = now - throttle::WINDOW_MS;
        let subjects = Subjects::new(&email, client);
        // Counted before it is judged: of many attempts racing, only the first few pass.
        self.store
            .record_failures(&[&subjects.account_and_address, &subjects.address], now)
            .await?;
        if self
            .store
            .recent_failures(&subjects.account_and_address, since)
            .await?
            > throttle::MAX_PER_ACCOUNT_AND_ADDRESS
            || self.store.recent_failures(&subjects.address, since).await?
                > throttle::MAX_PER_ADDRESS
        {
            return Err(AppError::Throttled);
        }
        self.store
            .record_failures(&[&subjects.account], now)
            .await?;
        let judged = self.store.recent_failures(&subjects.account, since).await?;
        tokio::time::sleep(throttle::account_delay(judged)).await;
        let user = self.store.user_by_email(&email).await?;
        let stored = user
            .as_ref()
            .map_or(self.decoy_hash.clone(), |user| user.password_hash.clone());
        let password = password.to_string();
        let Some(turn) = self.hashing.turn().await else {
            return Err(AppError::Busy);
        };
        let matches = turn
            .verify(password, stored)
            .await
            .map_err(|_| AppError::Internal)?;
        let user = match user {
            Some(user) if matches => user,
            _ => return Err(AppError::BadCredentials),
        };
        // A success is no failure: this attempt no longer counts anywhere.
        self.store
            .clear_failures(&subjects.account_and_address)
            .await?;
        self.store
            .forget_attempt(&[&subjects.address, &subjects.account], now)
            .await?;
        let token = new_token();
        let user_id = UserId::parse(&user.id).map_err(|_| AppError::Internal)?;
        self.store
            .create_session(
                &token_hash(&token),
                &user_id,
                now,
                now + self.config.session_ttl_ms,
            )
            .await?;
        tracing::info!(user = %user_id, "logged in");
        Ok(LoggedIn {
            token,
            language: user.language,
        })
    }

    async fn logout(&self, session_token: &str) -> Result<(), AppError> {
        Ok(self
            .store
            .delete_session(&token_hash(session_token))
            .await?)
    }

    fn session_cookie(&self, session_token: &str) -> String {
        let max_age = if session_token.is_empty() {
            0
        } else {
            self.config.session_ttl_ms / 1000
        };
        let secure = if self.config.secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        format!("{SESSION_COOKIE}={session_token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
    }

    fn demo_hints(&self) -> Option<DemoHints> {
        self.config.demo.then(|| DemoHints {
            emails: DEMO_USERS
                .iter()
                .map(|(_, email, _)| email.to_string())
                .collect(),
            password: DEMO_PASSWORD.to_string(),
        })
    }

    async fn me(&self, user: &UserId, preferred: Option<OrganizationId>) -> Result<Me, AppError> {
        let row = self.store.user(user).await?;
        let organizations = self.store.memberships(user).await?;
        let current = preferred
            .filter(|preferred| organizations.iter().any(|m| &m.organization == preferred))
            // By default, where they hold the most rights: that is where they work.
            .or_else(|| {
                organizations
                    .iter()
                    .min_by_key(|m| m.role)
                    .map(|m| m.organization.clone())
            });
        Ok(Me {
            user: user.clone(),
            name: row.name,
            email: row.email,
            organizations,
            current,
            language: row.language,
        })
    }

    async fn save_language(&self, user: &UserId, language: &str) -> Result<(), AppError> {
        let locale =
            app::ui::language(language).ok_or(AppError::Invalid(InputProblem::Language))?;
        Ok(self.store.save_language(user, locale.as_str()).await?)
    }

    async fn products(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        filter: &ProductFilter,
        page: PageRequest,
    ) -> Result<Page<ProductRef>, AppError> {
        let role = self.role_in(user, organization).await?;
        let search = ProductSearch {
            organization,
            // Plain users see the products they were given access to, as in the provider's console.
            only_for: (!role.is_admin()).then_some(user),
            name_contains: &filter.search,
            kind: filter.kind,
        };
        let (products, total) = self.store.product_page(&search, page).await?;
        Ok(Page {
            items: products.iter().map(ProductRef::from).collect(),
            total,
            request: page,
        })
    }

    async fn product(&self, user: &UserId, product: &ProductId) -> Result<ProductDetail, AppError> {
        let found = self.store.product(product).await?;
        let role = self.role_in(user, &found.owner).await?;
        if !role.is_admin() && !self.store.has_access(user, product).await? {
            return Err(AppError::NotFound);
        }
        let (here, elsewhere): (Vec<_>, Vec<_>) = self
            .store
            .linked_products(product)
            .await?
            .into_iter()
            .partition(|linked| linked.owner == found.owner);
        let mut linked = Vec::with_capacity(here.len());
        for product in &here {
            if role.is_admin() || self.store.has_access(user, &product.id).await? {
                linked.push(ProductRef::from(product));
            }
        }
        Ok(ProductDetail {
            organization_name: self.store.organization_name(&found.owner).await?,
            access: self.store.product_access(product).await?,
            teams: self.store.product_teams(product).await?,
            linked,
            linked_elsewhere: u32::try_from(elsewhere.len()).unwrap_or(u32::MAX),
            id: found.id,
            name: found.name.to_string(),
            kind: found.kind,
            organization: found.owner,
        })
    }

    async fn members(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberSummary>, AppError> {
        self.role_in(user, organization).await?;
        let (items, total) = self.store.members(organization, page).await?;
        Ok(Page {
            items,
            total,
            request: page,
        })
    }

    async fn invoices(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<InvoiceSummary>, AppError> {
        self.require_admin(user, organization).await?;
        let (items, total) = self.store.invoices(organization, page).await?;
        Ok(Page {
            items,
            total,
            request: page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::valid_email;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(valid_email("alice@example.com"));
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@example",
            "a b@example.com",
            "a@b@c.com",
            "a@.com",
            "a@example.",
            "a,b@example.com",
            "a;b@example.com",
            "<a@example.com>",
            "a@exa mple.com",
        ] {
            assert!(!valid_email(bad), "{bad:?}");
        }
    }
}
