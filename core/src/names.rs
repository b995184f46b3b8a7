//! Names people give their Organizations. The receive page shows the sending Organization
//! by name, so a name must not be able to pass for another: characters that draw nothing
//! or reorder the text are refused, and equal-looking spellings are folded into one.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

const MAX_CHARS: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("a name must not be empty")]
    Empty,
    #[error("a name must be at most 100 characters long")]
    TooLong,
    /// A control, format, bidirectional or otherwise invisible character.
    #[error("a name must not contain invisible or control characters")]
    Invisible,
}

/// A checked Organization name: NFC, single ASCII spaces between words, nothing invisible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self, NameProblem> {
        let mut name = String::with_capacity(raw.len());
        for c in raw.nfc() {
            if c.is_whitespace() {
                // Every kind of space reads as one: fold them so none can stand in for another.
                if !name.is_empty() && !name.ends_with(' ') {
                    name.push(' ');
                }
            } else if is_invisible(c) {
                return Err(NameProblem::Invisible);
            } else {
                name.push(c);
            }
        }
        let name = name.trim_end().to_string();
        match name.chars().count() {
            0 => Err(NameProblem::Empty),
            n if n > MAX_CHARS => Err(NameProblem::TooLong),
            _ => Ok(OrganizationName(name)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrganizationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Controls, private-use characters, and Unicode's Default_Ignorable_Code_Point set (which
/// holds the zero-width and bidirectional controls): none of them draws a visible glyph.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{E000}'..='\u{F8FF}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
                | '\u{F0000}'..='\u{10FFFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_kept() {
        for name in [
            "Alice Studio SA",
            "Bob Consulting Sàrl",
            "Zürich AG",
            "東京 KK",
        ] {
            assert_eq!(OrganizationName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn invisible_and_reordering_characters_are_refused() {
        for sneaky in [
            "Alice Studio SA\u{200B}",
            "Alice\u{200D}Studio",
            "\u{202E}AS oidutS ecilA",
            "Alice\u{2066}Studio\u{2069}",
            "Alice\u{00AD}Studio",
            "Alice\u{FEFF}",
            "Alice\u{E0041}",
            "Alice\u{0007}",
            "Alice\u{FE0F}",
            "\u{3164}",
        ] {
            assert_eq!(
                OrganizationName::parse(sneaky),
                Err(NameProblem::Invisible),
                "{sneaky:?}"
            );
        }
    }

    #[test]
    fn spellings_that_look_alike_become_one() {
        let composed = OrganizationName::parse("Cafe\u{0301} SA").unwrap();
        assert_eq!(composed.as_str(), "Caf\u{00E9} SA");
        for spaced in [
            "  Alice Studio SA ",
            "Alice\u{00A0}Studio SA",
            "Alice  Studio\tSA",
            "Alice\u{3000}Studio SA",
            "Alice\u{2028}Studio SA",
        ] {
            assert_eq!(
                OrganizationName::parse(spaced).unwrap().as_str(),
                "Alice Studio SA",
                "{spaced:?}"
            );
        }
    }

    #[test]
    fn names_have_a_length() {
        assert_eq!(OrganizationName::parse("   "), Err(NameProblem::Empty));
        assert_eq!(OrganizationName::parse(""), Err(NameProblem::Empty));
        assert!(OrganizationName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(
            OrganizationName::parse(&"é".repeat(101)),
            Err(NameProblem::TooLong)
        );
    }
}
