//! The `store` section's PostgreSQL form: `postgres: URL` and its `check_interval`.
#![allow(clippy::panic, reason = "test helpers outside #[test] functions")]

use std::time::Duration;

use keyturn::config::{Config, ConfigError, StoreConfig};
use keyturn_store::PostgresOptions;

/// The field path and message of a configuration refused by validation.
fn refused(text: &str) -> (String, String) {
    match Config::from_str(text, "store.yaml") {
        Err(ConfigError::Invalid { path, message, .. }) => (path, message),
        other => panic!("expected a validation error for {text:?}, got {other:?}"),
    }
}

#[test]
fn a_postgres_store_takes_a_url_and_an_optional_check_interval() {
    let config = Config::from_str("store: {postgres: 'postgres://k@db:5432/keyturn'}", "t")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        config.store,
        StoreConfig::Postgres(PostgresOptions::new("postgres://k@db:5432/keyturn"))
    );
    let config = Config::from_str(
        "store: {postgres: 'host=db dbname=keyturn', check_interval: 0.25}",
        "t",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let StoreConfig::Postgres(options) = config.store else {
        panic!("not PostgreSQL: {:?}", config.store);
    };
    assert_eq!(options.url, "host=db dbname=keyturn");
    assert_eq!(options.check_interval, Duration::from_millis(250));
}

#[test]
fn a_postgres_store_refuses_what_it_cannot_use() {
    assert_eq!(
        refused("store: {postgres: 'postgres://db/k', sqlite: k.db}"),
        (
            "store".to_owned(),
            "give exactly one of `sqlite: PATH`, `memory: true` or `postgres: URL`".to_owned()
        )
    );
    assert_eq!(refused("store: {postgres: ''}").0, "store");
    for interval in ["0", "-1", "3601", ".nan"] {
        let (path, message) = refused(&format!(
            "store: {{postgres: 'postgres://db/k', check_interval: {interval}}}"
        ));
        assert_eq!(path, "store.check_interval", "{interval}");
        assert!(
            message.contains("from 0.01 to 3600"),
            "{interval}: {message}"
        );
    }
    assert_eq!(
        refused("store: {sqlite: k.db, check_interval: 1}"),
        (
            "store.check_interval".to_owned(),
            "only a PostgreSQL store (`postgres: URL`) is checked on an interval".to_owned()
        )
    );
    // A string that does not parse is named by its field, and its password is never repeated.
    let (path, message) = refused("store: {postgres: 'postgres://u:hunter2@db:notaport/k'}");
    assert_eq!(path, "store.postgres");
    assert!(
        message.starts_with("not a PostgreSQL connection string: ") && !message.contains("hunter2"),
        "{message}"
    );
}
