//! API tokens: who may hold them, and the check every `/api/v1` request passes first.

use app::api_tokens::{ApiTokenBackend, ApiTokenSummary, CreatedApiToken, MAX_TOKEN_NAME_CHARS};
use app::error::{AppError, InputProblem};
use async_trait::async_trait;
use transfer_rules::{
    api_token_expiry, check_api_token, ApiScope, ApiTokenId, ApiTokenRefusal, ApiTokenState,
    OrganizationId, Timestamp, UserId,
};

use super::{now_ms, Services};
use crate::auth::{new_token, token_hash};
use crate::store::api_tokens::{Claim, NewApiToken};

/// Active tokens an Organization may hold: enough for every script, few enough to audit.
const MAX_ACTIVE_TOKENS: i64 = 50;

/// Tokens start with this, so secret scanners and people recognise one.
const TOKEN_PREFIX: &str = "mgr_";

const RATE_WINDOW_MS: i64 = 60_000;

/// An unanswered idempotency claim older than this was abandoned: every API call answers in
/// well under a second, so none is still running after a minute.
const ABANDONED_CLAIM_MS: i64 = 60_000;

/// Who an API request acts as: a token's creator, confined to the token's Organization.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token: ApiTokenId,
    pub user: UserId,
    pub organization: OrganizationId,
}

impl Services {
    /// The caller behind a bearer secret, if the token may make a request needing `scope`
    /// now. Each request counts against the token's rate limit, refused ones included.
    pub async fn api_caller(&self, secret: &str, scope: ApiScope) -> Result<ApiCaller, AppError> {
        let now = now_ms();
        let used = self
            .store
            .use_api_token(&token_hash(secret), now, now - RATE_WINDOW_MS)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let state = ApiTokenState {
            scopes: used.scopes.clone(),
            expires_at: Timestamp::from_millis(used.expires_at),
            revoked: false,
            creator_role: self.store.role(&used.creator, &used.organization).await?,
        };
        match check_api_token(&state, scope, Timestamp::from_millis(now)) {
            Err(ApiTokenRefusal::MissingScope(_)) => return Err(AppError::Forbidden),
            Err(_) => return Err(AppError::Unauthorized),
            Ok(()) => {}
        }
        if used.window_count > i64::from(self.config.api_rate_limit) {
            let left_ms = (used.window_start + RATE_WINDOW_MS - now).max(1);
            return Err(AppError::RateLimited {
                retry_after_secs: u32::try_from((left_ms + 999) / 1000).unwrap_or(60),
            });
        }
        Ok(ApiCaller {
            token: used.id,
            user: used.creator,
            organization: used.organization,
        })
    }

    pub async fn claim_idempotency_key(
        &self,
        caller: &ApiCaller,
        key: &str,
        fingerprint: &str,
    ) -> Result<Claim, AppError> {
        let now = now_ms();
        match self
            .store
            .claim_idempotency_key(
                &caller.token,
                key,
                fingerprint,
                now,
                now - ABANDONED_CLAIM_MS,
            )
            .await?
        {
            Claim::Answered { status, body } => match self.links.open(&body) {
                Some(body) => Ok(Claim::Answered { status, body }),
                None => {
                    tracing::error!("a kept answer does not open with this server's key");
                    Err(AppError::Internal)
                }
            },
            claim => Ok(claim),
        }
    }

    pub async fn keep_answer(
        &self,
        caller: &ApiCaller,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), AppError> {
        // Sealed: the answer to a started transfer holds its link, which the database alone
        // must never yield.
        Ok(self
            .store
            .keep_answer(&caller.token, key, status, &self.links.seal(body))
            .await?)
    }

    pub async fn release_idempotency_key(
        &self,
        caller: &ApiCaller,
        key: &str,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .release_idempotency_key(&caller.token, key)
            .await?)
    }
}

#[async_trait]
impl ApiTokenBackend for Services {
    async fn api_tokens(
        &self,
        user: &UserId,
        organization: &OrganizationId,
    ) -> Result<Vec<ApiTokenSummary>, AppError> {
        self.require_admin(user, organization).await?;
        Ok(self.store.api_tokens(organization, now_ms()).await?)
    }

    async fn create_api_token(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        name: &str,
        scopes: &[ApiScope],
        days: u32,
    ) -> Result<CreatedApiToken, AppError> {
        self.require_admin(user, organization).await?;
        if name.is_empty()
            || name.chars().count() > MAX_TOKEN_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(AppError::Invalid(InputProblem::TokenName));
        }
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(AppError::Invalid(InputProblem::TokenScopes));
        }
        let now = now_ms();
        let expires_at = api_token_expiry(Timestamp::from_millis(now), days)
            .map_err(|_| AppError::Invalid(InputProblem::TokenLifetime))?;
        let id = ApiTokenId::parse(&format!("tok-{}", &new_token()[..16]))
            .map_err(|_| AppError::Internal)?;
        let secret = format!("{TOKEN_PREFIX}{}", new_token());
        let inserted = self
            .store
            .insert_api_token(
                NewApiToken {
                    id: &id,
                    organization,
                    creator: user,
                    name,
                    scopes: &scopes,
                    secret_hash: &token_hash(&secret),
                    created_at: now,
                    expires_at: expires_at.as_millis(),
                },
                MAX_ACTIVE_TOKENS,
            )
            .await?;
        if !inserted {
            return Err(AppError::TokenLimit);
        }
        tracing::info!(token = %id, %organization, "API token created");
        Ok(CreatedApiToken { id, secret })
    }

    async fn revoke_api_token(
        &self,
        user: &UserId,
        organization: &OrganizationId,
        token: &ApiTokenId,
    ) -> Result<(), AppError> {
        self.require_admin(user, organization).await?;
        if self
            .store
            .revoke_api_token(organization, token, now_ms())
            .await?
        {
            tracing::info!(%token, %organization, "API token revoked");
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
