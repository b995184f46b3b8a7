//! API tokens and the answers kept for idempotent retries, shared by every server process.

use transfer_rules::{ApiScope, ApiTokenId, OrganizationId, Timestamp, UserId};

use app::api_tokens::ApiTokenSummary;

use super::{decode, Store, StoreResult, Turn};

pub struct NewApiToken<'a> {
    pub id: &'a ApiTokenId,
    pub organization: &'a OrganizationId,
    pub creator: &'a UserId,
    pub name: &'a str,
    pub scopes: &'a [ApiScope],
    pub secret_hash: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A live token that was just used, with the request count of its current window.
#[derive(Clone, Debug)]
pub struct UsedToken {
    pub id: ApiTokenId,
    pub organization: OrganizationId,
    pub creator: UserId,
    pub scopes: Vec<ApiScope>,
    pub expires_at: i64,
    pub window_start: i64,
    pub window_count: i64,
}

#[derive(sqlx::FromRow)]
struct UsedRow {
    id: String,
    organization_id: String,
    creator_id: String,
    scopes: String,
    expires_at: i64,
    window_start: i64,
    window_count: i64,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    scopes: String,
    creator_name: String,
    created_at: i64,
    expires_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// What a claim on an idempotency key found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this request runs, and its answer is kept with [`Store::keep_answer`].
    Fresh,
    /// The same request already ran: its answer (as kept: sealed), to send again.
    Answered { status: u16, body: String },
    /// The same request is running right now.
    Running,
    /// The key was used for a different request.
    Mismatch,
}

fn scope_codes(scopes: &[ApiScope]) -> String {
    scopes
        .iter()
        .map(|scope| scope.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_scopes(codes: &str) -> StoreResult<Vec<ApiScope>> {
    codes
        .split_whitespace()
        .map(|code| decode(ApiScope::parse(code)))
        .collect()
}

/// Tokens an Organization's list shows at most, newest first.
const LISTED_TOKENS: i64 = 100;

impl Store {
    /// Adds a token unless its Organization already holds `most` active ones (counted on
    /// the Organization's turn). Returns whether it was added.
    pub async fn insert_api_token(&self, token: NewApiToken<'_>, most: i64) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        Turn::Organization(token.organization).take(&mut tx).await?;
        let active: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM api_tokens \
             WHERE organization_id = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(token.organization.as_str())
        .bind(token.created_at)
        .fetch_one(&mut *tx)
        .await?;
        if active >= most {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO api_tokens (id, organization_id, creator_id, name, scopes, secret_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token.id.as_str())
        .bind(token.organization.as_str())
        .bind(token.creator.as_str())
        .bind(token.name)
        .bind(scope_codes(token.scopes))
        .bind(token.secret_hash)
        .bind(token.created_at)
        .bind(token.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn api_tokens(
        &self,
        organization: &OrganizationId,
        now: i64,
    ) -> StoreResult<Vec<ApiTokenSummary>> {
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT t.id, t.name, t.scopes, u.name AS creator_name, t.created_at, t.expires_at, \
             t.last_used_at, t.revoked_at \
             FROM api_tokens t JOIN users u ON u.id = t.creator_id \
             WHERE t.organization_id = $1 ORDER BY t.created_at DESC, t.id LIMIT $2",
        )
        .bind(organization.as_str())
        .bind(LISTED_TOKENS)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ApiTokenSummary {
                    id: decode(ApiTokenId::parse(&row.id))?,
                    scopes: parse_scopes(&row.scopes)?,
                    active: row.revoked_at.is_none() && now < row.expires_at,
                    name: row.name,
                    creator: row.creator_name,
                    created_at: Timestamp::from_millis(row.created_at),
                    expires_at: Timestamp::from_millis(row.expires_at),
                    last_used_at: row.last_used_at.map(Timestamp::from_millis),
                    revoked_at: row.revoked_at.map(Timestamp::from_millis),
                })
            })
            .collect()
    }

    /// Whether a token of this Organization was revoked now (not when it already was, or
    /// belongs elsewhere).
    pub async fn revoke_api_token(
        &self,
        organization: &OrganizationId,
        token: &ApiTokenId,
        now: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 \
             WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL",
        )
        .bind(token.as_str())
        .bind(organization.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts one request against a live token, in one statement so that concurrent
    /// requests through any server process are all counted: a new window opens when the
    /// current one began before `window_opened_after`.
    pub async fn use_api_token(
        &self,
        secret_hash: &str,
        now: i64,
        window_opened_after: i64,
    ) -> StoreResult<Option<UsedToken>> {
        let row: Option<UsedRow> = sqlx::query_as(
            "UPDATE api_tokens SET last_used_at = $2, \
             window_count = CASE WHEN window_start > $3 THEN window_count + 1 ELSE 1 END, \
             window_start = CASE WHEN window_start > $3 THEN window_start ELSE $2 END \
             WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > $2 \
             RETURNING id, organization_id, creator_id, scopes, expires_at, window_start, window_count",
        )
        .bind(secret_hash)
        .bind(now)
        .bind(window_opened_after)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(UsedToken {
                id: decode(ApiTokenId::parse(&row.id))?,
                organization: decode(OrganizationId::parse(&row.organization_id))?,
                creator: decode(UserId::parse(&row.creator_id))?,
                scopes: parse_scopes(&row.scopes)?,
                expires_at: row.expires_at,
                window_start: row.window_start,
                window_count: row.window_count,
            })
        })
        .transpose()
    }

    /// Claims an idempotency key for a request, or finds what became of an earlier one.
    /// A claim made before `abandoned_before` and never answered was left by a call that
    /// cannot still be running (its client went away, or its process stopped): it is taken
    /// over, so that the retry runs instead of waiting for the purge.
    pub async fn claim_idempotency_key(
        &self,
        token: &ApiTokenId,
        key: &str,
        fingerprint: &str,
        now: i64,
        abandoned_before: i64,
    ) -> StoreResult<Claim> {
        let inserted = sqlx::query(
            "INSERT INTO api_idempotency (token_id, idempotency_key, fingerprint, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(token.as_str())
        .bind(key)
        .bind(fingerprint)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::Fresh);
        }
        let (kept, status, body): (String, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT fingerprint, status, body FROM api_idempotency \
             WHERE token_id = $1 AND idempotency_key = $2",
        )
        .bind(token.as_str())
        .bind(key)
        .fetch_one(&self.pool)
        .await?;
        Ok(match (kept == fingerprint, status, body) {
            (false, _, _) => Claim::Mismatch,
            (true, Some(status), Some(body)) => Claim::Answered {
                status: decode(u16::try_from(status))?,
                body,
            },
            (true, _, _) => {
                let taken_over = sqlx::query(
                    "UPDATE api_idempotency SET created_at = $3 \
                     WHERE token_id = $1 AND idempotency_key = $2 \
                       AND status IS NULL AND created_at < $4",
                )
                .bind(token.as_str())
                .bind(key)
                .bind(now)
                .bind(abandoned_before)
                .execute(&self.pool)
                .await?;
                if taken_over.rows_affected() == 1 {
                    Claim::Fresh
                } else {
                    Claim::Running
                }
            }
        })
    }

    pub async fn keep_answer(
        &self,
        token: &ApiTokenId,
        key: &str,
        status: u16,
        body: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE api_idempotency SET status = $3, body = $4 \
             WHERE token_id = $1 AND idempotency_key = $2",
        )
        .bind(token.as_str())
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives a key back, so a retry of a request that failed on the server side runs again.
    pub async fn release_idempotency_key(&self, token: &ApiTokenId, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM api_idempotency WHERE token_id = $1 AND idempotency_key = $2")
            .bind(token.as_str())
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn purge_idempotency_keys(&self, before: i64) -> StoreResult<u64> {
        Ok(
            sqlx::query("DELETE FROM api_idempotency WHERE created_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
