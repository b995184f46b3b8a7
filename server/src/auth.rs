//! Secrets: password hashes and session tokens.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// An Argon2id hash in PHC format. Never serialised: it only travels to the database.
pub struct PasswordHashString(pub String);

pub fn hash_password(password: &str) -> PasswordHashString {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 with default parameters accepts any password and a generated salt");
    PasswordHashString(hash.to_string())
}

/// Argon2's working memory (19 MiB with the default parameters). Kept and reused between
/// verifications: a freed buffer of that size stays resident in the allocator's
/// per-thread arenas, so a burst of logins allocating afresh grew the server by hundreds
/// of megabytes.
#[derive(Default)]
pub struct HashingMemory(Vec<Block>);

/// Whether `password` is the one `stored` (a PHC string) was made from, computed in
/// `memory`. A malformed stored hash matches nothing.
pub fn verify_password_in(memory: &mut HashingMemory, password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(hash.algorithm),
        hash.version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&hash),
    ) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.0.len() < blocks {
        memory.0.resize(blocks, Block::default());
    }
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut computed,
            &mut memory.0[..blocks],
        )
        .is_ok()
        // `Output`'s comparison takes the same time wherever the bytes differ.
        && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: enough to look it up, not to use it.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("demo-password");
        assert!(hash.0.starts_with("$argon2id$"));
        let memory = &mut HashingMemory::default();
        assert!(verify_password_in(memory, "demo-password", &hash.0));
        assert!(!verify_password_in(memory, "demo-passwordx", &hash.0));
        assert!(!verify_password_in(memory, "demo-password", "not a hash"));
        assert!(verify_password_in(memory, "demo-password", &hash.0));
    }

    #[test]
    fn hashes_made_with_other_parameters_verify_too() {
        let params = Params::new(1024, 3, 2, Some(24)).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let stored = Argon2::new(Algorithm::Argon2i, Version::V0x10, params)
            .hash_password(b"older password", &salt)
            .unwrap()
            .to_string();
        let memory = &mut HashingMemory::default();
        assert!(verify_password_in(memory, "older password", &stored));
        assert!(!verify_password_in(memory, "older passwore", &stored));
        let default_hash = hash_password("demo-password");
        assert!(verify_password_in(memory, "demo-password", &default_hash.0));
        assert!(verify_password_in(memory, "older password", &stored));
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
