//! Personal data kept out of the request log: the log is for seeing what was sent (paths,
//! shapes, statuses), so phones, emails, names, addresses and secrets are masked when a
//! request is recorded. What the provider itself stores (customers, subscribers) stays whole,
//! as a real provider keeps it; tests read values there.

use serde_json::Value;

/// JSON keys whose string values are personal data or secrets.
const PERSONAL: &[&str] = &[
    "phone",
    "phone_number",
    "email",
    "customer_email",
    "first_name",
    "last_name",
    "name",
    "address",
    "address1",
    "address2",
    "city",
    "zip",
    "postcode",
    "secret",
    "api_secret",
    "api_key",
    // Reviews / Visual UGC v1: the uploader, the utoken and the token exchange's secret.
    "user_email",
    "user_name",
    "utoken",
    "client_secret",
];

/// `+14155552671` → `+1*******671`: enough to tell two numbers apart, not to call one.
pub fn phone(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 5))
}

/// `ana@example.com` → `a***@example.com`.
pub fn email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// What the log shows for the value of `key`.
pub fn field(key: &str, value: &str) -> String {
    match key {
        "phone" | "phone_number" => phone(value),
        "email" | "customer_email" | "user_email" => email(value),
        "secret" | "api_secret" | "api_key" | "utoken" | "client_secret" => "[redacted]".to_owned(),
        _ => {
            let first: String = value.chars().take(1).collect();
            format!("{first}***")
        }
    }
}

/// `body` with every personal string value masked, at any depth.
pub fn json(body: Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) if PERSONAL.contains(&k.as_str()) => {
                            Value::String(field(&k, &s))
                        }
                        other => json(other),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(json).collect()),
        other => other,
    }
}

/// A query string with personal parameters masked (`email=a***@example.com`).
pub fn query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if PERSONAL.contains(&k) => {
                let decoded = v.replace("%2B", "+").replace("%40", "@");
                format!("{k}={}", field(k, &decoded))
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn personal_values_are_masked_at_any_depth() {
        let masked = json(json!({"customer": {
            "external_id": "c-1", "email": "ana@example.com", "phone_number": "+14155552671",
            "first_name": "Ana", "tags": [{"name": "Vip"}], "list_id": 7
        }, "secret": "hunter2"}));
        assert_eq!(
            masked,
            json!({"customer": {
                "external_id": "c-1", "email": "a***@example.com",
                "phone_number": "+1*******671", "first_name": "A***",
                "tags": [{"name": "V***"}], "list_id": 7
            }, "secret": "[redacted]"})
        );
    }

    #[test]
    fn queries_keep_their_filters_but_not_the_person() {
        assert_eq!(
            query("external_ids=c-1&email=ana%40example.com&limit=1"),
            "external_ids=c-1&email=a***@example.com&limit=1"
        );
        assert_eq!(
            query("phone_number=%2B14155552671"),
            "phone_number=+1*******671"
        );
        assert_eq!(query("page=1&utoken=abc123"), "page=1&utoken=[redacted]");
    }

    #[test]
    fn ugc_uploaders_and_tokens_are_masked() {
        let masked = json(json!({"utoken": "abc123", "images": [{
            "image_url": "https://cdn.example.com/a.jpg", "user_name": "Ana Lima",
            "user_email": "ana@example.com", "caption": "Arrived!"
        }]}));
        assert_eq!(
            masked,
            json!({"utoken": "[redacted]", "images": [{
                "image_url": "https://cdn.example.com/a.jpg", "user_name": "A***",
                "user_email": "a***@example.com", "caption": "Arrived!"
            }]})
        );
    }
}
