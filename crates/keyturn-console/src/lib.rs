#![doc = include_str!("../README.md")]

pub mod draw;
pub mod graph;
pub mod html;
mod http;
pub mod pages;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use keyturn::{Engine, Runtime};
use keyturn_server::LiveFeed;

pub use http::Console;

/// Why the console (or the server with it) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsoleError {
    /// The console's address could not be bound.
    #[error("cannot listen on {addr} for the console: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The console's thread or runtime could not start.
    #[error("cannot start the console: {0}")]
    Runtime(std::io::Error),
    /// The STS and IAM server could not start.
    #[error(transparent)]
    Server(#[from] keyturn::server::ServerError),
}

/// A console serving on its own thread; stops when dropped or [`RunningConsole::stop`]ped.
#[derive(Debug)]
pub struct RunningConsole {
    addr: SocketAddr,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningConsole {
    /// The address bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and waits for the console's thread to end.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningConsole {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Binds `addr` and serves the console for `engine`, reading the server's `feed`, on a thread
/// of its own (a small single-threaded runtime: the STS endpoint's workers never wait for it).
///
/// # Errors
/// [`ConsoleError::Bind`] or [`ConsoleError::Runtime`].
pub fn start(
    engine: Arc<Engine>,
    feed: Arc<LiveFeed>,
    addr: SocketAddr,
) -> Result<RunningConsole, ConsoleError> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| ConsoleError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .and_then(|a| listener.set_nonblocking(true).map(|()| a))
        .map_err(|source| ConsoleError::Bind { addr, source })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ConsoleError::Runtime)?;
    let console = Arc::new(Console::new(engine, feed));
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("keyturn-console".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => http::accept_loop(l, console, stop_rx).await,
                    Err(e) => tracing::error!(error = %e, "the console cannot listen"),
                }
            });
        })
        .map_err(ConsoleError::Runtime)?;
    Ok(RunningConsole {
        addr: local,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// `keyturn serve`: serves `runtime`'s engine on `addr` until Ctrl-C or SIGTERM, and with
/// `console` the console on that address, fed by the server's live audit feed. `on_ready` gets
/// the bound addresses.
///
/// # Errors
/// [`ConsoleError`] when the server or the console cannot start.
pub fn serve_forever(
    runtime: &Runtime,
    addr: SocketAddr,
    console: Option<SocketAddr>,
    on_ready: impl FnOnce(SocketAddr, Option<SocketAddr>),
) -> Result<(), ConsoleError> {
    let Some(console_addr) = console else {
        keyturn::server::serve_forever(runtime, addr, |bound| on_ready(bound, None))?;
        return Ok(());
    };
    let feed = Arc::new(LiveFeed::default());
    let mut options = keyturn::server::options(runtime);
    options.live = Some(Arc::clone(&feed));
    let running = start(runtime.engine(), feed, console_addr)?;
    let console_bound = running.local_addr();
    keyturn_server::serve_forever(addr, keyturn::server::backend(runtime), options, |bound| {
        on_ready(bound, Some(console_bound));
    })?;
    running.stop();
    Ok(())
}
