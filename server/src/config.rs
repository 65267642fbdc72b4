//! Configuration: environment variables parsed once, at start, into a typed [`Settings`].
//! A bad value stops the server with a message that names the variable. Tests build
//! `Settings` in code (see [`Settings::for_tests`]).

use app::ssr::db::Backend;
use app::ssr::secrets::SecretBox;
use app::ssr::state::PublicUrl;
use app::ssr::yotpo::{YotpoConfig, YotpoPaths};
use reqwest::Url;
use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub public_url: PublicUrl,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub db_max_connections: u32,
    pub site_root: PathBuf,
    pub demo: bool,
    pub log_filter: String,
    pub log_format: LogFormat,
    pub request_timeout: Duration,
    pub shutdown_timeout: Duration,
    pub api_body_limit: usize,
    pub yotpo: YotpoSettings,
    /// Base64 key that encrypts merchants' provider secrets; `None`: a key file in the data
    /// directory (SQLite only).
    pub secret_key: Option<String>,
    /// Step 2 (the opt-in) runs this long after step 1 succeeded.
    pub optin_delay: Duration,
    /// Take the client IP from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_forwarded_for: bool,
    /// Longest the job worker sleeps between looks at the queue.
    pub job_poll: Duration,
}

/// Yotpo's SMS form scripts: `https://forms.smsbump.com/{user}/form_{id}.js`.
const DEFAULT_FORMS_URL: &str = "https://forms.smsbump.com";

/// Where Yotpo calls go, and how.
#[derive(Debug, Clone)]
pub struct YotpoSettings {
    pub target: YotpoTarget,
    pub timeout: Duration,
    pub requests_per_second: NonZeroU32,
    pub paths: YotpoPaths,
    /// Where Yotpo's SMS form scripts load from (the sandbox serves its own).
    pub forms_url: Url,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YotpoTarget {
    /// No Yotpo API URL configured: the built-in sandbox, started in-process on `bind`.
    Sandbox { bind: SocketAddr },
    /// A real Yotpo (or any server speaking its API) at this URL.
    Live { api_url: Url },
}

impl YotpoSettings {
    /// The client configuration for Yotpo at `api_url`.
    pub fn client_config(&self, api_url: Url) -> YotpoConfig {
        let mut config = YotpoConfig::new(api_url);
        config.timeout = self.timeout;
        config.requests_per_second = self.requests_per_second;
        config.paths = self.paths.clone();
        config.forms_url = self.forms_url.clone();
        config
    }

    fn sandbox() -> Self {
        Self {
            target: YotpoTarget::Sandbox {
                bind: "127.0.0.1:0".parse().expect("valid address"),
            },
            timeout: Duration::from_secs(10),
            requests_per_second: NonZeroU32::new(4).expect("non-zero"),
            paths: YotpoPaths::default(),
            forms_url: Url::parse(DEFAULT_FORMS_URL).expect("valid URL"),
        }
    }
}

/// One bad setting: which variable, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub var: &'static str,
    pub message: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.var, self.message)
    }
}

/// Every variable Tracklight reads, with its default and meaning (the README's table).
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "TRACKLIGHT_BIND",
        "127.0.0.1:3000",
        "Address and port to listen on.",
    ),
    (
        "TRACKLIGHT_PUBLIC_URL",
        "http://<bind>",
        "Base URL shoppers reach this server at; used in tracking links.",
    ),
    (
        "TRACKLIGHT_DATA_DIR",
        "./data",
        "Where the SQLite database and demo files live (created if missing).",
    ),
    (
        "TRACKLIGHT_DATABASE_URL",
        "sqlite://<data dir>/tracklight.db",
        "`sqlite:…` or `postgres://…` (PostgreSQL for several instances).",
    ),
    ("TRACKLIGHT_DB_MAX_CONNECTIONS", "10", "Database pool size."),
    (
        "TRACKLIGHT_SITE_ROOT",
        "target/site",
        "Folder with the built assets (`pkg/`, favicon).",
    ),
    (
        "TRACKLIGHT_DEMO",
        "true",
        "Create a demo merchant with demo shipments when the database is empty.",
    ),
    (
        "TRACKLIGHT_LOG",
        "info,sqlx=warn",
        "Log filter, `RUST_LOG` syntax.",
    ),
    ("TRACKLIGHT_LOG_FORMAT", "text", "`text` or `json`."),
    (
        "TRACKLIGHT_REQUEST_TIMEOUT_SECS",
        "30",
        "Longest a request may take.",
    ),
    (
        "TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS",
        "20",
        "Grace period for in-flight requests on SIGTERM/Ctrl-C.",
    ),
    (
        "TRACKLIGHT_API_BODY_LIMIT_BYTES",
        "262144",
        "Largest accepted REST API request body.",
    ),
    (
        "TRACKLIGHT_SECRET_KEY",
        "(a key file in the data dir)",
        "32 random bytes, base64 (`openssl rand -base64 32`), that encrypt merchants' Yotpo API secrets. Required with PostgreSQL; every instance needs the same key.",
    ),
    (
        "TRACKLIGHT_OPTIN_DELAY_SECS",
        "60",
        "Wait between sending the shopper's details to Yotpo (step 1) and the opt-in (step 2).",
    ),
    (
        "TRACKLIGHT_TRUST_FORWARDED_FOR",
        "false",
        "Take the shopper's IP from `X-Forwarded-For` (set it behind a reverse proxy), for rate limits and consent records.",
    ),
    (
        "TRACKLIGHT_YOTPO_API_URL",
        "(none: sandbox)",
        "Yotpo's API, e.g. `https://api.yotpo.com`. Unset: the built-in Yotpo sandbox is used and the UI says so.",
    ),
    (
        "TRACKLIGHT_YOTPO_SANDBOX_BIND",
        "127.0.0.1:0",
        "Where the built-in sandbox listens when no Yotpo API URL is set (port 0: any free port).",
    ),
    (
        "TRACKLIGHT_YOTPO_TIMEOUT_SECS",
        "10",
        "Bound on every Yotpo call.",
    ),
    (
        "TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND",
        "4",
        "Tracklight's request budget per Yotpo store, 1 to 5 (Yotpo allows 5).",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_ACCESS_TOKENS",
        "/core/v3/stores/{store_id}/access_tokens",
        "Token exchange path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_CUSTOMERS",
        "/core/v3/stores/{store_id}/customers",
        "Retrieve customers (GET) and Create or update customer (PATCH) path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS",
        "/messaging/v3/stores/{store_id}/subscribers",
        "Create or update subscriber path.",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_LISTS",
        "/messaging/v3/stores/{store_id}/lists",
        "SMS lists path (unconfirmed in Yotpo's docs; a 404 means the list ID is typed instead).",
    ),
    (
        "TRACKLIGHT_YOTPO_PATH_SUBSCRIPTION_FORMS",
        "/messaging/v3/stores/{store_id}/subscription-forms",
        "Published SMS forms path.",
    ),
    (
        "TRACKLIGHT_YOTPO_FORMS_URL",
        DEFAULT_FORMS_URL,
        "Where Yotpo's SMS sign-up form scripts load from; a merchant's form must be a script below it. In sandbox mode the sandbox serves its own.",
    ),
    (
        "TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM",
        "external_ids",
        "Query parameter that filters Retrieve customers by external ID.",
    ),
];

impl Settings {
    pub fn from_env() -> Result<Self, Vec<SettingError>> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, Vec<SettingError>> {
        let mut errors = Vec::new();
        let value = |name: &'static str| get(name).filter(|v| !v.trim().is_empty());

        macro_rules! check {
            ($var:literal, $r:expr $(,)?) => {
                record(&mut errors, $var, $r)
            };
        }

        let bind = check!(
            "TRACKLIGHT_BIND",
            parse_or(value("TRACKLIGHT_BIND"), "127.0.0.1:3000", |v| {
                v.parse::<SocketAddr>().map_err(|_| {
                    format!("must be an IP address and port such as 127.0.0.1:3000 (got {v:?})")
                })
            }),
        );
        let public_url = match (value("TRACKLIGHT_PUBLIC_URL"), bind) {
            (Some(v), _) => check!(
                "TRACKLIGHT_PUBLIC_URL",
                PublicUrl::parse(&v).map_err(|m| format!("{m} (got {v:?})")),
            ),
            (None, Some(bind)) => {
                let host = if bind.ip().is_unspecified() {
                    "localhost".to_owned()
                } else {
                    bind.ip().to_string()
                };
                PublicUrl::parse(&format!("http://{host}:{}", bind.port())).ok()
            }
            (None, None) => None,
        };
        let data_dir = PathBuf::from(value("TRACKLIGHT_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match value("TRACKLIGHT_DATABASE_URL") {
            Some(url) => check!(
                "TRACKLIGHT_DATABASE_URL",
                Backend::from_url(&url)
                    .map(|_| url.clone())
                    .map_err(|m| format!("{m} (got {:?})", redact_url(&url))),
            ),
            None => Some(format!(
                "sqlite://{}/tracklight.db?mode=rwc",
                data_dir.display()
            )),
        };
        let db_max_connections = check!(
            "TRACKLIGHT_DB_MAX_CONNECTIONS",
            parse_or(value("TRACKLIGHT_DB_MAX_CONNECTIONS"), "10", |v| {
                v.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| format!("must be a whole number from 1 to 500 (got {v:?})"))
            }),
        );
        let site_root =
            PathBuf::from(value("TRACKLIGHT_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let demo = check!(
            "TRACKLIGHT_DEMO",
            parse_or(value("TRACKLIGHT_DEMO"), "true", parse_bool)
        );
        let log_filter = value("TRACKLIGHT_LOG").unwrap_or_else(|| "info,sqlx=warn".into());
        let log_format = check!(
            "TRACKLIGHT_LOG_FORMAT",
            parse_or(value("TRACKLIGHT_LOG_FORMAT"), "text", |v| {
                match v.to_ascii_lowercase().as_str() {
                    "text" => Ok(LogFormat::Text),
                    "json" => Ok(LogFormat::Json),
                    _ => Err(format!("must be text or json (got {v:?})")),
                }
            }),
        );
        let request_timeout = check!(
            "TRACKLIGHT_REQUEST_TIMEOUT_SECS",
            parse_or(value("TRACKLIGHT_REQUEST_TIMEOUT_SECS"), "30", |v| seconds(
                v, 1, 600
            )),
        );
        let shutdown_timeout = check!(
            "TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS",
            parse_or(
                value("TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS"),
                "20",
                |v| seconds(v, 0, 600)
            ),
        );
        let api_body_limit = check!(
            "TRACKLIGHT_API_BODY_LIMIT_BYTES",
            parse_or(value("TRACKLIGHT_API_BODY_LIMIT_BYTES"), "262144", |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| (1024..=16 * 1024 * 1024).contains(n))
                    .ok_or_else(|| {
                        format!("must be a byte count from 1024 to 16777216 (got {v:?})")
                    })
            }),
        );

        let yotpo_target = match value("TRACKLIGHT_YOTPO_API_URL") {
            Some(v) => check!(
                "TRACKLIGHT_YOTPO_API_URL",
                Url::parse(v.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .map(|api_url| YotpoTarget::Live { api_url })
                    .ok_or_else(|| format!(
                        "must be a URL such as https://api.yotpo.com (got {v:?})"
                    )),
            ),
            None => {
                check!(
                    "TRACKLIGHT_YOTPO_SANDBOX_BIND",
                    parse_or(value("TRACKLIGHT_YOTPO_SANDBOX_BIND"), "127.0.0.1:0", |v| {
                        v.parse::<SocketAddr>()
                        .map(|bind| YotpoTarget::Sandbox { bind })
                        .map_err(|_| {
                            format!("must be an IP address and port such as 127.0.0.1:4010 (got {v:?})")
                        })
                    }),
                )
            }
        };
        let yotpo_timeout = check!(
            "TRACKLIGHT_YOTPO_TIMEOUT_SECS",
            parse_or(value("TRACKLIGHT_YOTPO_TIMEOUT_SECS"), "10", |v| seconds(
                v, 1, 120
            )),
        );
        let yotpo_rps = check!(
            "TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND",
            parse_or(value("TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND"), "4", |v| {
                v.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=5).contains(n))
                    .and_then(NonZeroU32::new)
                    .ok_or_else(|| format!("must be a whole number from 1 to 5 (got {v:?})"))
            }),
        );
        let mut paths = YotpoPaths::default();
        for (var, given, slot) in [
            (
                "TRACKLIGHT_YOTPO_PATH_ACCESS_TOKENS",
                value("TRACKLIGHT_YOTPO_PATH_ACCESS_TOKENS"),
                &mut paths.access_tokens,
            ),
            (
                "TRACKLIGHT_YOTPO_PATH_CUSTOMERS",
                value("TRACKLIGHT_YOTPO_PATH_CUSTOMERS"),
                &mut paths.customers,
            ),
            (
                "TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS",
                value("TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS"),
                &mut paths.subscribers,
            ),
            (
                "TRACKLIGHT_YOTPO_PATH_LISTS",
                value("TRACKLIGHT_YOTPO_PATH_LISTS"),
                &mut paths.lists,
            ),
            (
                "TRACKLIGHT_YOTPO_PATH_SUBSCRIPTION_FORMS",
                value("TRACKLIGHT_YOTPO_PATH_SUBSCRIPTION_FORMS"),
                &mut paths.subscription_forms,
            ),
        ] {
            if let Some(v) = given {
                let v = v.trim().to_owned();
                if v.starts_with('/') && v.contains("{store_id}") && !v.contains(['?', '#', ' ']) {
                    *slot = v;
                } else {
                    errors.push(SettingError {
                        var,
                        message: format!(
                            "must be a path starting with / that contains {{store_id}} (got {v:?})"
                        ),
                    });
                }
            }
        }
        if let Some(v) = value("TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM") {
            let v = v.trim().to_owned();
            if v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                paths.external_id_filter = v;
            } else {
                errors.push(SettingError {
                    var: "TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM",
                    message: format!(
                        "must be a query parameter name such as external_ids (got {v:?})"
                    ),
                });
            }
        }

        let forms_url = check!(
            "TRACKLIGHT_YOTPO_FORMS_URL",
            parse_or(
                value("TRACKLIGHT_YOTPO_FORMS_URL"),
                DEFAULT_FORMS_URL,
                |v| {
                    Url::parse(v.trim())
                        .ok()
                        .filter(|u| {
                            matches!(u.scheme(), "http" | "https")
                                && u.has_host()
                                && u.query().is_none()
                        })
                        .ok_or_else(|| {
                            format!("must be a URL such as {DEFAULT_FORMS_URL} (got {v:?})")
                        })
                }
            ),
        );

        let secret_key = match value("TRACKLIGHT_SECRET_KEY") {
            Some(v) => check!(
                "TRACKLIGHT_SECRET_KEY",
                SecretBox::from_base64(&v).map(|_| Some(v.trim().to_owned())),
            )
            .flatten(),
            None => {
                if database_url
                    .as_deref()
                    .is_some_and(|u| Backend::from_url(u) == Ok(Backend::Postgres))
                {
                    errors.push(SettingError {
                        var: "TRACKLIGHT_SECRET_KEY",
                        message:
                            "is required with PostgreSQL (every instance needs the same key); \
                                  make one with `openssl rand -base64 32`"
                                .into(),
                    });
                }
                None
            }
        };
        let optin_delay = check!(
            "TRACKLIGHT_OPTIN_DELAY_SECS",
            parse_or(value("TRACKLIGHT_OPTIN_DELAY_SECS"), "60", |v| seconds(
                v, 0, 3600
            )),
        );
        let trust_forwarded_for = check!(
            "TRACKLIGHT_TRUST_FORWARDED_FOR",
            parse_or(value("TRACKLIGHT_TRUST_FORWARDED_FOR"), "false", parse_bool),
        );

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            bind: bind.expect("checked"),
            public_url: public_url.expect("checked"),
            data_dir,
            database_url: database_url.expect("checked"),
            db_max_connections: db_max_connections.expect("checked"),
            site_root,
            demo: demo.expect("checked"),
            log_filter,
            log_format: log_format.expect("checked"),
            request_timeout: request_timeout.expect("checked"),
            shutdown_timeout: shutdown_timeout.expect("checked"),
            api_body_limit: api_body_limit.expect("checked"),
            yotpo: YotpoSettings {
                target: yotpo_target.expect("checked"),
                timeout: yotpo_timeout.expect("checked"),
                requests_per_second: yotpo_rps.expect("checked"),
                paths,
                forms_url: forms_url.expect("checked"),
            },
            secret_key,
            optin_delay: optin_delay.expect("checked"),
            trust_forwarded_for: trust_forwarded_for.expect("checked"),
            job_poll: Duration::from_millis(500),
        })
    }

    /// Settings for a test instance: port 0, the given database, no demo data.
    pub fn for_tests(data_dir: PathBuf, database_url: String) -> Self {
        Self {
            bind: "127.0.0.1:0".parse().expect("valid address"),
            public_url: PublicUrl::parse("http://127.0.0.1").expect("valid URL"),
            data_dir,
            database_url,
            db_max_connections: 5,
            site_root: PathBuf::from("../target/site"),
            demo: false,
            log_filter: "warn".into(),
            log_format: LogFormat::Text,
            request_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(5),
            api_body_limit: 262_144,
            yotpo: YotpoSettings::sandbox(),
            secret_key: Some(SecretBox::generate_key()),
            optin_delay: Duration::from_secs(60),
            trust_forwarded_for: false,
            job_poll: Duration::from_millis(200),
        }
    }
}

fn record<T>(errors: &mut Vec<SettingError>, var: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(SettingError { var, message }))
        .ok()
}

fn parse_or<T>(
    value: Option<String>,
    default: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, String> {
    parse(value.as_deref().unwrap_or(default).trim())
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("must be true or false (got {v:?})")),
    }
}

fn seconds(v: &str, min: u64, max: u64) -> Result<Duration, String> {
    v.parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .map(Duration::from_secs)
        .ok_or_else(|| format!("must be a whole number of seconds from {min} to {max} (got {v:?})"))
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(s.database_url, "sqlite://data/tracklight.db?mode=rwc");
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
            ("TRACKLIGHT_TRUST_FORWARDED_FOR", "perhaps"),
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
        let readme = include_str!("../../README.md");
        for (var, default, meaning) in VARIABLES {
            let row = format!("| `{var}` | `{default}` | {meaning} |");
            assert!(readme.contains(&row), "README lacks the row: {row}");
        }
    }

    #[test]
    fn every_variable_is_documented() {
        let source = include_str!("config.rs");
        for line in source.lines().filter(|l| l.contains("value(\"TRACKLIGHT_")) {
            let var = line.split('"').nth(1).unwrap();
            assert!(
                VARIABLES.iter().any(|(v, _, _)| *v == var),
                "{var} is not in VARIABLES"
            );
        }
    }
}
