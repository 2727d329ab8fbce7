//! The `keyturn` command: `serve` (the STS endpoint), `export`, `policy` (check, evaluate,
//! simulate), `analyze` (trust analysis), `token inspect`, `mfa code` and `completions`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

mod analyze_cmd;
mod banner;
mod completions_cmd;
mod export_cmd;
mod mfa_cmd;
mod model;
mod output;
mod policy_cmd;
mod simulate_cmd;
mod token_cmd;

/// mimalloc instead of glibc's malloc: a request allocates a few dozen small, short-lived
/// strings, and glibc's free lists were an eighth of the server's CPU under load
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The seed scenario `keyturn serve` runs without `--config`.
const SEED_CONFIG: &str = include_str!("../../../docs/examples/cross-account.yaml");

/// Keyturn: an AWS STS-compatible security token service.
#[derive(Debug, Parser)]
#[command(name = "keyturn", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the STS (and IAM policy simulation) Query API over HTTP.
    Serve {
        /// The configuration file (YAML or JSON). Without it, the embedded seed scenario
        /// (docs/examples/cross-account.yaml) runs with its data under ./keyturn-data/.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The address to listen on, overriding the configuration's.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// A compatibility mode for test suites written for another tool, setting the
        /// configuration's `server.compat`: `moto` serves what a moto server-mode suite expects
        /// (docs/moto.md). Without `--config` it starts from an empty in-memory world.
        #[arg(long, value_name = "MODE", value_parser = ["moto"])]
        compat: Option<String>,
        /// Serve the web console too (docs/console.md), on the configuration's `console.listen`
        /// or 127.0.0.1:8788.
        #[arg(long)]
        console: bool,
    },
    /// Write the stored IAM model out as a configuration (YAML) that seeds a new, empty store
    /// with the same model. The file holds every secret access key and MFA seed (it is the
    /// store's content): it is written with mode 0600 (owner only), and never to the terminal.
    Export {
        /// The configuration whose store to read (as for `serve`: without it, the embedded seed
        /// scenario's ./keyturn-data/keyturn.db). A running server may keep using the store.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The file to write, with mode 0600 (replaced if it exists).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Check, evaluate and simulate IAM policies.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// Trust analysis: who outside each role's zone of trust may assume it, and under which
    /// conditions (IAM Access Analyzer's external-access findings, from the policies alone).
    Analyze(analyze_cmd::AnalyzeArgs),
    /// Session tokens.
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// Virtual MFA devices.
    #[command(subcommand)]
    Mfa(mfa_cmd::MfaCommand),
    /// Print the shell completion script for `keyturn`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The process's log on standard error, as the configuration's `log` section asks:
/// `log.level` (else `RUST_LOG`, else `info`) and `log.format` (`text` or `json`; the
/// environment's `KEYTURN_LOG_FORMAT=json|text` overrides it). Returns a warning for a
/// `KEYTURN_LOG_FORMAT` that names neither, to log once logging is up.
fn init_logging(log: &keyturn::config::LogConfig) -> Option<String> {
    use keyturn::config::LogFormat;
    let (format, warning) = match std::env::var("KEYTURN_LOG_FORMAT").as_deref() {
        Ok("json") => (LogFormat::Json, None),
        Ok("text") => (LogFormat::Text, None),
        Ok(other) if !other.is_empty() => (
            log.format,
            Some(format!(
                "KEYTURN_LOG_FORMAT=`{other}` is not `json` or `text`: ignored"
            )),
        ),
        _ => (log.format, None),
    };
    let filter = match &log.level {
        Some(level) => tracing_subscriber::EnvFilter::new(level),
        None => tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
    warning
}

/// The system clock shifted by a fixed offset (`KEYTURN_TEST_CLOCK_OFFSET`, for tests of expiry).
#[derive(Debug)]
struct OffsetClock(time::Duration);

impl keyturn::Clock for OffsetClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc() + self.0
    }
}

/// `KEYTURN_TEST_CLOCK_OFFSET`: signed seconds added to the system clock (default 0).
fn test_clock_offset() -> Result<i64, String> {
    match std::env::var("KEYTURN_TEST_CLOCK_OFFSET") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().map_err(|_| {
            format!("KEYTURN_TEST_CLOCK_OFFSET must be an integer number of seconds, got `{v}`")
        }),
        _ => Ok(0),
    }
}

/// The configuration at `path`, or the embedded seed scenario.
fn load_config(path: Option<&std::path::Path>) -> Result<keyturn::Config, keyturn::ConfigError> {
    match path {
        Some(path) => keyturn::Config::from_file(path),
        None => keyturn::Config::from_str(SEED_CONFIG, "cross-account.yaml (embedded seed)"),
    }
}

/// What a moto-compatible endpoint starts from without `--config`: nothing but moto's default
/// account (added by `server.compat`), in memory.
const MOTO_CONFIG: &str = "store:\n  memory: true\n";

fn serve(
    config: Option<PathBuf>,
    listen: Option<SocketAddr>,
    compat: Option<&str>,
    console: bool,
) -> ExitCode {
    let from_file = config.is_some();
    let compat = compat.and_then(keyturn::config::Compat::from_name);
    let loaded = match (&config, compat) {
        (None, Some(_)) => {
            keyturn::Config::from_str(MOTO_CONFIG, "moto compatibility (no --config)")
        }
        _ => load_config(config.as_deref()),
    };
    let mut config = match loaded {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(warning) = init_logging(&config.log) {
        tracing::warn!("{warning}");
    }
    let mut options = keyturn::RuntimeOptions::default();
    if compat.is_some() {
        config.server.compat = compat;
    }
    if compat.is_some() && !from_file {
        // No --config: nothing is written to disk, the keyring included.
        match keyturn::Keyring::generate() {
            Ok(k) => options.keyring = Some(k),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    match test_clock_offset() {
        Ok(0) => {}
        Ok(offset) => {
            tracing::warn!(
                offset,
                "KEYTURN_TEST_CLOCK_OFFSET is set: the clock is shifted by {offset} s"
            );
            options.clock = Some(Arc::new(OffsetClock(time::Duration::seconds(offset))));
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let runtime = match keyturn::Runtime::with_options(&config, options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    for w in &runtime.warnings {
        tracing::warn!("{w}");
    }
    let addr = listen.unwrap_or(config.server.listen);
    // The server options come from the configuration in the facade, as for every binding.
    let console = (console || config.console.is_some()).then(|| {
        config
            .console
            .unwrap_or_else(keyturn::config::ConsoleConfig::loopback)
            .listen
    });
    let result = keyturn_console::serve_forever(&runtime, addr, console, |bound, console| {
        // A file's secrets stay in the file; the built-in scenario's are public.
        banner::print(&runtime, bound, !from_file);
        if let Some(console) = console {
            println!("Console: http://{console}/");
        }
        tracing::info!(%bound, region = %config.server.region, "keyturn is serving");
    });
    match result {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            config,
            listen,
            compat,
            console,
        } => serve(config, listen, compat.as_deref(), console),
        Command::Export { config, output } => export_cmd::run(config.as_deref(), &output),
        Command::Policy(cmd) => policy_cmd::run(cmd),
        Command::Analyze(args) => analyze_cmd::run(args),
        Command::Token(cmd) => token_cmd::run(cmd),
        Command::Mfa(cmd) => mfa_cmd::run(cmd),
        Command::Completions { shell } => completions_cmd::run(shell),
    }
}
