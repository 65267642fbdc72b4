//! Configuration: environment variables parsed once, at start, into a typed [`Settings`].
//! A bad value stops the server with a message that names the variable. Tests build
//! `Settings` in code (see [`Settings::for_tests`]).

use app::ssr::client_ip::TrustedProxies;
use app::ssr::db::Backend;
use app::ssr::media::S3Config;
use app::ssr::secrets::SecretBox;
use app::ssr::state::PublicUrl;
use app::ssr::yotpo::{LoyaltyConfig, ReviewsConfig, YotpoConfig, YotpoPaths};
use reqwest::Url;
use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

mod variables;
pub use variables::VARIABLES;

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
    pub klaviyo: KlaviyoSettings,
    /// Base64 key that encrypts merchants' provider secrets; `None`: a key file in the data
    /// directory (SQLite only).
    pub secret_key: Option<String>,
    /// Step 2 (the opt-in) runs this long after step 1 succeeded.
    pub optin_delay: Duration,
    /// Which proxies' `X-Forwarded-For` hops to believe.
    pub trusted_proxies: TrustedProxies,
    /// Anyone may create a merchant account on the sign-up page.
    pub public_signup: bool,
    /// Text sign-ups accepted from one network an hour.
    pub consents_per_network: i64,
    /// Sign-ins and sign-ups tried from one network in ten minutes.
    pub sign_ins_per_network: i64,
    /// How long consents (with their proofs) are kept once their delivery is over.
    pub consent_retention: Duration,
    /// Longest the job worker sleeps between looks at the queue.
    pub job_poll: Duration,
    /// The most the shoppers' page cache keeps, in bytes (0: no cache).
    pub page_cache_bytes: u64,
    /// Shoppers' photos in an S3-compatible bucket; `None`: under the data directory.
    pub media_s3: Option<S3Config>,
}

/// Yotpo's SMS form scripts: `https://forms.smsbump.com/{user}/form_{id}.js`.
const DEFAULT_FORMS_URL: &str = "https://forms.smsbump.com";

/// Where Yotpo calls go, and how.
#[derive(Debug, Clone)]
pub struct YotpoSettings {
    pub target: YotpoTarget,
    pub timeout: Duration,
    /// How long Yotpo takes to show a write to reads.
    pub read_delay: Duration,
    pub requests_per_second: NonZeroU32,
    pub paths: YotpoPaths,
    /// Where Yotpo's SMS form scripts load from (the sandbox serves its own).
    pub forms_url: Url,
    /// Yotpo Loyalty & Referrals' API; `None`: the built-in sandbox in sandbox mode, else
    /// `https://loyalty.yotpo.com`.
    pub loyalty_url: Option<Url>,
    /// Its paths: record an action, fetch a customer with history, the credentials check.
    pub loyalty_paths: [String; 3],
    /// Yotpo Reviews' paths below the API URL: the v1 token exchange, import images,
    /// import videos (the imports' are UNCONFIRMED).
    pub reviews_paths: [String; 3],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YotpoTarget {
    /// No Yotpo API URL configured: the built-in sandbox, started in-process on `bind`.
    Sandbox { bind: SocketAddr },
    /// A real Yotpo (or any server speaking its API) at this URL.
    Live { api_url: Url },
}

impl YotpoSettings {
    /// The loyalty client's configuration for Yotpo Loyalty at `url`.
    pub fn loyalty_config(&self, url: Url) -> LoyaltyConfig {
        let mut config = LoyaltyConfig::new(url);
        config.timeout = self.timeout;
        let [actions, customers, check] = self.loyalty_paths.clone();
        config.actions_path = actions;
        config.customers_path = customers;
        config.check_path = check;
        config
    }

    /// The Reviews client's configuration for Yotpo at `api_url`.
    pub fn reviews_config(&self, api_url: Url) -> ReviewsConfig {
        let mut config = ReviewsConfig::new(api_url);
        let [token, images, videos] = self.reviews_paths.clone();
        config.token_path = token;
        config.images_path = images;
        config.videos_path = videos;
        config
    }

    /// The client configuration for Yotpo at `api_url`.
    pub fn client_config(&self, api_url: Url) -> YotpoConfig {
        let mut config = YotpoConfig::new(api_url);
        config.timeout = self.timeout;
        config.requests_per_second = self.requests_per_second;
        config.paths = self.paths.clone();
        config.forms_url = self.forms_url.clone();
        config
    }
}

/// Where Klaviyo calls go, and how.
#[derive(Debug, Clone)]
pub struct KlaviyoSettings {
    pub target: ProviderTarget,
    pub revision: String,
    pub requests_per_second: NonZeroU32,
    /// Between the profile step and the subscription.
    pub optin_delay: Duration,
    /// How long Klaviyo takes to show a subscription to reads.
    pub read_delay: Duration,
}

/// A provider's API: the built-in sandbox, or a real one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderTarget {
    /// No API URL configured: the built-in sandbox, started in-process on `bind`.
    Sandbox { bind: SocketAddr },
    /// The real provider (or any server speaking its API) at this URL.
    Live { api_url: Url },
}

impl KlaviyoSettings {
    /// The client configuration for Klaviyo at `api_url`.
    pub fn client_config(&self, api_url: Url) -> app::ssr::klaviyo::KlaviyoConfig {
        let mut config = app::ssr::klaviyo::KlaviyoConfig::new(api_url);
        config.revision = self.revision.clone();
        config.requests_per_second = self.requests_per_second;
        config
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

impl Settings {
    pub fn from_env() -> Result<Self, Vec<SettingError>> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, Vec<SettingError>> {
        let mut errors = Vec::new();
        let value = |name: &'static str| get(name).filter(|v| !v.trim().is_empty());
        // A variable's value, or its default from `VARIABLES` (defaults are written there only).
        let setting = |name: &'static str| {
            value(name).unwrap_or_else(|| variables::default_of(name).to_owned())
        };

        macro_rules! check {
            ($var:literal, $parse:expr $(,)?) => {
                record(&mut errors, $var, $parse(setting($var).trim()))
            };
        }

        let bind = check!("TRACKLIGHT_BIND", |v: &str| {
            v.parse::<SocketAddr>().map_err(|_| {
                format!("must be an IP address and port such as 127.0.0.1:3000 (got {v:?})")
            })
        });
        let public_url = match (value("TRACKLIGHT_PUBLIC_URL"), bind) {
            (Some(v), _) => record(
                &mut errors,
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
        let data_dir = PathBuf::from(setting("TRACKLIGHT_DATA_DIR"));
        let database_url = match value("TRACKLIGHT_DATABASE_URL") {
            Some(url) => record(
                &mut errors,
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
        let db_max_connections = check!("TRACKLIGHT_DB_MAX_CONNECTIONS", |v: &str| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| format!("must be a whole number from 1 to 500 (got {v:?})"))
        });
        let site_root = PathBuf::from(setting("TRACKLIGHT_SITE_ROOT"));
        let demo = check!("TRACKLIGHT_DEMO", parse_bool);
        let log_filter = setting("TRACKLIGHT_LOG");
        let log_format = check!("TRACKLIGHT_LOG_FORMAT", |v: &str| {
            match v.to_ascii_lowercase().as_str() {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err(format!("must be text or json (got {v:?})")),
            }
        });
        let request_timeout = check!("TRACKLIGHT_REQUEST_TIMEOUT_SECS", |v| seconds(v, 1, 600));
        let shutdown_timeout = check!("TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS", |v| seconds(v, 0, 600));
        let api_body_limit = check!("TRACKLIGHT_API_BODY_LIMIT_BYTES", |v: &str| {
            v.parse::<usize>()
                .ok()
                .filter(|n| (1024..=16 * 1024 * 1024).contains(n))
                .ok_or_else(|| format!("must be a byte count from 1024 to 16777216 (got {v:?})"))
        });

        let yotpo_target = match value("TRACKLIGHT_YOTPO_API_URL") {
            Some(v) => record(
                &mut errors,
                "TRACKLIGHT_YOTPO_API_URL",
                Url::parse(v.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .map(|api_url| YotpoTarget::Live { api_url })
                    .ok_or_else(|| {
                        format!("must be a URL such as https://api.yotpo.com (got {v:?})")
                    }),
            ),
            None => check!("TRACKLIGHT_YOTPO_SANDBOX_BIND", |v: &str| {
                v.parse::<SocketAddr>()
                    .map(|bind| YotpoTarget::Sandbox { bind })
                    .map_err(|_| {
                        format!("must be an IP address and port such as 127.0.0.1:4010 (got {v:?})")
                    })
            }),
        };
        let klaviyo_target = match value("TRACKLIGHT_KLAVIYO_API_URL") {
            Some(v) => record(
                &mut errors,
                "TRACKLIGHT_KLAVIYO_API_URL",
                Url::parse(v.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .map(|api_url| ProviderTarget::Live { api_url })
                    .ok_or_else(|| {
                        format!("must be a URL such as https://a.klaviyo.com (got {v:?})")
                    }),
            ),
            None => check!("TRACKLIGHT_KLAVIYO_SANDBOX_BIND", |v: &str| {
                v.parse::<SocketAddr>()
                    .map(|bind| ProviderTarget::Sandbox { bind })
                    .map_err(|_| {
                        format!("must be an IP address and port such as 127.0.0.1:4011 (got {v:?})")
                    })
            }),
        };
        let klaviyo_revision = check!("TRACKLIGHT_KLAVIYO_REVISION", |v: &str| {
            let ok = v.len() >= 10
                && v.len() <= 14
                && v[..10].chars().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
                && matches!(&v[10..], "" | ".pre");
            ok.then(|| v.to_owned())
                .ok_or_else(|| format!("must be a date such as 2026-07-15 (got {v:?})"))
        });
        let klaviyo_rps = check!("TRACKLIGHT_KLAVIYO_REQUESTS_PER_SECOND", |v: &str| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=75).contains(n))
                .and_then(NonZeroU32::new)
                .ok_or_else(|| format!("must be a whole number from 1 to 75 (got {v:?})"))
        });
        let klaviyo_delay = check!("TRACKLIGHT_KLAVIYO_OPTIN_DELAY_SECS", |v| seconds(
            v, 0, 3600
        ));
        let yotpo_timeout = check!("TRACKLIGHT_YOTPO_TIMEOUT_SECS", |v| seconds(v, 1, 120));
        let yotpo_read_delay = check!("TRACKLIGHT_YOTPO_READ_DELAY_SECS", |v| seconds(v, 0, 3600));
        let klaviyo_read_delay = check!("TRACKLIGHT_KLAVIYO_READ_DELAY_SECS", |v| seconds(
            v, 0, 3600
        ));
        let yotpo_rps = check!("TRACKLIGHT_YOTPO_REQUESTS_PER_SECOND", |v: &str| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .and_then(NonZeroU32::new)
                .ok_or_else(|| format!("must be a whole number from 1 to 5 (got {v:?})"))
        });
        let access_tokens = check!("TRACKLIGHT_YOTPO_PATH_ACCESS_TOKENS", YotpoPaths::template);
        let customers = check!("TRACKLIGHT_YOTPO_PATH_CUSTOMERS", YotpoPaths::template);
        let subscribers = check!("TRACKLIGHT_YOTPO_PATH_SUBSCRIBERS", YotpoPaths::template);
        let lists = check!("TRACKLIGHT_YOTPO_PATH_LISTS", YotpoPaths::template);
        let subscription_forms = check!(
            "TRACKLIGHT_YOTPO_PATH_SUBSCRIPTION_FORMS",
            YotpoPaths::template
        );
        let custom_events = check!("TRACKLIGHT_YOTPO_PATH_CUSTOM_EVENTS", YotpoPaths::template);
        let external_id_filter = check!("TRACKLIGHT_YOTPO_EXTERNAL_ID_PARAM", |v: &str| {
            if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                Ok(v.to_owned())
            } else {
                Err(format!(
                    "must be a query parameter name such as external_ids (got {v:?})"
                ))
            }
        });
        let loyalty_url = value("TRACKLIGHT_YOTPO_LOYALTY_URL").and_then(|v| {
            record(
                &mut errors,
                "TRACKLIGHT_YOTPO_LOYALTY_URL",
                Url::parse(v.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                    .ok_or_else(|| {
                        format!("must be a URL such as https://loyalty.yotpo.com (got {v:?})")
                    }),
            )
        });
        let loyalty_actions = check!("TRACKLIGHT_YOTPO_LOYALTY_PATH_ACTIONS", LoyaltyConfig::path);
        let loyalty_customers = check!(
            "TRACKLIGHT_YOTPO_LOYALTY_PATH_CUSTOMERS",
            LoyaltyConfig::path
        );
        let loyalty_check = check!("TRACKLIGHT_YOTPO_LOYALTY_PATH_CHECK", LoyaltyConfig::path);
        let reviews_token = check!("TRACKLIGHT_YOTPO_REVIEWS_PATH_TOKEN", LoyaltyConfig::path);
        let reviews_images = check!("TRACKLIGHT_YOTPO_REVIEWS_PATH_IMAGES", YotpoPaths::template);
        let reviews_videos = check!("TRACKLIGHT_YOTPO_REVIEWS_PATH_VIDEOS", YotpoPaths::template);
        let forms_url = check!("TRACKLIGHT_YOTPO_FORMS_URL", |v: &str| {
            Url::parse(v)
                .ok()
                .filter(|u| {
                    matches!(u.scheme(), "http" | "https") && u.has_host() && u.query().is_none()
                })
                .ok_or_else(|| format!("must be a URL such as {DEFAULT_FORMS_URL} (got {v:?})"))
        });

        let secret_key = match value("TRACKLIGHT_SECRET_KEY") {
            Some(v) => record(
                &mut errors,
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
        let media_s3 = value("TRACKLIGHT_MEDIA_S3_URL").and_then(|url| {
            let url = record(
                &mut errors,
                "TRACKLIGHT_MEDIA_S3_URL",
                S3Config::parse_url(&url),
            )?;
            let endpoint = value("TRACKLIGHT_MEDIA_S3_ENDPOINT").and_then(|v| {
                record(
                    &mut errors,
                    "TRACKLIGHT_MEDIA_S3_ENDPOINT",
                    Url::parse(v.trim())
                        .ok()
                        .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                        .map(|u| u.as_str().trim_end_matches('/').to_owned())
                        .ok_or_else(|| {
                            format!("must be a URL such as https://s3.example.com (got {v:?})")
                        }),
                )
            });
            Some(S3Config {
                url,
                endpoint,
                region: value("TRACKLIGHT_MEDIA_S3_REGION").map(|v| v.trim().to_owned()),
                access_key_id: value("TRACKLIGHT_MEDIA_S3_ACCESS_KEY_ID")
                    .map(|v| v.trim().to_owned()),
                secret_access_key: value("TRACKLIGHT_MEDIA_S3_SECRET_ACCESS_KEY")
                    .map(|v| secrecy::SecretString::from(v.trim().to_owned())),
            })
        });
        let optin_delay = check!("TRACKLIGHT_OPTIN_DELAY_SECS", |v| seconds(v, 0, 3600));
        let trusted_proxies = check!("TRACKLIGHT_TRUSTED_PROXIES", TrustedProxies::parse);
        let public_signup = check!("TRACKLIGHT_PUBLIC_SIGNUP", parse_bool);
        let consents_per_network = check!("TRACKLIGHT_CONSENTS_PER_NETWORK_PER_HOUR", |v: &str| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| format!("must be a whole number from 1 to 100000 (got {v:?})"))
        });
        let sign_ins_per_network = check!("TRACKLIGHT_SIGN_INS_PER_NETWORK", |v: &str| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| format!("must be a whole number from 1 to 100000 (got {v:?})"))
        });
        let consent_retention = check!("TRACKLIGHT_CONSENT_RETENTION_DAYS", |v: &str| {
            v.parse::<u64>()
                .ok()
                .filter(|d| (30..=36_500).contains(d))
                .map(|d| Duration::from_secs(d * 24 * 3600))
                .ok_or_else(|| format!("must be a number of days from 30 to 36500 (got {v:?})"))
        });
        let page_cache_bytes = check!("TRACKLIGHT_PAGE_CACHE_MB", |v: &str| {
            v.parse::<u64>()
                .ok()
                .filter(|mb| *mb <= 65_536)
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| format!("must be a number of megabytes from 0 to 65536 (got {v:?})"))
        });

        if !errors.is_empty() {
            return Err(errors);
        }
        let checked = "checked above";
        Ok(Self {
            bind: bind.expect(checked),
            public_url: public_url.expect(checked),
            data_dir,
            database_url: database_url.expect(checked),
            db_max_connections: db_max_connections.expect(checked),
            site_root,
            demo: demo.expect(checked),
            log_filter,
            log_format: log_format.expect(checked),
            request_timeout: request_timeout.expect(checked),
            shutdown_timeout: shutdown_timeout.expect(checked),
            api_body_limit: api_body_limit.expect(checked),
            yotpo: YotpoSettings {
                target: yotpo_target.expect(checked),
                timeout: yotpo_timeout.expect(checked),
                read_delay: yotpo_read_delay.expect(checked),
                requests_per_second: yotpo_rps.expect(checked),
                paths: YotpoPaths {
                    access_tokens: access_tokens.expect(checked),
                    customers: customers.expect(checked),
                    subscribers: subscribers.expect(checked),
                    lists: lists.expect(checked),
                    subscription_forms: subscription_forms.expect(checked),
                    custom_events: custom_events.expect(checked),
                    external_id_filter: external_id_filter.expect(checked),
                },
                forms_url: forms_url.expect(checked),
                loyalty_url,
                loyalty_paths: [
                    loyalty_actions.expect(checked),
                    loyalty_customers.expect(checked),
                    loyalty_check.expect(checked),
                ],
                reviews_paths: [
                    reviews_token.expect(checked),
                    reviews_images.expect(checked),
                    reviews_videos.expect(checked),
                ],
            },
            klaviyo: KlaviyoSettings {
                target: klaviyo_target.expect(checked),
                revision: klaviyo_revision.expect(checked),
                requests_per_second: klaviyo_rps.expect(checked),
                optin_delay: klaviyo_delay.expect(checked),
                read_delay: klaviyo_read_delay.expect(checked),
            },
            secret_key,
            optin_delay: optin_delay.expect(checked),
            trusted_proxies: trusted_proxies.expect(checked),
            public_signup: public_signup.expect(checked),
            consents_per_network: consents_per_network.expect(checked),
            sign_ins_per_network: sign_ins_per_network.expect(checked),
            consent_retention: consent_retention.expect(checked),
            job_poll: Duration::from_millis(500),
            page_cache_bytes: page_cache_bytes.expect(checked),
            media_s3,
        })
    }

    /// Settings for a test instance: port 0, the given database, no demo data, a fresh
    /// secret key; everything else as an operator's defaults.
    pub fn for_tests(data_dir: PathBuf, database_url: String) -> Self {
        let key = SecretBox::generate_key();
        let data_dir = data_dir.display().to_string();
        let vars = [
            ("TRACKLIGHT_BIND", "127.0.0.1:0"),
            ("TRACKLIGHT_DATA_DIR", data_dir.as_str()),
            ("TRACKLIGHT_DATABASE_URL", database_url.as_str()),
            ("TRACKLIGHT_DB_MAX_CONNECTIONS", "5"),
            ("TRACKLIGHT_SITE_ROOT", "../target/site"),
            ("TRACKLIGHT_DEMO", "false"),
            ("TRACKLIGHT_LOG", "warn"),
            ("TRACKLIGHT_SHUTDOWN_TIMEOUT_SECS", "5"),
            ("TRACKLIGHT_SECRET_KEY", key.as_str()),
        ];
        let mut settings = Self::from_lookup(|name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .expect("test settings are valid");
        settings.job_poll = Duration::from_millis(200);
        settings
    }
}

fn record<T>(errors: &mut Vec<SettingError>, var: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(SettingError { var, message }))
        .ok()
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
mod tests;
