//! Settings from the environment: defaults, every bad value named, the README in step.
use super::variables::VARIABLES;
use super::*;
use std::collections::HashMap;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, Vec<SettingError>> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_are_a_local_sqlite_instance() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.bind.to_string(), "127.0.0.1:3000");
    assert_eq!(s.public_url.as_str(), "http://127.0.0.1:3000");
    assert_eq!(s.database_url, "sqlite://./data/tracklight.db?mode=rwc");
    assert!(s.demo);
}

#[test]
fn unspecified_bind_address_gives_a_localhost_public_url() {
    let s = settings(&[("TRACKLIGHT_BIND", "0.0.0.0:8080")]).unwrap();
    assert_eq!(s.public_url.as_str(), "http://localhost:8080");
}

#[test]
fn every_bad_setting_is_named() {
    let cases = [
        ("TRACKLIGHT_BIND", "localhost"),
        ("TRACKLIGHT_PUBLIC_URL", "track.example.com"),
        ("TRACKLIGHT_DATABASE_URL", "mysql://x"),
        ("TRACKLIGHT_DB_MAX_CONNECTIONS", "0"),
        ("TRACKLIGHT_DEMO", "maybe"),
        ("TRACKLIGHT_LOG_FORMAT", "xml"),
        ("TRACKLIGHT_REQUEST_TIMEOUT_SECS", "-1"),
        ("TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS", "forever"),
        ("TRACKLIGHT_API_BODY_LIMIT_BYTES", "10"),
        ("TRACKLIGHT_YOTPO_TIMEOUT_SECS", "0"),
        ("TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND", "6"),
        ("TRACKLIGHT_YOTPO_PATH_LISTS", "/lists"),
        ("TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM", "a&b"),
        ("TRACKLIGHT_YOTPO_SANDBOX_BIND", "nowhere"),
        ("TRACKLIGHT_SECRET_KEY", "c2hvcnQ="),
        ("TRACKLIGHT_OPTIN_DELAY_SECS", "3601"),
        ("TRACKLIGHT_TRUSTED_PROXIES", "perhaps"),
        ("TRACKLIGHT_PUBLIC_SIGNUP", "maybe"),
        ("TRACKLIGHT_CONSENT_RETENTION_DAYS", "7"),
    ];
    for (var, bad) in cases {
        let errors = settings(&[(var, bad)]).unwrap_err();
        assert_eq!(errors.len(), 1, "{var}={bad}: {errors:?}");
        assert_eq!(errors[0].var, var);
        assert!(errors[0].to_string().starts_with(var));
    }
    let all = settings(&cases).unwrap_err();
    assert_eq!(all.len(), cases.len());
}

#[test]
fn yotpo_is_the_sandbox_unless_an_api_url_is_set() {
    let s = settings(&[]).unwrap();
    assert!(matches!(s.yotpo.target, YotpoTarget::Sandbox { .. }));
    let s = settings(&[
        ("TRACKLIGHT_YOTPO_API_URL", "https://api.yotpo.com"),
        (
            "TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS",
            "/core/v3/stores/{store_id}/subscribers",
        ),
        ("TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM", "external_id"),
    ])
    .unwrap();
    let YotpoTarget::Live { api_url } = &s.yotpo.target else {
        panic!("live expected");
    };
    let config = s.yotpo.client_config(api_url.clone());
    assert_eq!(config.api_url.as_str(), "https://api.yotpo.com/");
    assert_eq!(
        config.paths.subscribers,
        "/core/v3/stores/{store_id}/subscribers"
    );
    assert_eq!(config.paths.external_id_filter, "external_id");
    assert_eq!(config.paths.customers, YotpoPaths::default().customers);
    let errors = settings(&[("TRACKLIGHT_YOTPO_API_URL", "api.yotpo.com")]).unwrap_err();
    assert_eq!(errors[0].var, "TRACKLIGHT_YOTPO_API_URL");
}

#[test]
fn postgres_needs_a_secret_key() {
    let errors = settings(&[("TRACKLIGHT_DATABASE_URL", "postgres://h/db")]).unwrap_err();
    assert_eq!(errors[0].var, "TRACKLIGHT_SECRET_KEY");
    let key = SecretBox::generate_key();
    let s = settings(&[
        ("TRACKLIGHT_DATABASE_URL", "postgres://h/db"),
        ("TRACKLIGHT_SECRET_KEY", &key),
    ])
    .unwrap();
    assert_eq!(s.secret_key.as_deref(), Some(key.as_str()));
    assert_eq!(
        settings(&[]).unwrap().secret_key,
        None,
        "SQLite: a key file"
    );
}

#[test]
fn database_passwords_are_not_repeated() {
    let errors = settings(&[("TRACKLIGHT_DATABASE_URL", "mysql://u:secret@h/db")]).unwrap_err();
    assert!(!errors[0].message.contains("secret"), "{}", errors[0]);
    assert_eq!(
        redact_url("postgres://u:pw@h:5432/db"),
        "postgres://u:***@h:5432/db"
    );
    assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
}

#[test]
fn every_variable_is_in_the_readme() {
    let readme = include_str!("../../../README.md");
    for (var, default, meaning) in VARIABLES {
        let row = format!("| `{var}` | `{default}` | {meaning} |");
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}

#[test]
fn every_variable_is_documented() {
    let source = include_str!("mod.rs");
    for line in source.lines().filter(|l| l.contains("(\"TRACKLIGHT_")) {
        let var = line.split('"').nth(1).unwrap();
        assert!(
            VARIABLES.iter().any(|(v, _, _)| *v == var),
            "{var} is not in VARIABLES"
        );
    }
}

/// The Yotpo client's own defaults (what tests and `YotpoConfig::production` use) are the
/// documented ones.
#[test]
fn the_documented_yotpo_defaults_are_the_clients() {
    let documented = settings(&[]).unwrap().yotpo;
    let client = app::ssr::yotpo::YotpoConfig::production();
    assert_eq!(documented.paths, client.paths);
    assert_eq!(documented.timeout, client.timeout);
    assert_eq!(documented.requests_per_second, client.requests_per_second);
    assert_eq!(documented.forms_url, client.forms_url);
}
