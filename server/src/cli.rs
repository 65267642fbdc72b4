//! The command line: `tracklight` (or `tracklight serve`) runs the server; the other commands
//! are for operators onboarding merchants until merchants have a settings page of their own.
//! They use the same `TRACKLIGHT_*` settings (above all the database URL) as the server.

use anyhow::Context;
use app::domain::inputs::{AccentColor, BrandName};
use app::ssr::merchants::{self, NewMerchant};
use app::ssr::{Clock, Db};
use clap::{Parser, Subcommand};

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
pub async fn execute(command: &Command, db: &Db, clock: &dyn Clock) -> anyhow::Result<String> {
    let now = clock.now_ms();
    match command {
        Command::Serve => Ok(String::new()),
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
