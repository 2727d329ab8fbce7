//! The organization is kept with the model by every store: replaced, left alone by commits,
//! removed, and (SQLite) read back after reopening.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use keyturn_core::iam::{Account, Change, IamData};
use keyturn_core::org::{OrgAccount, OrgNode, OrgPolicy, OrgPolicyType, Organization};
use keyturn_store::{SqliteStore, StoreRead, StoreWrite};
mod support;

use support::{stores, temp_dir};

fn data() -> IamData {
    let account = |id: &str| Account {
        id: id.into(),
        ..Account::default()
    };
    IamData {
        accounts: vec![account("111111111111"), account("222222222222")],
        organization: Some(Box::new(Organization {
            id: "o-aa11bb22cc".into(),
            management_account: "111111111111".into(),
            root: OrgNode {
                id: "r-ab12".into(),
                accounts: vec![
                    OrgAccount {
                        id: "111111111111".into(),
                        ..OrgAccount::default()
                    },
                    OrgAccount {
                        id: "222222222222".into(),
                        scps: Some(vec!["FullAWSAccess".into(), "DenyEc2".into()]),
                        rcps: Vec::new(),
                    },
                ],
                ..OrgNode::default()
            },
            policies: vec![OrgPolicy {
                name: "DenyEc2".into(),
                policy_type: OrgPolicyType::ServiceControlPolicy,
                document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#.into(),
            }],
            ..Organization::default()
        })),
    }
}

#[test]
fn every_store_keeps_the_organization_with_the_model() {
    let dir = temp_dir("organization");
    for (name, store) in stores(&dir) {
        let mut data = data();
        let g = store.replace(None, &data).expect("replace");
        assert_eq!(store.load().expect("load").data, data, "{name}");
        assert_eq!(
            store.replace(None, &data).expect("again"),
            g,
            "{name}: unchanged"
        );
        // A commit of another change leaves the organization as it was.
        let g = store
            .commit(
                g,
                &[Change::SetAlias {
                    account: "222222222222".into(),
                    alias: Some("dev".into()),
                }],
            )
            .expect("commit");
        let loaded = store.load().expect("load").data;
        assert_eq!(loaded.organization, data.organization, "{name}");
        assert_eq!(loaded.accounts[1].alias.as_deref(), Some("dev"), "{name}");
        // A changed organization alone is a change.
        data.accounts[1].alias = Some("dev".into());
        if let Some(org) = data.organization.as_mut() {
            org.delegated_administrator = Some("222222222222".into());
        }
        let g2 = store.replace(None, &data).expect("replace org");
        assert!(g2 > g, "{name}: the generation moves");
        assert_eq!(store.load().expect("load").data, data, "{name}");
        // And removing it too.
        data.organization = None;
        store.replace(None, &data).expect("remove org");
        assert_eq!(
            store.load().expect("load").data.organization,
            None,
            "{name}"
        );
    }
}

#[test]
fn sqlite_reads_the_organization_after_reopening() {
    let dir = temp_dir("organization-reopen");
    let path = dir.join("keyturn.db");
    let data = data();
    SqliteStore::open(&path)
        .expect("open")
        .replace(None, &data)
        .expect("replace");
    let again = SqliteStore::open(&path).expect("reopen");
    assert_eq!(again.load().expect("load").data, data);
}
