//! Identifiers. They travel in URLs, forms and database rows, so they are checked once,
//! at the edge, and every later step can trust them.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

const MAX_LEN: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id must not be empty")]
    Empty,
    #[error("an id must be at most 64 characters long")]
    TooLong,
    #[error("an id may contain only ASCII letters, digits, '_' and '-'")]
    InvalidCharacter,
}

fn check(raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        Err(IdError::Empty)
    } else if raw.len() > MAX_LEN {
        Err(IdError::TooLong)
    } else if !raw
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Err(IdError::InvalidCharacter)
    } else {
        Ok(())
    }
}

macro_rules! string_ids {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                check(raw).map(|()| Self(raw.into()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(raw: String) -> Result<Self, IdError> {
                check(&raw).map(|()| Self(raw.into()))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(raw: &str) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}

string_ids! {
    OrganizationId;
    UserId;
    ProductId;
    TeamId;
    InvoiceId;
    /// The transfer's public id, distinct from the secret link token.
    TransferId;
    /// An API token's public id, shown in lists; the secret is never stored.
    ApiTokenId;
    /// A webhook endpoint's public id; its signing secret is kept sealed.
    WebhookEndpointId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_1_to_64_safe_characters() {
        assert_eq!(ProductId::parse("a").unwrap().as_str(), "a");
        let longest = "A-z_9".repeat(13)[..64].to_owned();
        assert_eq!(UserId::parse(&longest).unwrap().to_string(), longest);
    }

    #[test]
    fn rejects_empty_long_and_unsafe_ids() {
        assert_eq!(TeamId::parse(""), Err(IdError::Empty));
        assert_eq!(TeamId::parse(&"a".repeat(65)), Err(IdError::TooLong));
        for bad in ["a b", "a/b", "é", "a.b", "<x>"] {
            assert_eq!(TeamId::parse(bad), Err(IdError::InvalidCharacter), "{bad}");
        }
    }

    #[test]
    fn serde_checks_like_parse() {
        let id: InvoiceId = serde_json::from_str("\"inv-1\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"inv-1\"");
        assert!(serde_json::from_str::<TransferId>("\"../etc\"").is_err());
    }
}
