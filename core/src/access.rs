use serde::{Deserialize, Serialize};

use crate::codes::coded_enum;
use crate::ids::{ProductId, TeamId, UserId};

coded_enum! {
    pub enum AccessLevel as "access level" {
        Read = "read",
        Write = "write",
    }
}

/// A user's own access to a product. `management` is the right to manage the product
/// itself (its settings, its users), which a kDrive user loses when the drive moves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub user: UserId,
    pub product: ProductId,
    pub level: AccessLevel,
    pub management: bool,
}

/// Rights on a product given to every member of a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRight {
    pub team: TeamId,
    pub product: ProductId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_codes_round_trip() {
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(level.as_str()), Ok(level));
        }
        assert_eq!(
            serde_json::to_string(&AccessLevel::Write).unwrap(),
            "\"write\""
        );
    }
}
