//! API tokens: what each scope allows, and when a token may act (DESIGN.md §10).
//!
//! A token acts for one Organization with its creator's rights, never more: it works only
//! while its creator still manages that Organization, and only within its scopes.

use crate::codes::coded_enum;
use crate::role::Role;
use crate::time::Timestamp;

coded_enum! {
    /// What an API token may do; a request needs the one its route names.
    pub enum ApiScope as "API scope" {
        ProductsRead = "products:read",
        TransfersRead = "transfers:read",
        TransfersSend = "transfers:send",
        TransfersReceive = "transfers:receive",
    }
}

/// The longest a token may live; a token for ever is a leak waiting to happen.
pub const MAX_API_TOKEN_DAYS: u32 = 366;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// When a token created at `now` for `days` days stops working.
pub fn api_token_expiry(now: Timestamp, days: u32) -> Result<Timestamp, ApiTokenRefusal> {
    if days == 0 || days > MAX_API_TOKEN_DAYS {
        return Err(ApiTokenRefusal::BadLifetime);
    }
    Ok(Timestamp::from_millis(
        now.as_millis() + i64::from(days) * DAY_MS,
    ))
}

/// A token as stored, at the moment it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenState {
    pub scopes: Vec<ApiScope>,
    pub expires_at: Timestamp,
    pub revoked: bool,
    /// The creator's role in the token's Organization today; `None` when they left it.
    pub creator_role: Option<Role>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiTokenRefusal {
    /// Revoked, expired, or its creator no longer manages the Organization: the token is
    /// as good as unknown.
    #[error("the token no longer works")]
    Dead,
    #[error("the token lacks the scope this request needs")]
    MissingScope(ApiScope),
    #[error("a token lives between 1 and {MAX_API_TOKEN_DAYS} days")]
    BadLifetime,
}

/// Whether a token may make a request that needs `scope`, now.
pub fn check_api_token(
    token: &ApiTokenState,
    scope: ApiScope,
    now: Timestamp,
) -> Result<(), ApiTokenRefusal> {
    let alive =
        !token.revoked && now < token.expires_at && token.creator_role.is_some_and(Role::is_admin);
    if !alive {
        return Err(ApiTokenRefusal::Dead);
    }
    if !token.scopes.contains(&scope) {
        return Err(ApiTokenRefusal::MissingScope(scope));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(scopes: &[ApiScope]) -> ApiTokenState {
        ApiTokenState {
            scopes: scopes.to_vec(),
            expires_at: Timestamp::from_millis(1_000),
            revoked: false,
            creator_role: Some(Role::Administrator),
        }
    }

    const NOW: Timestamp = Timestamp::from_millis(500);

    #[test]
    fn a_live_token_may_do_what_its_scopes_name_and_nothing_else() {
        let reader = token(&[ApiScope::TransfersRead]);
        assert_eq!(
            check_api_token(&reader, ApiScope::TransfersRead, NOW),
            Ok(())
        );
        for other in [
            ApiScope::ProductsRead,
            ApiScope::TransfersSend,
            ApiScope::TransfersReceive,
        ] {
            assert_eq!(
                check_api_token(&reader, other, NOW),
                Err(ApiTokenRefusal::MissingScope(other))
            );
        }
    }

    #[test]
    fn revoked_expired_or_orphaned_tokens_are_dead() {
        let all = ApiScope::ALL;
        let revoked = ApiTokenState {
            revoked: true,
            ..token(&all)
        };
        let expired = ApiTokenState {
            expires_at: NOW,
            ..token(&all)
        };
        let demoted = ApiTokenState {
            creator_role: Some(Role::User),
            ..token(&all)
        };
        let gone = ApiTokenState {
            creator_role: None,
            ..token(&all)
        };
        for dead in [revoked, expired, demoted, gone] {
            assert_eq!(
                check_api_token(&dead, ApiScope::ProductsRead, NOW),
                Err(ApiTokenRefusal::Dead),
                "{dead:?}"
            );
        }
        let legal = ApiTokenState {
            creator_role: Some(Role::LegalRepresentative),
            ..token(&all)
        };
        assert_eq!(check_api_token(&legal, ApiScope::ProductsRead, NOW), Ok(()));
    }

    #[test]
    fn lifetimes_are_bounded() {
        let now = Timestamp::from_millis(0);
        assert_eq!(api_token_expiry(now, 0), Err(ApiTokenRefusal::BadLifetime));
        assert_eq!(
            api_token_expiry(now, MAX_API_TOKEN_DAYS + 1),
            Err(ApiTokenRefusal::BadLifetime)
        );
        assert_eq!(
            api_token_expiry(now, 30),
            Ok(Timestamp::from_millis(30 * DAY_MS))
        );
    }

    #[test]
    fn scope_codes_are_the_documented_ones() {
        let codes: Vec<_> = ApiScope::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "products:read",
                "transfers:read",
                "transfers:send",
                "transfers:receive"
            ]
        );
    }
}
