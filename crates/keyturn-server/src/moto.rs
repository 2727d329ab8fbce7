//! moto's control endpoints, served only by a moto-compatible endpoint
//! ([`ServerOptions::moto_api`](crate::ServerOptions::moto_api)): `POST /moto-api/reset` and
//! `POST /moto-api/reset-auth`, answered as moto's server answers them (the same JSON bodies,
//! Flask's default `text/html; charset=utf-8` content type).

use std::fmt::Debug;

/// What moto's control endpoints do to the world behind the server.
pub trait MotoApi: Send + Sync + Debug {
    /// `/moto-api/reset`: the model back to its start.
    ///
    /// # Errors
    /// A message when the store could not be written.
    fn reset(&self) -> Result<(), String>;

    /// `/moto-api/reset-auth`: moto's `INITIAL_NO_AUTH_ACTION_COUNT` becomes `limit` and its
    /// tally restarts; returns the previous limit.
    fn reset_auth(&self, limit: f64) -> f64;
}

/// The path prefix of moto's control endpoints.
pub(crate) const PREFIX: &str = "/moto-api/";

/// The answer to a request for `path` (under [`PREFIX`]): status and JSON body.
pub(crate) fn answer(api: &dyn MotoApi, is_post: bool, path: &str, body: &[u8]) -> (u16, String) {
    match path {
        "/moto-api/reset" if is_post => match api.reset() {
            Ok(()) => (200, json(&[("status", "ok")])),
            Err(e) => (500, json(&[("Error", &e)])),
        },
        "/moto-api/reset" => (400, json(&[("Error", "Need to POST to reset Moto")])),
        "/moto-api/reset-auth" if is_post => match parse_count(body) {
            Some(limit) => {
                let previous = api.reset_auth(limit);
                (
                    200,
                    json(&[
                        ("status", "ok"),
                        (
                            "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT",
                            &python_float(previous),
                        ),
                    ]),
                )
            }
            None => (
                400,
                json(&[(
                    "Error",
                    "The body must be a number of requests (INITIAL_NO_AUTH_ACTION_COUNT)",
                )]),
            ),
        },
        "/moto-api/reset-auth" => (400, json(&[("Error", "Need to POST to reset Moto Auth")])),
        _ => (
            404,
            json(&[(
                "Error",
                "Keyturn's moto compatibility serves /moto-api/reset and /moto-api/reset-auth only",
            )]),
        ),
    }
}

/// The body of `reset-auth`: a number as Python's `float()` reads it (`2`, `2.0`, `inf`).
fn parse_count(body: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(body).ok()?.trim();
    text.parse::<f64>().ok()
}

/// `str(float)` in Python: `inf`, `2.0`, `1e+16`.
fn python_float(v: f64) -> String {
    if v.is_nan() {
        "nan".to_owned()
    } else if v.is_infinite() {
        (if v > 0.0 { "inf" } else { "-inf" }).to_owned()
    } else if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else if v.abs() >= 1e16 {
        let s = format!("{v:e}");
        // Rust writes `1e16`; Python `1e+16`.
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        format!("{v}")
    }
}

/// `json.dumps` of a flat object of strings, in Python's default layout (`{"k": "v"}`).
fn json(members: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::Value::from(*k).to_string());
        out.push_str(": ");
        out.push_str(&serde_json::Value::from(*v).to_string());
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Debug, Default)]
    struct Recorder {
        resets: Mutex<u32>,
        limit: Mutex<f64>,
    }

    impl MotoApi for Recorder {
        fn reset(&self) -> Result<(), String> {
            *self.resets.lock().map_err(|e| e.to_string())? += 1;
            Ok(())
        }

        fn reset_auth(&self, limit: f64) -> f64 {
            let mut l = self.limit.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut *l, limit)
        }
    }

    #[test]
    fn answers_as_moto_does() {
        let api = Recorder {
            limit: Mutex::new(f64::INFINITY),
            ..Recorder::default()
        };
        assert_eq!(
            answer(&api, true, "/moto-api/reset", b""),
            (200, r#"{"status": "ok"}"#.to_owned())
        );
        assert_eq!(*api.resets.lock().unwrap_or_else(|e| e.into_inner()), 1);
        assert_eq!(
            answer(&api, false, "/moto-api/reset", b""),
            (400, r#"{"Error": "Need to POST to reset Moto"}"#.to_owned())
        );
        assert_eq!(
            answer(&api, true, "/moto-api/reset-auth", b"2"),
            (
                200,
                r#"{"status": "ok", "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": "inf"}"#.to_owned()
            )
        );
        assert_eq!(
            answer(&api, true, "/moto-api/reset-auth", b"inf"),
            (
                200,
                r#"{"status": "ok", "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": "2.0"}"#.to_owned()
            )
        );
        assert_eq!(answer(&api, true, "/moto-api/reset-auth", b"two").0, 400);
        assert_eq!(answer(&api, false, "/moto-api/reset-auth", b"2").0, 400);
        assert_eq!(answer(&api, true, "/moto-api/data.json", b"").0, 404);
        assert_eq!(*api.resets.lock().unwrap_or_else(|e| e.into_inner()), 1);
    }

    #[test]
    fn floats_print_as_python_prints_them() {
        assert_eq!(python_float(f64::INFINITY), "inf");
        assert_eq!(python_float(0.0), "0.0");
        assert_eq!(python_float(8.0), "8.0");
        assert_eq!(python_float(2.5), "2.5");
        assert_eq!(python_float(1e16), "1e+16");
    }
}
