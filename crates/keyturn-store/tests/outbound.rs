//! The account's outbound web identity federation flag (`Change::SetOutboundFederation`), the
//! same on every store, and kept by a SQLite file across a reopen.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

mod support;

use keyturn_core::iam::{Account, Change, IamData};
use keyturn_store::{SqliteStore, StoreRead, StoreWrite};
use support::{stores, temp_dir};

const ACCOUNT: &str = "222222222222";

fn set(enabled: bool) -> Change {
    Change::SetOutboundFederation {
        account: ACCOUNT.into(),
        enabled,
    }
}

fn enabled(store: &dyn StoreRead) -> bool {
    store
        .load()
        .expect("load")
        .data
        .account(ACCOUNT)
        .expect("account")
        .outbound_web_identity_federation
}

fn seed() -> IamData {
    IamData {
        accounts: vec![Account {
            id: ACCOUNT.into(),
            ..Account::default()
        }],
        ..IamData::default()
    }
}

#[test]
fn the_flag_is_set_and_cleared_on_every_store() {
    let dir = temp_dir("outbound-every");
    for (name, store) in stores(&dir) {
        let g = store.replace(None, &seed()).expect("seed");
        assert!(!enabled(store.as_ref()), "{name}");
        let g = store.commit(g, &[set(true)]).expect("enable");
        assert!(enabled(store.as_ref()), "{name}");
        store.commit(g, &[set(false)]).expect("disable");
        assert!(!enabled(store.as_ref()), "{name}");
        let unknown = Change::SetOutboundFederation {
            account: "999999999999".into(),
            enabled: true,
        };
        let g = store.load().expect("load").generation;
        assert!(store.commit(g, &[unknown]).is_err(), "{name}");
    }
}

#[test]
fn a_sqlite_file_keeps_the_flag_across_a_reopen() {
    let path = temp_dir("outbound-reopen").join("keyturn.db");
    {
        let store = SqliteStore::open(&path).expect("open");
        let g = store.replace(None, &seed()).expect("seed");
        store.commit(g, &[set(true)]).expect("enable");
    }
    let store = SqliteStore::open(&path).expect("reopen");
    assert!(enabled(&store));
}
