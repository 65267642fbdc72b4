use app::ssr::SystemClock;
use server::config::Settings;
use server::startup::{shutdown_signal, Application};
use server::{demo, telemetry};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
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
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "Tracklight stopped with an error");
            eprintln!("Tracklight stopped: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> anyhow::Result<()> {
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
        demo::banner(base.as_str(), demo.as_ref())
    );
    app.run_until(shutdown_signal()).await
}
