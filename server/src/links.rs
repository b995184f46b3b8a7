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

use app::i18n::Locale;
use leptos_i18n::Locale as _;

use crate::store::outbox::{Email, SealedEmail, Translated};

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

    pub fn seal(&self, text: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .seal
            .encrypt(&nonce, text.as_bytes())
            .expect("ChaCha20-Poly1305 seals any text below 256 GB");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The form in which the outbox keeps an email until it is delivered.
    pub fn seal_email(&self, email: Email) -> SealedEmail {
        SealedEmail {
            sealed_body: self.seal(&email.body),
            subject: email.subject,
        }
    }

    pub fn seal_translated(&self, emails: Vec<(Locale, Email)>) -> Translated {
        Translated(
            emails
                .into_iter()
                .map(|(locale, email)| (locale.as_str(), self.seal_email(email)))
                .collect(),
        )
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

/// Reads the key file, creating it on first start. Several processes may start together
/// on an empty data directory: each writes a candidate under its own name and links it
/// into place only if no key is there yet, so exactly one wins and the others read it. A
/// file is never seen half written. An empty file (left by a crash of an older version,
/// before any key could have been used) is replaced.
fn read_or_create(path: &Path) -> Result<String, KeyError> {
    let file_error = |source| KeyError::File {
        path: path.display().to_string(),
        source,
    };
    loop {
        match std::fs::read_to_string(path) {
            Ok(existing) if !existing.trim().is_empty() => return Ok(existing),
            Ok(_) => match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(file_error(error)),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(file_error(error)),
        }
        let mut secret = [0u8; 32];
        chacha20poly1305::aead::rand_core::RngCore::fill_bytes(&mut OsRng, &mut secret);
        let encoded = URL_SAFE_NO_PAD.encode(secret);
        match publish_private(path, &encoded) {
            Ok(()) => return Ok(encoded),
            // Another process published first: read theirs.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(file_error(error)),
        }
    }
}

/// Writes `contents` to a private temporary file beside `path`, flushed to disk, then
/// links it at `path`, failing with `AlreadyExists` when something is there already.
fn publish_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut candidate = path.as_os_str().to_owned();
    candidate.push(format!(".{}.tmp", crate::auth::new_token()));
    let candidate = std::path::PathBuf::from(candidate);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&candidate)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&candidate, path)
    })();
    let _ = std::fs::remove_file(&candidate);
    written
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

    #[test]
    fn processes_starting_together_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let lookups: Vec<String> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..16)
                .map(|_| scope.spawn(|| LinkKeys::load(None, dir.path()).unwrap().lookup("x")))
                .collect();
            starts.into_iter().map(|s| s.join().unwrap()).collect()
        });
        assert!(lookups.iter().all(|lookup| lookup == &lookups[0]));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["secret.key"], "no temporary file is left behind");
    }

    #[test]
    fn an_empty_key_file_is_replaced_and_the_key_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        std::fs::write(&path, "").unwrap();
        let keys = LinkKeys::load(None, dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().len(), 43);
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            LinkKeys::load(None, dir.path()).unwrap().lookup("x"),
            keys.lookup("x")
        );
    }

    #[test]
    fn sealed_emails_keep_no_link_in_clear() {
        let keys = LinkKeys::from_secret(&[7; 32]);
        let email = Email {
            subject: "s".into(),
            body: "open https://m.example/receive/TOKEN".into(),
        };
        let sealed = keys.seal_email(email);
        assert!(!sealed.sealed_body.contains("TOKEN"));
        assert_eq!(
            keys.open(&sealed.sealed_body).as_deref(),
            Some("open https://m.example/receive/TOKEN")
        );
    }
}
