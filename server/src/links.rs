//! Transfer links. The token is random; the database keeps a keyed hash to find it and a
//! sealed copy so the sender can see the link again. Without the server key, neither
//! yields a usable link.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("MANAGER_SECRET_KEY must be 32 bytes in base64url (43 characters)")]
    Malformed,
    #[error("cannot read or create the key file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone)]
pub struct LinkKeys {
    lookup: [u8; 32],
    seal: ChaCha20Poly1305,
}

impl LinkKeys {
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        // Two independent keys from one secret, so the hash never reveals the sealing key.
        let derive = |purpose: &[u8]| -> [u8; 32] {
            Sha256::new()
                .chain_update(purpose)
                .chain_update(secret)
                .finalize()
                .into()
        };
        LinkKeys {
            lookup: derive(b"manager/link-lookup/v1"),
            seal: ChaCha20Poly1305::new(Key::from_slice(&derive(b"manager/link-seal/v1"))),
        }
    }

    /// The configured key, else the one in the data directory, created on first start.
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<Self, KeyError> {
        let encoded = match configured {
            Some(value) => value.trim().to_string(),
            None => read_or_create(&data_dir.join("secret.key"))?,
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| KeyError::Malformed)?;
        let secret: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_secret(&secret))
    }

    pub fn lookup(&self, token: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup)
            .expect("HMAC accepts a key of any length");
        mac.update(token.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn seal(&self, token: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .seal
            .encrypt(&nonce, token.as_bytes())
            .expect("sealing a short token cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .seal
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

fn read_or_create(path: &Path) -> Result<String, KeyError> {
    let file_error = |source| KeyError::File {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(existing) => Ok(existing),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            chacha20poly1305::aead::rand_core::RngCore::fill_bytes(&mut OsRng, &mut secret);
            let encoded = URL_SAFE_NO_PAD.encode(secret);
            write_private(path, &encoded).map_err(file_error)?;
            Ok(encoded)
        }
        Err(error) => Err(file_error(error)),
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_only_with_its_key() {
        let keys = LinkKeys::from_secret(&[7; 32]);
        let sealed = keys.seal("token-123");
        assert_ne!(
            sealed,
            keys.seal("token-123"),
            "every seal has its own nonce"
        );
        assert_eq!(keys.open(&sealed).as_deref(), Some("token-123"));
        assert_eq!(LinkKeys::from_secret(&[8; 32]).open(&sealed), None);
        assert_eq!(keys.open("garbage"), None);
    }

    #[test]
    fn lookups_are_keyed() {
        let keys = LinkKeys::from_secret(&[7; 32]);
        assert_eq!(keys.lookup("abc"), keys.lookup("abc"));
        assert_ne!(
            keys.lookup("abc"),
            LinkKeys::from_secret(&[8; 32]).lookup("abc")
        );
        assert_ne!(keys.lookup("abc"), crate::auth::token_hash("abc"));
    }

    #[test]
    fn the_embedded_key_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = LinkKeys::load(None, dir.path()).unwrap();
        let second = LinkKeys::load(None, dir.path()).unwrap();
        assert_eq!(first.lookup("x"), second.lookup("x"));
        assert!(matches!(
            LinkKeys::load(Some("short"), dir.path()),
            Err(KeyError::Malformed)
        ));
    }
}
