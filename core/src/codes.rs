//! Enums stored in the database and sent over the wire as stable snake_case codes.

/// A code that names no variant: the database or a request holds something this build
/// does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct ParseError {
    pub kind: &'static str,
    pub code: String,
}

/// One definition per enum keeps `as_str`, `parse`, `ALL` and serde from drifting apart.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $kind:literal {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: [Self; [$($code),+].len()] = [$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            pub fn parse(code: &str) -> Result<Self, $crate::codes::ParseError> {
                Self::ALL
                    .into_iter()
                    .find(|value| value.as_str() == code)
                    .ok_or_else(|| $crate::codes::ParseError {
                        kind: $kind,
                        code: code.to_owned(),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::ParseError;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                Self::parse(code)
            }
        }
    };
}

pub(crate) use coded_enum;
