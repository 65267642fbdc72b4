use app::ssr::db::PoolConfig;
use app::ssr::klaviyo::KlaviyoClient;
use app::ssr::sms::SmsListProvider;
use app::ssr::yotpo::YotpoClient;
use app::ssr::{Db, SystemClock};
use clap::Parser;
use sandbox::SandboxConfig;
use server::cli::{Cli, Command, SandboxArgs};
use server::config::{ProviderTarget, Settings, YotpoTarget};
use server::startup::{shutdown_signal, Application};
use server::{cli, demo, telemetry};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

// Page rendering allocates many short strings; mimalloc serves them faster than glibc's
// allocator under concurrency (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("Tracklight cannot start; fix these settings:");
            for e in errors {
                eprintln!("  {e}");
            }
            return ExitCode::from(2);
        }
    };
    if let Err(e) = telemetry::init(&settings) {
        eprintln!("Tracklight cannot start: {e:#}");
        return ExitCode::from(2);
    }
    let result = match command {
        Command::Serve => serve(settings).await,
        Command::YotpoSandbox(args) => yotpo_sandbox(&args, &settings).await,
        command => operate(&command, &settings).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "Tracklight stopped with an error");
            eprintln!("Tracklight: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(&settings, Arc::new(SystemClock)).await?;
    let demo = if settings.demo {
        demo::ensure(app.state(), &settings.data_dir).await?
    } else {
        None
    };
    let base = app.state().public_url.clone();
    tracing::info!(addr = %app.local_addr(), "listening");
    // Best effort: a closed stdout (piped into `head`, a detached log shipper) must not stop
    // the server, and `println!` would panic on it.
    let _ = writeln!(
        std::io::stdout().lock(),
        "{}",
        demo::banner(base.as_str(), demo.as_ref(), &app.state().sms_mode)
    );
    app.run_until(shutdown_signal()).await
}

/// The Yotpo sandbox on its own, until Ctrl-C or SIGTERM.
async fn yotpo_sandbox(args: &SandboxArgs, settings: &Settings) -> anyhow::Result<()> {
    let stores = if args.stores.is_empty() {
        std::fs::create_dir_all(&settings.data_dir)?;
        sandbox::demo_stores(&settings.data_dir)?
    } else {
        args.stores.clone()
    };
    let config = SandboxConfig {
        faults: args.faults()?,
        stores,
        log_capacity: args.log_capacity,
        ..SandboxConfig::default()
    };
    let ids: Vec<String> = config.stores.iter().map(|s| s.store_id.clone()).collect();
    let handle = sandbox::spawn(config, args.bind).await?;
    let url = handle.url();
    let _ = writeln!(
        std::io::stdout().lock(),
        "Yotpo sandbox at {url}\n  Stores: {}\n  Use it with TRACKLIGHT_YOTPO_API_URL={url}\n  \
         Admin: {url}/sandbox  {url}/sandbox/requests  {url}/sandbox/faults\n  Stop with Ctrl-C.",
        ids.join(", ")
    );
    shutdown_signal().await;
    drop(handle);
    Ok(())
}

/// An operator command against the configured database.
async fn operate(command: &Command, settings: &Settings) -> anyhow::Result<()> {
    std::fs::create_dir_all(&settings.data_dir)?;
    let pool = PoolConfig {
        max_connections: 1,
        ..PoolConfig::default()
    };
    let db = Db::connect(&settings.database_url, &pool).await?;
    let secrets = server::startup::secret_box(settings)?;
    let yotpo = match &settings.yotpo.target {
        YotpoTarget::Live { api_url } => Some(YotpoClient::new(
            settings.yotpo.client_config(api_url.clone()),
        )?),
        YotpoTarget::Sandbox { .. } => None,
    };
    let klaviyo = match &settings.klaviyo.target {
        ProviderTarget::Live { api_url } => Some(KlaviyoClient::new(
            settings.klaviyo.client_config(api_url.clone()),
        )?),
        ProviderTarget::Sandbox { .. } => None,
    };
    let operator = cli::Operator {
        db: &db,
        clock: &SystemClock,
        secrets: &secrets,
        sms: yotpo.as_ref().map(|y| y as &dyn SmsListProvider),
        klaviyo: klaviyo.as_ref().map(|k| k as &dyn SmsListProvider),
    };
    let out = cli::execute(command, &operator).await;
    db.close().await;
    print!("{}", out?);
    Ok(())
}
