//! The command line: `tracklight` (or `tracklight serve`) runs the server; the other commands
//! are for operators onboarding merchants until merchants have a settings page of their own.
//! They use the same `TRACKLIGHT_*` settings (above all the database URL) as the server.

use anyhow::Context;
use app::domain::inputs::{AccentColor, BrandName, Email};
use app::ssr::accounts::{self, Password};
use app::ssr::consent::settings::{save, save_klaviyo, HttpUrl, KlaviyoUpdate, SmsSettingsUpdate};
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::secrets::SecretBox;
use app::ssr::sms::{Account, AccountId, ListId, SmsListProvider};
use app::ssr::{Clock, Db};
use clap::{Parser, Subcommand};
use sandbox::{Faults, FaultsPatch, SandboxStore, SmsListSpec};

#[derive(Debug, Parser)]
#[command(
    name = "tracklight",
    version,
    about = "Shipment tracking pages for online stores",
    after_help = "Settings come from TRACKLIGHT_* environment variables; see the README."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Manage merchants.
    #[command(subcommand)]
    Merchant(MerchantCommand),
    /// Manage the API keys the feeding platform authenticates with.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Run the Yotpo sandbox on its own (it also starts inside `serve` when no Yotpo API URL
    /// is set). Admin endpoints: /sandbox, /sandbox/requests, /sandbox/faults.
    #[command(name = "yotpo-sandbox")]
    YotpoSandbox(SandboxArgs),
}

#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub bind: std::net::SocketAddr,
    /// A store as STORE_ID:SECRET[:LIST_ID,LIST_ID...]; repeatable. Without any, the demo
    /// store kept in the data directory.
    #[arg(long = "store", value_parser = parse_store)]
    pub stores: Vec<SandboxStore>,
    /// Delay added before every answer.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Status of injected failures.
    #[arg(long, default_value_t = 503)]
    pub error_status: u16,
    /// Share of requests (0 to 1) answered with --error-status.
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Access token lifetime (Yotpo: 14 days).
    #[arg(long, default_value_t = 14 * 24 * 3600)]
    pub token_ttl_secs: u64,
    /// How long an upserted customer stays invisible to reads (Yotpo: about 60 s).
    #[arg(long, default_value_t = 60_000)]
    pub visibility_delay_ms: u64,
    /// Requests per second per store before 429 (Yotpo: 5; 0 = no limit).
    #[arg(long, default_value_t = 5)]
    pub rate_limit: u32,
    /// Added after a write is made and logged, before its answer (0: none).
    #[arg(long, default_value_t = 0)]
    pub answer_delay_ms: u64,
    /// The same for Yotpo Loyalty's writes only (0: none).
    #[arg(long, default_value_t = 0)]
    pub loyalty_answer_delay_ms: u64,
    /// How many requests the log keeps (the newest).
    #[arg(long, default_value_t = 10_000)]
    pub log_capacity: usize,
}

impl SandboxArgs {
    pub fn faults(&self) -> anyhow::Result<Faults> {
        let patch = FaultsPatch {
            latency_ms: Some(self.latency_ms),
            error_status: Some(self.error_status),
            error_rate: Some(self.error_rate),
            fail_next: None,
            token_ttl_secs: Some(self.token_ttl_secs),
            visibility_delay_ms: Some(self.visibility_delay_ms),
            rate_limit_per_second: Some(self.rate_limit),
            answer_delay_ms: Some(self.answer_delay_ms),
            loyalty_answer_delay_ms: Some(self.loyalty_answer_delay_ms),
        };
        patch.validate().map_err(anyhow::Error::msg)?;
        let mut faults = Faults::default();
        faults.apply(patch);
        Ok(faults)
    }
}

fn parse_store(input: &str) -> Result<SandboxStore, String> {
    let mut parts = input.splitn(3, ':');
    let (Some(store_id), Some(secret)) = (parts.next(), parts.next()) else {
        return Err("expected STORE_ID:SECRET[:LIST_ID,...]".into());
    };
    app::ssr::sms::AccountId::parse(store_id).map_err(|m| format!("store ID {m}"))?;
    if secret.is_empty() {
        return Err("the secret must not be empty".into());
    }
    let lists = match parts.next() {
        None => vec![1],
        Some(ids) => ids
            .split(',')
            .map(|id| {
                id.trim()
                    .parse::<u64>()
                    .map_err(|_| format!("list ID {id:?} is not a number"))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(SandboxStore {
        store_id: store_id.into(),
        secret: secret.into(),
        lists: lists
            .into_iter()
            .map(|id| SmsListSpec {
                id,
                name: format!("List {id}"),
            })
            .collect(),
        forms: Vec::new(),
    })
}

#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Create a merchant and a first API key (shown once).
    Create {
        /// The brand name shoppers see.
        #[arg(long)]
        name: String,
        /// Accent colour `#rrggbb`, dark enough to read on white.
        #[arg(long)]
        accent: Option<String>,
    },
    /// List merchants with their number of live API keys.
    List,
    /// Give someone a sign-in to a merchant's settings page. The password comes from
    /// TRACKLIGHT_PASSWORD (at least 12 characters), so it stays out of the process list.
    User {
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        email: String,
        #[arg(long, env = "TRACKLIGHT_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Connect a merchant's SMS sign-ups to their Yotpo account (until merchants have a
    /// settings page). The API secret comes from TRACKLIGHT_YOTPO_SECRET, so it stays out
    /// of the process list; it is stored encrypted. With TRACKLIGHT_YOTPO_API_URL set, the
    /// credentials and the list are checked against Yotpo first.
    Sms {
        #[arg(long)]
        merchant: String,
        /// The Yotpo store ID (app key).
        #[arg(long)]
        store_id: String,
        #[arg(long, env = "TRACKLIGHT_YOTPO_SECRET", hide_env_values = true)]
        secret: String,
        /// The SMS list shoppers are subscribed to.
        #[arg(long)]
        list_id: String,
        #[arg(long)]
        terms_url: String,
        #[arg(long)]
        privacy_url: String,
        /// Heading above the checkbox (default "Get texts from <brand>").
        #[arg(long)]
        heading: Option<String>,
        /// Text under the heading, e.g. an offer.
        #[arg(long)]
        extra: Option<String>,
    },
    /// Connect a merchant's SMS sign-ups to their Klaviyo account and make Klaviyo the
    /// provider new sign-ups go to. The private API key comes from TRACKLIGHT_KLAVIYO_KEY
    /// (out of the process list) and is stored encrypted. With TRACKLIGHT_KLAVIYO_API_URL
    /// set, the key (and the account it names) and the list are checked against Klaviyo.
    Klaviyo {
        #[arg(long)]
        merchant: String,
        /// The Klaviyo account ID (checked against the key's own with a live Klaviyo).
        #[arg(long)]
        account_id: String,
        #[arg(long, env = "TRACKLIGHT_KLAVIYO_KEY", hide_env_values = true)]
        key: String,
        /// The list shoppers are subscribed to (e.g. `Y6nRLr`).
        #[arg(long)]
        list_id: String,
        /// The list asks the shopper to confirm by text (read from Klaviyo when checked).
        #[arg(long)]
        double_opt_in: bool,
        #[arg(long)]
        terms_url: String,
        #[arg(long)]
        privacy_url: String,
    },
}

/// What operator commands work with.
pub struct Operator<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub secrets: &'a SecretBox,
    /// The configured SMS provider, to check credentials; `None` in sandbox mode.
    pub sms: Option<&'a dyn SmsListProvider>,
    /// The configured Klaviyo, the same way.
    pub klaviyo: Option<&'a dyn SmsListProvider>,
}

impl<'a> Operator<'a> {
    pub fn new(db: &'a Db, clock: &'a dyn Clock, secrets: &'a SecretBox) -> Self {
        Self {
            db,
            clock,
            secrets,
            sms: None,
            klaviyo: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create another API key for a merchant (shown once).
    Create {
        #[arg(long)]
        merchant: String,
        /// What the key is for, e.g. the name of the system that uses it.
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// Revoke a merchant's key by the prefix shown when it was created (e.g. `tl_AbCdEf`).
    Revoke {
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        prefix: String,
    },
}

/// Runs an operator command and returns what to print. Errors meant for the operator (bad
/// input, unknown merchant) are plain messages.
pub async fn execute(command: &Command, op: &Operator<'_>) -> anyhow::Result<String> {
    let (db, clock) = (op.db, op.clock);
    let now = clock.now_ms();
    match command {
        Command::Serve | Command::YotpoSandbox(_) => {
            anyhow::bail!("not an operator command")
        }
        Command::Merchant(MerchantCommand::Create { name, accent }) => {
            let name = BrandName::parse(name).map_err(|m| anyhow::anyhow!("--name {m}"))?;
            let accent_color = accent
                .as_deref()
                .map(AccentColor::parse)
                .transpose()
                .map_err(|m| anyhow::anyhow!("--accent {m}"))?;
            let merchant = NewMerchant {
                name,
                accent_color,
                is_demo: false,
            };
            let id = merchants::create(db, &merchant, now).await?;
            let key = merchants::create_api_key(db, &id, "api", now).await?;
            Ok(format!(
                "Created merchant {id}\nAPI key (shown once, store it now): {}\n",
                key.expose()
            ))
        }
        Command::Merchant(MerchantCommand::List) => {
            let mut out = format!("{:<38} {:>9}  {}\n", "ID", "API keys", "NAME");
            for m in merchants::list(db).await? {
                let demo = if m.is_demo { " (demo)" } else { "" };
                out.push_str(&format!(
                    "{:<38} {:>9}  {}{demo}\n",
                    m.id, m.live_keys, m.name
                ));
            }
            Ok(out)
        }
        Command::Merchant(MerchantCommand::Sms {
            merchant,
            store_id,
            secret,
            list_id,
            terms_url,
            privacy_url,
            heading,
            extra,
        }) => {
            let id = known_merchant(db, merchant).await?;
            let text = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<String>> {
                match v.as_deref().map(str::trim) {
                    Some(t) if t.chars().count() > 200 => {
                        anyhow::bail!("{flag} must be at most 200 characters")
                    }
                    Some("") | None => Ok(None),
                    Some(t) => Ok(Some(t.to_owned())),
                }
            };
            let update = SmsSettingsUpdate {
                account_id: AccountId::parse(store_id)
                    .map_err(|m| anyhow::anyhow!("--store-id {m}"))?,
                secret: secret.trim().to_owned().into(),
                list_id: ListId::parse_number(list_id)
                    .map_err(|m| anyhow::anyhow!("--list-id {m}"))?,
                terms_url: Some(
                    HttpUrl::parse(terms_url).map_err(|m| anyhow::anyhow!("--terms-url {m}"))?,
                ),
                privacy_url: Some(
                    HttpUrl::parse(privacy_url)
                        .map_err(|m| anyhow::anyhow!("--privacy-url {m}"))?,
                ),
                heading: text("--heading", heading)?,
                extra: text("--extra", extra)?,
            };
            if secret.trim().is_empty() {
                anyhow::bail!("the API secret is empty (set TRACKLIGHT_YOTPO_SECRET)");
            }
            let checked = match op.sms {
                Some(sms) => {
                    let account = Account {
                        id: update.account_id.clone(),
                        secret: update.secret.clone(),
                    };
                    sms.check_account(&account)
                        .await
                        .map_err(|e| anyhow::anyhow!("Yotpo did not accept these settings: {e}"))?;
                    match sms.lists(&account).await {
                        Ok(Some(lists)) if !lists.iter().any(|l| l.id == update.list_id) => {
                            anyhow::bail!(
                                "list {} is not one of the account's lists: {}",
                                update.list_id,
                                lists
                                    .iter()
                                    .map(|l| format!("{} ({})", l.id, l.name))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }
                        Ok(_) => "checked with Yotpo",
                        Err(e) => anyhow::bail!("could not read the account's lists: {e}"),
                    }
                }
                None => "not checked: no TRACKLIGHT_YOTPO_API_URL, so the sandbox is in use",
            };
            save(db, op.secrets, &id, &update).await?;
            Ok(format!(
                "SMS sign-ups of {id} go to Yotpo store {} list {} ({checked}).\n",
                update.account_id, update.list_id
            ))
        }
        Command::Merchant(MerchantCommand::Klaviyo {
            merchant,
            account_id,
            key,
            list_id,
            double_opt_in,
            terms_url,
            privacy_url,
        }) => {
            let id = known_merchant(db, merchant).await?;
            if key.trim().is_empty() {
                anyhow::bail!("the private API key is empty (set TRACKLIGHT_KLAVIYO_KEY)");
            }
            let mut update = KlaviyoUpdate {
                account_id: AccountId::parse(account_id)
                    .map_err(|m| anyhow::anyhow!("--account-id {m}"))?,
                key: key.trim().to_owned().into(),
                list_id: ListId::parse(list_id).map_err(|m| anyhow::anyhow!("--list-id {m}"))?,
                double_opt_in: *double_opt_in,
                terms_url: Some(
                    HttpUrl::parse(terms_url).map_err(|m| anyhow::anyhow!("--terms-url {m}"))?,
                ),
                privacy_url: Some(
                    HttpUrl::parse(privacy_url)
                        .map_err(|m| anyhow::anyhow!("--privacy-url {m}"))?,
                ),
                heading: None,
                extra: None,
            };
            let checked = match op.klaviyo {
                Some(klaviyo) => {
                    let owner = klaviyo
                        .account_of_key(&update.key)
                        .await
                        .map_err(|e| anyhow::anyhow!("Klaviyo did not accept the key: {e}"))?;
                    if let Some(owner) = owner.filter(|o| *o != update.account_id) {
                        anyhow::bail!(
                            "the key belongs to Klaviyo account {owner}, not {account_id}"
                        );
                    }
                    let account = Account {
                        id: update.account_id.clone(),
                        secret: update.key.clone(),
                    };
                    let lists = klaviyo
                        .lists(&account)
                        .await
                        .map_err(|e| anyhow::anyhow!("could not read the account's lists: {e}"))?
                        .unwrap_or_default();
                    let Some(list) = lists.iter().find(|l| l.id == update.list_id) else {
                        anyhow::bail!(
                            "list {} is not one of the account's lists: {}",
                            update.list_id,
                            lists
                                .iter()
                                .map(|l| format!("{} ({})", l.id, l.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    update.double_opt_in = list.double_opt_in.unwrap_or(update.double_opt_in);
                    "checked with Klaviyo"
                }
                None => "not checked: no TRACKLIGHT_KLAVIYO_API_URL, so the sandbox is in use",
            };
            save_klaviyo(db, op.secrets, &id, &update).await?;
            Ok(format!(
                "SMS sign-ups of {id} go to Klaviyo account {} list {} ({checked}).\n",
                update.account_id, update.list_id
            ))
        }
        Command::Merchant(MerchantCommand::User {
            merchant,
            email,
            password,
        }) => {
            let id = known_merchant(db, merchant).await?;
            let email = Email::parse(email).map_err(|m| anyhow::anyhow!("--email {m}"))?;
            let password = Password::parse(password)
                .map_err(|m| anyhow::anyhow!("TRACKLIGHT_PASSWORD: {m}"))?;
            accounts::add_user(db, &id, &email, password, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(format!(
                "{} can now sign in to the settings of {id} at /signin.\n",
                email.as_str()
            ))
        }
        Command::ApiKey(ApiKeyCommand::Create { merchant, label }) => {
            let id = known_merchant(db, merchant).await?;
            let key = merchants::create_api_key(db, &id, label, now).await?;
            Ok(format!(
                "API key for {id} (shown once, store it now): {}\nPrefix, for revoking: {}\n",
                key.expose(),
                key.prefix()
            ))
        }
        Command::ApiKey(ApiKeyCommand::Revoke { merchant, prefix }) => {
            let id = known_merchant(db, merchant).await?;
            match merchants::revoke_api_keys(db, &id, prefix.trim(), now).await? {
                0 => anyhow::bail!("no live API key of {id} starts with {prefix}"),
                n => Ok(format!("Revoked {n} API key(s) of {id}\n")),
            }
        }
    }
}

async fn known_merchant(db: &Db, id: &str) -> anyhow::Result<merchants::MerchantId> {
    merchants::find(db, id.trim())
        .await?
        .with_context(|| format!("no merchant with ID {id} (see `tracklight merchant list`)"))
}
