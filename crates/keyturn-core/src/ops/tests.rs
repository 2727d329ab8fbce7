use super::*;

fn params(text: &str) -> Params<'_> {
    Params::parse(text.as_bytes()).unwrap_or_default()
}

#[test]
fn every_registered_action_is_generated_and_registered_once() {
    for (i, op) in REGISTRY.iter().enumerate() {
        assert!(
            op.service().actions().contains(&op.action()),
            "{} is not in the generated {:?} actions",
            op.action(),
            op.service()
        );
        assert!(
            REGISTRY[..i].iter().all(|o| o.action() != op.action()),
            "{} registered twice",
            op.action()
        );
    }
}

#[test]
fn every_generated_iam_action_is_served_and_authorized_as_itself() {
    // The owner of a delegation request has a default permission to get and update it (AWS's
    // temporary delegation guide): those two authorize `iam:<action>` in `run`, for the others.
    let owner_default = ["GetDelegationRequest", "UpdateDelegationRequest"];
    for action in Service::Iam.actions() {
        let op = find(action).unwrap_or_else(|| panic!("{action} is not registered"));
        if owner_default.contains(action) {
            assert_eq!(op.iam_action(), None, "{action}");
            continue;
        }
        let expected = format!("iam:{action}");
        assert_eq!(op.iam_action(), Some(expected.as_str()), "{action}");
        assert_eq!(op.service().api_version(), "2010-05-08", "{action}");
    }
}

#[test]
fn the_unsigned_actions_are_the_two_federation_ones() {
    let unsigned: Vec<&str> = REGISTRY
        .iter()
        .filter(|o| o.unsigned())
        .map(|o| o.action())
        .collect();
    assert_eq!(
        unsigned,
        ["AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"]
    );
}

#[test]
fn sensitive_members_come_from_the_model() {
    let sensitive = |a: &str| find(a).map(|o| o.sensitive().to_vec()).unwrap_or_default();
    assert!(sensitive("AssumeRole").contains(&"TokenCode"));
    assert!(sensitive("AssumeRoleWithSAML").contains(&"SAMLAssertion"));
    assert!(sensitive("AssumeRoleWithWebIdentity").contains(&"WebIdentityToken"));
    assert!(sensitive("GetCallerIdentity").is_empty());
}

#[test]
fn actions_are_found_by_name_and_version() {
    let op = find_in(&params("Action=AssumeRole&Version=2011-06-15"));
    assert_eq!(op.map(|o| o.action()).ok(), Some("AssumeRole"));
    let op = find_in(&params("Action=SimulateCustomPolicy&Version=2010-05-08"));
    assert_eq!(op.map(|o| o.service()).ok(), Some(Service::Iam));

    let e = find_in(&params("Version=2011-06-15")).err();
    assert_eq!(e.as_ref().map(Error::code), Some("MissingAction"));
    // The STS action with IAM's version, and an action STS does not have (every STS action of
    // the model is served, GetTrustBundles included).
    for (text, message) in [
        (
            "Action=AssumeRole&Version=2010-05-08",
            "Could not find operation AssumeRole for version 2010-05-08",
        ),
        (
            "Action=AssumeRole",
            "Could not find operation AssumeRole for version NO_VERSION_SPECIFIED",
        ),
        (
            "Action=GetTrustBundle&Version=2011-06-15",
            "Could not find operation GetTrustBundle for version 2011-06-15",
        ),
    ] {
        let e = find_in(&params(text)).err();
        assert_eq!(e.as_ref().map(Error::code), Some("InvalidAction"), "{text}");
        assert_eq!(e.as_ref().map(Error::message), Some(message), "{text}");
    }
}
