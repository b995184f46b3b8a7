//! Login sessions and failed-login records, shared by every server process.

use transfer_rules::UserId;

use super::{decode, Store, StoreResult};

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: &UserId,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.as_str())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session_user(&self, token_hash: &str, now: i64) -> StoreResult<Option<UserId>> {
        let user: Option<String> = sqlx::query_scalar(
            "SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        user.map(|user| decode(UserId::parse(&user))).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures recorded for a subject (an email or a client address) since `since`.
    pub async fn recent_failures(&self, subject: &str, since: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND failed_at >= $2",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Records one attempt under each subject, in one statement.
    pub async fn record_failures(&self, subjects: &[&str], now: i64) -> StoreResult<()> {
        let rows: Vec<String> = (0..subjects.len())
            .map(|i| format!("(${}, $1)", i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO login_failures (subject, failed_at) VALUES {}",
            rows.join(", ")
        );
        let mut insert = sqlx::query(&sql).bind(now);
        for subject in subjects {
            insert = insert.bind(*subject);
        }
        insert.execute(&self.pool).await?;
        Ok(())
    }

    /// Takes back the attempt recorded at `now` under each subject. Attempts recorded in
    /// the same millisecond under the same subject go too: a rare, slight loosening.
    pub async fn forget_attempt(&self, subjects: &[&str], now: i64) -> StoreResult<()> {
        for subject in subjects {
            sqlx::query("DELETE FROM login_failures WHERE subject = $1 AND failed_at = $2")
                .bind(*subject)
                .bind(now)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub async fn clear_failures(&self, subject: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(subject)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops what can no longer matter: expired sessions and old failures.
    pub async fn purge_expired(&self, now: i64, failures_before: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
            .bind(failures_before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
