//! Merchant API secrets, encrypted at rest with XChaCha20-Poly1305 under a key from
//! configuration. The stored form is `v1:` + base64(nonce ‖ ciphertext); the merchant ID is
//! bound in as associated data, so a ciphertext copied to another merchant's row does not
//! decrypt.

use anyhow::Context;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

/// The key that encrypts merchant secrets. `Debug` never shows it.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBox([redacted])")
    }
}

impl SecretBox {
    /// From 32 bytes, given as standard base64 (44 characters).
    pub fn from_base64(key: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| "must be base64 (e.g. from `openssl rand -base64 32`)".to_owned())?;
        if bytes.len() != 32 {
            return Err(format!(
                "must be 32 bytes of base64, got {} bytes",
                bytes.len()
            ));
        }
        Ok(Self {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&bytes)),
        })
    }

    /// A new random key, as base64.
    pub fn generate_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn seal(&self, owner: &str, secret: &SecretString) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.expose_secret().as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("encrypting a secret failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    pub fn open(&self, owner: &str, stored: &str) -> anyhow::Result<SecretString> {
        let raw = stored
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|raw| raw.len() > NONCE_LEN)
            .context("a stored secret is not in the v1 format")?;
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "a stored secret does not decrypt: was TRACKLIGHT_SECRET_KEY changed?"
                )
            })?;
        let text = String::from_utf8(plain).context("a stored secret is not UTF-8")?;
        Ok(SecretString::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_for_their_owner_and_key() {
        let key = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
        let secret = SecretString::from("yotpo-api-secret");
        let stored = key.seal("merchant-a", &secret).unwrap();
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("yotpo-api-secret"));
        assert_ne!(
            stored,
            key.seal("merchant-a", &secret).unwrap(),
            "fresh nonce"
        );
        assert_eq!(
            key.open("merchant-a", &stored).unwrap().expose_secret(),
            "yotpo-api-secret"
        );
        assert!(
            key.open("merchant-b", &stored).is_err(),
            "bound to its owner"
        );
        let other = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
        assert!(other.open("merchant-a", &stored).is_err());
        assert!(key.open("merchant-a", "plain").is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(SecretBox::from_base64("not base64!").is_err());
        assert!(SecretBox::from_base64("c2hvcnQ=").is_err());
        assert!(format!(
            "{:?}",
            SecretBox::from_base64(&SecretBox::generate_key()).unwrap()
        )
        .contains("redacted"));
    }
}
