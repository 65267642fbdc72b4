//! IDs as Klaviyo makes them: ULID-like IDs for profiles and events, short metric IDs, and
//! error IDs in UUID form.

use rand::Rng;

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ULID-like ID as Klaviyo gives profiles and events (`01GDDKASAP8TKDDA2GRZDSVP4H`):
/// 10 characters of time, 16 random.
pub(super) fn new_id(now_ms: i64) -> String {
    let mut rng = rand::rng();
    let time = now_ms.max(0) as u64;
    (0..10)
        .rev()
        .map(|i| CROCKFORD[((time >> (5 * i)) & 31) as usize])
        .chain((0..16).map(|_| CROCKFORD[rng.random_range(0..32)]))
        .map(char::from)
        .collect()
}

pub(super) fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// An error ID in UUID form.
pub(in crate::klaviyo) fn error_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_klaviyos() {
        let id = new_id(1_700_000_000_000);
        assert_eq!(id.len(), 26);
        assert!(id.bytes().all(|b| CROCKFORD.contains(&b)));
        let uuid = error_id();
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.matches('-').count(), 4);
    }
}
