use super::*;

/// A rich model used by the tests of this module.
fn sample() -> IamData {
    IamData {
        accounts: vec![Account {
            id: "222222222222".into(),
            alias: Some("development".into()),
            root: Root {
                access_keys: vec![AccessKey {
                    id: "AKIAROOT".into(),
                    secret: SecretString::new("root-secret"),
                    status: AccessKeyStatus::Active,
                }],
                ..Root::default()
            },
            users: vec![User {
                name: "alice".into(),
                path: "/dev/".into(),
                groups: vec!["developers".into()],
                access_keys: vec![AccessKey {
                    id: "AKIAALICE".into(),
                    secret: SecretString::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                    status: AccessKeyStatus::Inactive,
                }],
                mfa_devices: vec![MfaDevice {
                    name: "alice".into(),
                    seed_base32: "JBSWY3DPEHPK3PXP".into(),
                    ..MfaDevice::default()
                }],
                ..User::default()
            }],
            managed_policies: vec![ManagedPolicy::new(
                "AppDeploy".into(),
                "/team/".into(),
                r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
            )],
            ..Account::default()
        }],
        organization: None,
    }
}

#[test]
fn secrets_never_show_in_debug() {
    let data = sample();
    let debug = format!("{data:?}");
    assert!(!debug.contains("wJalrXUtnFEMI"), "{debug}");
    assert!(!debug.contains("JBSWY3DP"), "{debug}");
    assert!(!debug.contains("root-secret"), "{debug}");
    assert!(debug.contains("***"));
    assert_eq!(SecretString::new("x").to_string(), "***");
}

#[test]
fn serde_round_trip_keeps_secrets_and_defaults() {
    let data = sample();
    let json = serde_json::to_string(&data).expect("serialise");
    assert!(json.contains("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    assert!(json.contains(r#""status":"Inactive""#));
    let back: IamData = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, data);
    let minimal: Role =
        serde_json::from_str(r#"{"name":"R","trust_policy":"{}"}"#).expect("defaults fill in");
    assert_eq!(minimal.path, "/");
    assert_eq!(minimal.max_session_duration, 3600);
    assert!(serde_json::from_str::<Role>(r#"{"name":"R","trust_policy":"{}","bogus":1}"#).is_err());
}

#[test]
fn lookups() {
    let data = sample();
    let entry = data.find_access_key("AKIAALICE").expect("user key");
    assert_eq!(entry.account.id, "222222222222");
    assert!(matches!(entry.owner, KeyOwner::User(u) if u.name == "alice"));
    assert_eq!(entry.key.status, AccessKeyStatus::Inactive);
    assert!(matches!(
        data.find_access_key("AKIAROOT").map(|e| e.owner),
        Some(KeyOwner::Root)
    ));
    assert!(data.find_access_key("AKIANOPE").is_none());
    let (_, user, device) = data
        .find_mfa_device("arn:aws:iam::222222222222:mfa/alice")
        .expect("device");
    assert_eq!(
        (user.name.as_str(), device.name.as_str()),
        ("alice", "alice")
    );
    assert!(
        data.find_mfa_device("arn:aws:iam::111111111111:mfa/alice")
            .is_none()
    );
    assert!(data.find_mfa_device("alice").is_none());
    let arn = "arn:aws:iam::222222222222:policy/team/AppDeploy";
    assert_eq!(
        data.find_managed_policy(arn).map(|(_, p)| p.name.as_str()),
        Some("AppDeploy")
    );
    assert!(
        data.find_managed_policy("arn:aws:iam::222222222222:policy/AppDeploy")
            .is_none()
    );
    let account = data.account("222222222222").expect("account");
    assert_eq!(
        account.user("alice").map(|u| u.arn(&account.id)).as_deref(),
        Some("arn:aws:iam::222222222222:user/dev/alice")
    );
    assert_eq!(account.root_arn(), "arn:aws:iam::222222222222:root");
    assert_eq!(
        data.access_key_ids().collect::<Vec<_>>(),
        ["AKIAROOT", "AKIAALICE"]
    );
}

#[test]
fn access_key_ids_encode_accounts() {
    assert_eq!(
        account_of_access_key_id("ASIAY34FZKBOKMUTVV7A").as_deref(),
        Some("609629065308")
    );
    assert_eq!(
        account_of_access_key_id("AKIA6RVFFB77RE7OLMKI").as_deref(),
        Some("999999999999")
    );
    assert_eq!(account_of_access_key_id("AKIA6RVFFB77RE7OLMK"), None);
    assert_eq!(account_of_access_key_id("AKIA6RVFFB77RE7OLMK1"), None);
    assert_eq!(account_of_access_key_id("AKIA6RVFFB77RE7OLMKé"), None);
    for account in [
        "000000000000",
        "111111111111",
        "222222222222",
        "999999999999",
    ] {
        let id = access_key_id_for_account("AKIA", account, [0x5a, 1, 2, 3, 4]).expect("id");
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("AKIA"));
        assert_eq!(account_of_access_key_id(&id).as_deref(), Some(account));
    }
    assert_eq!(access_key_id_for_account("AKIA", "12345", [0; 5]), None);
}

#[test]
fn create_dates_round_trip_and_stay_out_of_json_when_empty() {
    let mut data = sample();
    let json = serde_json::to_string(&data).expect("serialise");
    assert!(
        !json.contains("create_dates"),
        "stored models without dates keep their shape"
    );
    data.accounts[0].create_dates.insert(
        "arn:aws:iam::222222222222:user/alice".into(),
        "2024-01-31T12:00:00Z".into(),
    );
    let json = serde_json::to_string(&data).expect("serialise");
    let back: IamData = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, data);
    assert_eq!(back.accounts[0].create_dates.len(), 1);
}

#[test]
fn an_entity_keeps_its_id_through_storage_and_a_model_without_ids_loads() {
    let mut data = sample();
    data.accounts[0].users[0].id = Some("AIDAJQABLZS4A3QDU576Q".into());
    data.accounts[0].managed_policies[0].id = Some("ANPAJQABLZS4A3QDU576Q".into());
    let text = serde_json::to_string(&data).unwrap();
    assert!(text.contains(r#""id":"AIDAJQABLZS4A3QDU576Q""#), "{text}");
    assert_eq!(serde_json::from_str::<IamData>(&text).unwrap(), data);

    // As stored before entities kept ids: every id is absent (the engine derives it).
    let old = r#"{"accounts":[{"id":"222222222222","users":[{"name":"alice"}],
        "roles":[{"name":"R","trust_policy":"{}"}],"groups":[{"name":"g"}],
        "managed_policies":[{"name":"P","document":"{}"}],
        "instance_profiles":[{"name":"I"}]}]}"#;
    let loaded: IamData = serde_json::from_str(old).unwrap();
    let a = &loaded.accounts[0];
    assert_eq!(a.users[0].id, None);
    assert_eq!(a.roles[0].id, None);
    assert_eq!(a.groups[0].id, None);
    assert_eq!(a.managed_policies[0].id, None);
    assert_eq!(a.instance_profiles[0].id, None);
    // And an entity without an id writes none.
    assert!(
        !serde_json::to_string(&loaded)
            .unwrap()
            .contains(r#""id":"A"#)
    );
}
