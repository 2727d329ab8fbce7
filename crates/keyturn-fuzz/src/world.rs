//! The engine the request targets run against: a small configuration with a user allowed
//! everything (so signed requests reach the operations, writes included), a role it may
//! assume, an in-memory store, a fixed clock and a fixed keyring, built once per process.

use std::sync::{Arc, OnceLock};

use keyturn::{Config, Engine, FixedClock, Keyring, Runtime, RuntimeOptions};
use time::OffsetDateTime;

/// 2026-11-28T12:00:00Z: the engine's clock, and the time requests are signed at.
pub const NOW: i64 = 1_795_867_200;

/// The user's access key id.
pub const ACCESS_KEY_ID: &str = "AKIATHPL2AOHFJCVQTKQ";

/// The user's secret access key.
pub const SECRET: &str = "fuzz/secret/wJalrXUtnFEMI/K7MDENG";

/// The account of the configuration.
pub const ACCOUNT: &str = "222222222222";

const CONFIG: &str = r#"store: {memory: true}
accounts:
  - id: "222222222222"
    users:
      - name: fuzzer
        access_keys:
          - id: AKIATHPL2AOHFJCVQTKQ
            secret: fuzz/secret/wJalrXUtnFEMI/K7MDENG
        inline_policies:
          everything:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
    roles:
      - name: App
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::222222222222:root"}
              Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
        inline_policies:
          work:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: ["s3:GetObject", "iam:Get*", "iam:List*"], Resource: "*"}
    managed_policies:
      - name: Boundary
        document:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: "sts:*", Resource: "*", Condition: {StringLike: {"aws:userid": "A*"}}}
"#;

/// The running configuration.
pub struct World {
    /// The runtime (its engine serves the requests).
    pub runtime: Runtime,
    /// The engine.
    pub engine: Arc<Engine>,
}

/// A fixed keyring: key 1 active, the same bytes in every run (the tokens a run mints are
/// reproducible across processes, so a corpus entry replays the same way).
pub fn keyring() -> Option<Keyring> {
    Keyring::from_keys(vec![(1, [0x4b; 32]), (2, [0x5a; 32])], 1, [0x17; 32]).ok()
}

/// The world, built on first use; `None` only if the fixed configuration stopped loading,
/// which [`tests`] reports.
pub fn world() -> Option<&'static World> {
    static WORLD: OnceLock<Option<World>> = OnceLock::new();
    WORLD.get_or_init(build).as_ref()
}

fn build() -> Option<World> {
    let config = Config::from_str(CONFIG, "fuzz.yaml").ok()?;
    let clock = Arc::new(FixedClock::new(
        OffsetDateTime::from_unix_timestamp(NOW).ok()?,
    ));
    let runtime = Runtime::with_options(
        &config,
        RuntimeOptions {
            clock: Some(clock),
            store: None,
            keyring: Some(keyring()?),
            identity_providers: Vec::new(),
        },
    )
    .ok()?;
    let engine = runtime.engine();
    Some(World { runtime, engine })
}

/// Puts the model back as the configuration seeded it (the request targets call it every few
/// hundred inputs, so that what earlier inputs created does not pile up).
pub fn reset(world: &World) {
    let _ = world.engine.replace_model(world.runtime.seed());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_world_builds() {
        assert!(
            super::world().is_some(),
            "the fuzz configuration no longer loads"
        );
    }
}
