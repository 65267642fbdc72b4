//! Masks personal data for logs, `Debug` output and pages: enough left to tell two values
//! apart (and for a shopper to recognise their own number), not enough to contact anyone.

/// `+14155552671` → `+1******671`.
pub fn phone(e164: &str) -> String {
    let chars: Vec<char> = e164.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 5))
}

/// `ana.lopez@example.com` → `a***@example.com`.
pub fn email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_little() {
        assert_eq!(super::phone("+14155552671"), "+1*******671");
        assert_eq!(super::phone("+123"), "****");
        assert_eq!(super::email("ana.lopez@example.com"), "a***@example.com");
        assert_eq!(super::email("nonsense"), "***");
    }
}
