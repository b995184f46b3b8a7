use crate::codes::coded_enum;

coded_enum! {
    /// A user's role in one Organization.
    pub enum Role as "role" {
        LegalRepresentative = "legal_representative",
        Administrator = "administrator",
        User = "user",
    }
}

impl Role {
    /// Legal representatives and administrators manage the Organization, transfers included.
    pub const fn is_admin(self) -> bool {
        matches!(self, Self::LegalRepresentative | Self::Administrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_parse_and_serde() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{role}\""));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
        assert_eq!(Role::parse("owner").unwrap_err().code, "owner");
    }

    #[test]
    fn only_legal_representatives_and_administrators_are_admins() {
        assert!(Role::LegalRepresentative.is_admin());
        assert!(Role::Administrator.is_admin());
        assert!(!Role::User.is_admin());
    }
}
