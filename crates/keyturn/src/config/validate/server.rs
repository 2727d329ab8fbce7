//! The `server` section: address, region and the regions served, audit log, workers, compat,
//! connection limits; and the `console` section's address.

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::time::Duration;

use super::super::raw::{RawAuditLog, RawConnections, RawConsole, RawLog, RawServer, RawTls};
use super::super::{
    AuditLog, Compat, Connections, ConsoleConfig, DEFAULT_CONSOLE_LISTEN, DEFAULT_LISTEN,
    DEFAULT_REGION, LogConfig, LogFormat, MAX_WORKERS, ServerConfig, TlsConfig,
};
use super::{Checked, Checker};

/// The `server` section, checked.
pub(super) fn server(c: &Checker<'_>, server_raw: RawServer) -> Checked<ServerConfig> {
    let listen_text = server_raw.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
    let Ok(listen) = listen_text.parse::<SocketAddr>() else {
        return c.fail(
            "server.listen",
            format!("`{listen_text}` is not an address and port such as 127.0.0.1:8787"),
        );
    };
    let region = server_raw
        .region
        .unwrap_or_else(|| DEFAULT_REGION.to_owned());
    if !region_name_ok(&region) {
        return c.fail(
            "server.region",
            format!("`{region}` is not a region name such as us-east-1"),
        );
    }
    let regions = regions(c, server_raw.regions, &region)?;
    let (audit_path, on_failure) = match server_raw.audit_log {
        None => (None, None),
        Some(RawAuditLog::Path(path)) => (Some(path), None),
        Some(RawAuditLog::Full(full)) => (Some(full.path), full.on_failure),
    };
    let audit_log = match audit_path.as_deref() {
        None => None,
        Some("stdout") => Some(AuditLog::Stdout),
        Some("") => {
            return c.fail(
                "server.audit_log",
                "give `stdout` or a file path, or leave the field out",
            );
        }
        Some(path) => Some(AuditLog::File(c.resolve(path))),
    };
    let audit_fail_closed = match on_failure.as_deref() {
        None | Some("continue") => false,
        Some("refuse") => true,
        Some(other) => {
            return c.fail(
                "server.audit_log.on_failure",
                format!("`{other}` is not `refuse` or `continue`"),
            );
        }
    };
    let quotas = match server_raw.quotas {
        None => None,
        Some(raw) => Some(super::quotas::quotas(c, raw)?),
    };
    let workers = match server_raw.workers {
        None => None,
        Some(n) => match usize::try_from(n) {
            Ok(n @ 1..=MAX_WORKERS) => Some(n),
            _ => {
                return c.fail(
                    "server.workers",
                    format!("`{n}` is not a number of worker threads from 1 to {MAX_WORKERS}"),
                );
            }
        },
    };

    let compat = match server_raw.compat.as_deref() {
        None => None,
        Some("moto") => Some(Compat::Moto),
        Some(other) => {
            return c.fail(
                "server.compat",
                format!("`{other}` is not a compatibility mode: the one mode is `moto`"),
            );
        }
    };

    let public_url = match server_raw.public_url {
        None => None,
        Some(url) => {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            match rest {
                Some(host)
                    if !host.is_empty()
                        && !host.starts_with('/')
                        && !host.contains(['?', '#', ' ']) =>
                {
                    Some(url.trim_end_matches('/').to_owned())
                }
                _ => {
                    return c.fail(
                        "server.public_url",
                        format!(
                            "`{url}` is not a base URL such as https://sts.example.com (http:// \
                             or https://, a host, no query)"
                        ),
                    );
                }
            }
        }
    };

    let connections = connections(c, server_raw.connections.unwrap_or_default())?;
    let tls = match server_raw.tls {
        None => None,
        Some(raw) => Some(tls(c, raw)?),
    };
    let metrics_listen = match server_raw.metrics {
        None => None,
        Some(m) => match m.listen.parse::<SocketAddr>() {
            Ok(addr) if addr == listen && addr.port() != 0 => {
                return c.fail(
                    "server.metrics.listen",
                    format!("`{addr}` is `server.listen` too: give the metrics their own port"),
                );
            }
            Ok(addr) => Some(addr),
            Err(_) => {
                return c.fail(
                    "server.metrics.listen",
                    format!(
                        "`{}` is not an address and port such as 127.0.0.1:9787",
                        m.listen
                    ),
                );
            }
        },
    };

    Ok(ServerConfig {
        listen,
        region,
        regions,
        audit_log,
        audit_fail_closed,
        quotas,
        workers,
        compat,
        public_url,
        connections,
        tls,
        metrics_listen,
    })
}

/// `server.tls`, checked: both files named, the plain listener (if any) on loopback.
fn tls(c: &Checker<'_>, raw: RawTls) -> Checked<TlsConfig> {
    for (field, value) in [("cert", &raw.cert), ("key", &raw.key)] {
        if value.trim().is_empty() {
            return c.fail(
                &format!("server.tls.{field}"),
                "give the path of a PEM file",
            );
        }
    }
    let http_listen = match raw.http_listen.as_deref() {
        None => None,
        Some(text) => match text.parse::<SocketAddr>() {
            Ok(addr) if addr.ip().is_loopback() => Some(addr),
            Ok(addr) => {
                return c.fail(
                    "server.tls.http_listen",
                    format!(
                        "`{addr}` is not a loopback address: plain HTTP is served only on \
                         127.0.0.1 or ::1"
                    ),
                );
            }
            Err(_) => {
                return c.fail(
                    "server.tls.http_listen",
                    format!("`{text}` is not an address and port such as 127.0.0.1:8788"),
                );
            }
        },
    };
    Ok(TlsConfig {
        cert: c.resolve(&raw.cert),
        key: c.resolve(&raw.key),
        http_listen,
    })
}

/// The levels `log.level` accepts.
const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

/// The `log` section, checked.
pub(super) fn log(c: &Checker<'_>, raw: RawLog) -> Checked<LogConfig> {
    let format = match raw.format.as_deref() {
        None | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(other) => {
            return c.fail("log.format", format!("`{other}` is not `text` or `json`"));
        }
    };
    let level = match raw.level {
        None => None,
        Some(l) if LOG_LEVELS.contains(&l.as_str()) => Some(l),
        Some(l) => {
            return c.fail(
                "log.level",
                format!("`{l}` is not one of {}", LOG_LEVELS.join(", ")),
            );
        }
    };
    Ok(LogConfig {
        format,
        level,
        requests: raw.requests.unwrap_or(false),
    })
}

/// The longest timeout `server.connections` accepts, in seconds (an hour).
const MAX_TIMEOUT_SECONDS: f64 = 3600.0;

/// `server.connections`, checked: each limit within its range.
fn connections(c: &Checker<'_>, raw: RawConnections) -> Checked<Connections> {
    let count = |field: &str, value: Option<i64>, range: RangeInclusive<u64>, what: &str| {
        let Some(n) = value else {
            return Ok(None);
        };
        match u64::try_from(n) {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => c.fail(
                &format!("server.connections.{field}"),
                format!(
                    "`{n}` is not {what} from {} to {}",
                    range.start(),
                    range.end()
                ),
            ),
        }
    };
    let seconds = |field: &str, value: Option<f64>, zero_ok: bool| {
        let Some(s) = value else {
            return Ok(None);
        };
        let low_ok = if zero_ok { s >= 0.0 } else { s > 0.0 };
        if low_ok && s <= MAX_TIMEOUT_SECONDS {
            return Ok(Some(Duration::from_secs_f64(s)));
        }
        let from = if zero_ok { "from 0" } else { "over 0" };
        c.fail(
            &format!("server.connections.{field}"),
            format!("`{s}` is not a number of seconds {from} to {MAX_TIMEOUT_SECONDS}"),
        )
    };
    let size = |n: Option<u64>| n.and_then(|n| usize::try_from(n).ok());
    Ok(Connections {
        max: size(count(
            "max",
            raw.max,
            1..=1_000_000,
            "a number of connections",
        )?),
        header_timeout: seconds("header_timeout", raw.header_timeout, false)?,
        body_timeout: seconds("body_timeout", raw.body_timeout, false)?,
        min_body_rate: count(
            "min_body_rate",
            raw.min_body_rate,
            0..=1 << 30,
            "a rate in bytes per second",
        )?,
        body_memory: size(count(
            "body_memory",
            raw.body_memory,
            256 * 1024..=1 << 40,
            "a number of bytes",
        )?),
        shutdown_timeout: seconds("shutdown_timeout", raw.shutdown_timeout, true)?,
        send_timeout: seconds("send_timeout", raw.send_timeout, false)?,
    })
}

/// Whether `region` looks like a region name: lowercase words joined by `-`, at least three
/// parts, the last a number (`us-east-1`, `us-gov-west-1`).
fn region_name_ok(region: &str) -> bool {
    region.split('-').count() >= 3
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && region
            .rsplit('-')
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `server.regions`: `None` (every region of the `aws` partition, and `region`) when absent;
/// otherwise a non-empty list of distinct region names that includes `region`, the one the
/// endpoint answers as.
fn regions(
    c: &Checker<'_>,
    raw: Option<Vec<String>>,
    region: &str,
) -> Checked<Option<Vec<String>>> {
    let Some(list) = raw else {
        return Ok(None);
    };
    if list.is_empty() {
        return c.fail(
            "server.regions",
            "list at least one region, or leave the field out to serve every region of the `aws` partition",
        );
    }
    for (i, name) in list.iter().enumerate() {
        if !region_name_ok(name) {
            return c.fail(
                &format!("server.regions[{i}]"),
                format!("`{name}` is not a region name such as us-east-1"),
            );
        }
        if list[..i].contains(name) {
            return c.fail(
                &format!("server.regions[{i}]"),
                format!("region `{name}` is listed more than once"),
            );
        }
    }
    if !list.iter().any(|r| r == region) {
        return c.fail(
            "server.regions",
            format!("the list does not include `{region}`, the server's region (`server.region`)"),
        );
    }
    Ok(Some(list))
}

/// The `console` section, checked: its address (loopback by default).
pub(super) fn console(c: &Checker<'_>, raw: Option<RawConsole>) -> Checked<Option<ConsoleConfig>> {
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.listen.as_deref().unwrap_or(DEFAULT_CONSOLE_LISTEN);
    let Ok(listen) = text.parse::<SocketAddr>() else {
        return c.fail(
            "console.listen",
            format!("`{text}` is not an address and port such as {DEFAULT_CONSOLE_LISTEN}"),
        );
    };
    Ok(Some(ConsoleConfig { listen }))
}
