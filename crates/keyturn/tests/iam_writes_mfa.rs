//! IAM writes for virtual MFA devices, instance profiles and service-linked roles, through the
//! public API: requests signed for real, authorized by the registry, against a fixed clock, so
//! that the TOTP codes are computed for known times.

#[path = "engine_support/harness.rs"]
mod harness;
#[path = "iam_reads/support.rs"]
mod support;

use harness::*;
use keyturn::Error;
use keyturn::api::iam::{
    AddRoleToInstanceProfileRequest, CreateInstanceProfileRequest, CreateServiceLinkedRoleRequest,
    CreateVirtualMFADeviceRequest, EnableMFADeviceRequest, GetInstanceProfileRequest,
    ListInstanceProfilesRequest, ListMFADevicesRequest, ListVirtualMFADevicesRequest,
    VirtualMFADevice,
};
use keyturn::ops::iam as op;

const ACCT: &str = "222222222222";
const BOB_SECRET: &str = "bobSecretKey/000000000000000000000000000";

fn bob_key() -> Creds {
    Creds::long_term(&key_id(ACCT, 3), BOB_SECRET)
}

fn yaml() -> String {
    let head = support::world_head(ACCT, &key_id(ACCT, 2), ROOT_SECRET);
    let alice = key_id(ACCT, 1);
    let bob = key_id(ACCT, 3);
    let carol = key_id(ACCT, 4);
    format!(
        r#"{head}    alias: acme
    roles:
      - name: Mfa
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::{ACCT}:root"}}
              Action: sts:AssumeRole
              Condition: {{Bool: {{"aws:MultiFactorAuthPresent": "true"}}}}
      - name: Web
        path: /app/
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
      - name: Worker
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
    users:
      - name: alice
        access_keys: [{{id: {alice}, secret: "{ALICE_SECRET}"}}]
      - name: carol
        access_keys: [{{id: {carol}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          profiles:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: "iam:*InstanceProfile*", Resource: "*"}}
              - {{Effect: Allow, Action: iam:PassRole, Resource: "arn:aws:iam::{ACCT}:role/app/*"}}
      - name: bob
        access_keys: [{{id: {bob}, secret: "{BOB_SECRET}"}}]
        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}}
"#
    )
}

/// The error's code, message and HTTP status.
fn fails<T: std::fmt::Debug>(r: Result<T, Error>) -> (String, String, u16) {
    let e = err(r);
    (e.code().to_owned(), e.message().to_owned(), e.http_status())
}

fn expect(code: &str, message: &str, status: u16) -> (String, String, u16) {
    (code.to_owned(), message.to_owned(), status)
}

#[allow(clippy::panic, reason = "test helper")]
fn ok<T: std::fmt::Debug>(r: Result<T, Error>) -> T {
    r.unwrap_or_else(|e| panic!("{}: {}", e.code(), e.message()))
}

fn create_device(h: &Harness, name: &str, path: Option<&str>) -> VirtualMFADevice {
    ok(admin::<op::CreateVirtualMfaDevice>(
        h,
        CreateVirtualMFADeviceRequest {
            path: path.map(Into::into),
            virtual_mfa_device_name: name.into(),
            tags: None,
        },
    ))
    .virtual_mfa_device
}

fn seed_of(d: &VirtualMFADevice) -> String {
    String::from_utf8(present(&d.base32_string_seed).clone()).unwrap_or_default()
}

fn enable(h: &Harness, user: &str, serial: &str, c1: &str, c2: &str) -> Result<(), Error> {
    admin::<op::EnableMfaDevice>(
        h,
        EnableMFADeviceRequest {
            user_name: user.into(),
            serial_number: serial.into(),
            authentication_code1: c1.into(),
            authentication_code2: c2.into(),
        },
    )
    .map(|_| ())
}

fn gst(serial: &str, code: &str) -> GetSessionTokenRequest {
    GetSessionTokenRequest {
        serial_number: Some(serial.into()),
        token_code: Some(code.into()),
        ..Default::default()
    }
}

fn list_virtual(h: &Harness, status: Option<&str>) -> Vec<VirtualMFADevice> {
    ok(admin::<op::ListVirtualMfaDevices>(
        h,
        ListVirtualMFADevicesRequest {
            assignment_status: status.map(Into::into),
            ..Default::default()
        },
    ))
    .virtual_mfa_devices
}

fn user_devices(h: &Harness, user: &str) -> Vec<String> {
    ok(admin::<op::ListMfaDevices>(
        h,
        ListMFADevicesRequest {
            user_name: Some(user.into()),
            ..Default::default()
        },
    ))
    .mfa_devices
    .into_iter()
    .map(|d| d.serial_number)
    .collect()
}

/// Runs `input` of IAM operation `O` as the account's root.
fn admin<O: keyturn::ops::Operation>(h: &Harness, input: O::Input) -> Result<O::Output, Error> {
    call::<O>(h, &root(), input)
}

/// `action` by its AWS name with Query `params`, as the account's root: the result's XML.
fn admin_query(h: &Harness, action: &str, params: &[(&str, &str)]) -> Result<String, Error> {
    let root = root();
    support::query_engine(&h.engine, &root.id, &root.secret, action, params)
}

/// GetAccountSummary's entry `key`.
fn summary(h: &Harness, key: &str) -> Option<i32> {
    ok(admin::<op::GetAccountSummary>(
        h,
        keyturn::api::iam::GetAccountSummaryRequest {},
    ))
    .summary_map
    .unwrap_or_default()
    .into_iter()
    .find(|(k, _)| k == key)
    .map(|(_, v)| v)
}

#[test]
fn create_virtual_mfa_device_answers_seed_and_qr_png() {
    let h = harness(&yaml());
    let d = ok(admin::<op::CreateVirtualMfaDevice>(
        &h,
        CreateVirtualMFADeviceRequest {
            path: Some("/team/".into()),
            virtual_mfa_device_name: "bob-phone".into(),
            tags: Some(vec![keyturn::api::iam::Tag {
                key: "owner".into(),
                value: "bob".into(),
            }]),
        },
    ))
    .virtual_mfa_device;
    assert_eq!(
        d.serial_number,
        format!("arn:aws:iam::{ACCT}:mfa/team/bob-phone")
    );
    let seed = seed_of(&d);
    // 160 random bits, base32 without padding.
    assert_eq!(seed.len(), 32, "{seed}");
    assert_eq!(
        keyturn::mfa::decode_seed_base32(&seed).map(|s| s.len()),
        Ok(20)
    );
    let png = present(&d.qr_code_png);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let (w, hgt) = (&png[16..20], &png[20..24]);
    assert_eq!(w, hgt, "square");
    assert!(u32::from_be_bytes([w[0], w[1], w[2], w[3]]) >= 21 * 6);
    assert_eq!(d.tags.as_ref().map(Vec::len), Some(1));
    assert!(d.user.is_none() && d.enable_date.is_none());
    // A second device has another seed.
    let other = create_device(&h, "spare", None);
    assert_ne!(seed_of(&other), seed);
    assert_eq!(
        other.serial_number,
        format!("arn:aws:iam::{ACCT}:mfa/spare")
    );

    assert_eq!(summary(&h, "MFADevices"), Some(2));
    assert_eq!(summary(&h, "MFADevicesInUse"), Some(0));
    // The name is taken whatever the path, ignoring case.
    for (name, path) in [("bob-phone", None), ("BOB-PHONE", Some("/other/"))] {
        let r = admin::<op::CreateVirtualMfaDevice>(
            &h,
            CreateVirtualMFADeviceRequest {
                path: path.map(Into::into),
                virtual_mfa_device_name: name.into(),
                tags: None,
            },
        );
        assert_eq!(
            fails(r),
            expect(
                "EntityAlreadyExists",
                "MFADevice entity at the same path and name already exists.",
                409
            )
        );
    }
    // Unassigned devices are listed without user or date; never with their seed.
    let all = list_virtual(&h, None);
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|d| d.user.is_none() && d.base32_string_seed.is_none() && d.qr_code_png.is_none())
    );
    assert_eq!(list_virtual(&h, Some("Unassigned")).len(), 2);
    assert!(list_virtual(&h, Some("Assigned")).is_empty());

    // A device with a path works like any other: its serial carries the path.
    ok(enable(
        &h,
        "bob",
        &d.serial_number,
        &totp(&seed, T0 - 60),
        &totp(&seed, T0 - 30),
    ));
    ok(call::<GetSessionToken>(
        &h,
        &bob_key(),
        gst(&d.serial_number, &totp(&seed, T0)),
    ));

    // A user without IAM permissions is refused, on the device's ARN.
    let e = err(call::<op::CreateVirtualMfaDevice>(
        &h,
        &alice(),
        CreateVirtualMFADeviceRequest {
            path: None,
            virtual_mfa_device_name: "mine".into(),
            tags: None,
        },
    ));
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message()
            .contains(&format!("on resource: arn:aws:iam::{ACCT}:mfa/mine")),
        "{}",
        e.message()
    );
}

#[test]
fn enabled_device_gives_mfa_sessions_once_per_code() {
    let h = harness(&yaml());
    let d = create_device(&h, "bob-phone", None);
    let (serial, seed) = (d.serial_number.clone(), seed_of(&d));
    let code = |t: i64| totp(&seed, t);
    // bob's GetSessionToken with the device and the code of time `t`.
    let bob_session = |t: i64| call::<GetSessionToken>(&h, &bob_key(), gst(&serial, &code(t)));
    let invalid = expect(
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
        403,
    );
    // Wrong, repeated or out-of-order codes are refused.
    let refused_codes = [
        ("000000".to_owned(), "111111".to_owned()),
        (code(T0), code(T0)),
        (code(T0), code(T0 - 30)),
    ];
    for (c1, c2) in &refused_codes {
        assert_eq!(
            fails(enable(&h, "bob", &serial, c1, c2)),
            invalid,
            "{c1} {c2}"
        );
    }
    assert_eq!(
        fails(enable(&h, "nobody", &serial, &code(T0 - 30), &code(T0))),
        expect(
            "NoSuchEntity",
            "The user with name nobody cannot be found.",
            404
        )
    );
    let missing = format!("arn:aws:iam::{ACCT}:mfa/missing");
    assert_eq!(
        fails(enable(&h, "bob", &missing, &code(T0 - 30), &code(T0))),
        expect(
            "NoSuchEntity",
            &format!("VirtualMFADevice with serial number {missing} doesn't exist."),
            404
        )
    );
    // Before it is enabled, its codes open no MFA session.
    assert_eq!(err(bob_session(T0)).code(), "AccessDenied");

    ok(enable(&h, "bob", &serial, &code(T0 - 30), &code(T0)));
    assert_eq!(summary(&h, "MFADevicesInUse"), Some(1));
    assert_eq!(user_devices(&h, "bob"), std::slice::from_ref(&serial));
    let assigned = list_virtual(&h, Some("Assigned"));
    assert_eq!(assigned.len(), 1);
    assert_eq!(present(&assigned[0].user).user_name, "bob");
    assert_eq!(
        present(&assigned[0].enable_date).unix_timestamp(),
        T0,
        "enabled now"
    );
    assert!(list_virtual(&h, Some("Unassigned")).is_empty());
    assert_eq!(
        fails(enable(&h, "alice", &serial, &code(T0 - 60), &code(T0 - 30))),
        expect("EntityAlreadyExists", "MFA Device is already in use.", 409)
    );

    // The codes that enabled it are spent; the next step's code opens an MFA session, once.
    assert_eq!(err(bob_session(T0)).code(), "AccessDenied");
    h.clock.advance(time::Duration::seconds(30));
    let r = ok(bob_session(T0 + 30));
    let session = Creds::from_api(present(&r.credentials));
    assert_eq!(
        err(bob_session(T0 + 30)).code(),
        "AccessDenied",
        "a replayed code is refused"
    );
    // The session carries aws:MultiFactorAuthPresent: a role that requires MFA accepts it.
    let mfa_role = format!("arn:aws:iam::{ACCT}:role/Mfa");
    assumed(call::<AssumeRole>(
        &h,
        &session,
        assume_role(&mfa_role, "s1"),
    ));
    assert_eq!(
        assume_error(&h, &bob_key(), &mfa_role, "s1").code(),
        "AccessDenied"
    );

    // Resync: two consecutive codes.
    let resync = |c1: &str, c2: &str, user: &str| {
        let codes = [("AuthenticationCode1", c1), ("AuthenticationCode2", c2)];
        let params = [&[("UserName", user), ("SerialNumber", &serial)][..], &codes].concat();
        admin_query(&h, "ResyncMFADevice", &params)
    };
    assert_eq!(fails(resync("123456", "654321", "bob")), invalid);
    ok(resync(&code(T0 + 60), &code(T0 + 90), "bob"));
    assert_eq!(
        fails(resync(&code(T0 + 120), &code(T0 + 150), "alice")).0,
        "NoSuchEntity"
    );

    // Still assigned: it cannot be deleted.
    let delete = |s: &str| admin_query(&h, "DeleteVirtualMFADevice", &[("SerialNumber", s)]);
    assert_eq!(
        fails(delete(&serial)),
        expect("DeleteConflict", "MFA Device is still in use.", 409)
    );

    // Deactivated: back to unassigned, and its codes open no session any more.
    let deactivate = |user: &str| {
        let params = [("UserName", user), ("SerialNumber", &serial)];
        admin_query(&h, "DeactivateMFADevice", &params)
    };
    assert_eq!(fails(deactivate("alice")).0, "NoSuchEntity");
    ok(deactivate("bob"));
    assert!(user_devices(&h, "bob").is_empty());
    assert_eq!(list_virtual(&h, Some("Unassigned")).len(), 1);
    h.clock.advance(time::Duration::seconds(300));
    assert_eq!(err(bob_session(T0 + 330)).code(), "AccessDenied");
    ok(delete(&serial));
    assert!(list_virtual(&h, None).is_empty());
    assert_eq!(
        fails(delete(&serial)),
        expect(
            "NoSuchEntity",
            &format!("VirtualMFADevice with serial number {serial} doesn't exist."),
            404
        )
    );
}

fn profile(h: &Harness, name: &str) -> Result<keyturn::api::iam::InstanceProfile, Error> {
    admin::<op::GetInstanceProfile>(
        h,
        GetInstanceProfileRequest {
            instance_profile_name: name.into(),
        },
    )
    .map(|r| r.instance_profile)
}

fn add_role(h: &Harness, profile: &str, role: &str) -> Result<(), Error> {
    admin::<op::AddRoleToInstanceProfile>(
        h,
        AddRoleToInstanceProfileRequest {
            instance_profile_name: profile.into(),
            role_name: role.into(),
        },
    )
    .map(|_| ())
}

fn create_profile(h: &Harness, name: &str, path: Option<&str>) -> Result<(), Error> {
    admin::<op::CreateInstanceProfile>(
        h,
        CreateInstanceProfileRequest {
            instance_profile_name: name.into(),
            path: path.map(Into::into),
            tags: None,
        },
    )
    .map(|_| ())
}

#[test]
fn instance_profile_lifecycle() {
    let h = harness(&yaml());
    // By its AWS name, tagged: the profile as AWS writes it.
    let tag = [
        ("Tags.member.1.Key", "env"),
        ("Tags.member.1.Value", "prod"),
    ];
    let params = [
        &[("InstanceProfileName", "web"), ("Path", "/app/")][..],
        &tag,
    ]
    .concat();
    let created = ok(admin_query(&h, "CreateInstanceProfile", &params));
    let member = |name: &str| support::xml_text(&created, name).unwrap_or_default();
    let arn = format!("arn:aws:iam::{ACCT}:instance-profile/app/web");
    assert_eq!(member("Arn"), arn);
    let created_id = member("InstanceProfileId");
    assert!(created_id.starts_with("AIPA"));
    assert_eq!(member("CreateDate"), "2026-11-28T12:00:00Z", "T0");
    assert_eq!(support::xml_text(&created, "RoleName"), None, "no role yet");
    assert_eq!(
        fails(create_profile(&h, "WEB", None)),
        expect(
            "EntityAlreadyExists",
            "Instance Profile WEB already exists.",
            409
        )
    );
    ok(create_profile(&h, "batch", None));
    assert_eq!(summary(&h, "InstanceProfiles"), Some(2));

    assert_eq!(
        fails(add_role(&h, "web", "Nope")),
        expect(
            "NoSuchEntity",
            "The role with name Nope cannot be found.",
            404
        )
    );
    assert_eq!(
        fails(add_role(&h, "nope", "Web")),
        expect(
            "NoSuchEntity",
            "Instance Profile nope cannot be found.",
            404
        )
    );
    ok(add_role(&h, "web", "Web"));
    let limit = expect(
        "LimitExceeded",
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
        409,
    );
    assert_eq!(fails(add_role(&h, "web", "Worker")), limit);
    assert_eq!(fails(add_role(&h, "web", "Web")), limit);
    ok(add_role(&h, "batch", "Web"));

    let got = ok(profile(&h, "web"));
    assert_eq!(got.instance_profile_id, created_id);
    assert_eq!(got.roles.len(), 1);
    assert_eq!(got.roles[0].role_name, "Web");
    assert_eq!(
        got.roles[0].arn,
        format!("arn:aws:iam::{ACCT}:role/app/Web")
    );
    assert!(got.roles[0].role_id.starts_with("AROA"));
    assert!(got.roles[0].assume_role_policy_document.is_some());
    assert_eq!(got.tags.as_ref().map(Vec::len), Some(1));

    // Lists: path prefix, paging, by role.
    let list = |prefix: Option<&str>, marker: Option<String>, max: Option<i32>| {
        ok(admin::<op::ListInstanceProfiles>(
            &h,
            ListInstanceProfilesRequest {
                path_prefix: prefix.map(Into::into),
                marker,
                max_items: max,
            },
        ))
    };
    let names = |l: &[keyturn::api::iam::InstanceProfile]| {
        l.iter()
            .map(|p| p.instance_profile_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&list(None, None, None).instance_profiles),
        ["batch", "web"]
    );
    assert_eq!(
        names(&list(Some("/app/"), None, None).instance_profiles),
        ["web"]
    );
    let first = list(None, None, Some(1));
    assert_eq!(first.is_truncated, Some(true));
    let second = list(None, first.marker.clone(), Some(1));
    assert_eq!(names(&second.instance_profiles), ["web"]);
    assert_eq!(second.is_truncated, Some(false));
    // A role's profiles, by the action's AWS name: their names.
    let for_role =
        |role: &str| admin_query(&h, "ListInstanceProfilesForRole", &[("RoleName", role)]);
    let profile_names = |xml: String| support::xml_texts(&xml, "InstanceProfileName");
    assert_eq!(profile_names(ok(for_role("Web"))), ["batch", "web"]);
    assert!(profile_names(ok(for_role("Worker"))).is_empty());
    assert_eq!(fails(for_role("Nope")).0, "NoSuchEntity");

    // Tags, by their AWS names.
    let web = support::Tagging {
        query: |action: &str, params: &[(&str, &str)]| admin_query(&h, action, params),
        kind: "InstanceProfile",
        entity: ("InstanceProfileName", "web"),
    };
    ok(web.tag(&[("ENV", "dev"), ("team", "a")]));
    let (env, team) = (support::pair("ENV", "dev"), support::pair("team", "a"));
    assert_eq!(web.list(), [env, team.clone()]);
    ok(web.untag(&["env", "absent"]));
    assert_eq!(web.list(), [team]);
    let nope = [("InstanceProfileName", "nope")];
    let missing = admin_query(&h, "ListInstanceProfileTags", &nope);
    assert_eq!(fails(missing).0, "NoSuchEntity");

    // Delete: not while it has a role.
    let delete = |name: &str| {
        admin_query(
            &h,
            "DeleteInstanceProfile",
            &[("InstanceProfileName", name)],
        )
    };
    assert_eq!(
        fails(delete("web")),
        expect(
            "DeleteConflict",
            "Cannot delete entity, must remove roles from instance profile first.",
            409
        )
    );
    let remove = |role: &str| {
        let params = [("InstanceProfileName", "web"), ("RoleName", role)];
        admin_query(&h, "RemoveRoleFromInstanceProfile", &params)
    };
    assert_eq!(fails(remove("Worker")).0, "NoSuchEntity");
    ok(remove("Web"));
    assert!(ok(profile(&h, "web")).roles.is_empty());
    ok(delete("web"));
    assert_eq!(
        fails(profile(&h, "web")),
        expect("NoSuchEntity", "Instance Profile web cannot be found.", 404)
    );
    assert_eq!(fails(delete("web")).0, "NoSuchEntity");
    assert_eq!(names(&list(None, None, None).instance_profiles), ["batch"]);

    // Adding a role also needs iam:PassRole on it.
    let carol = Creds::long_term(&key_id(ACCT, 4), ALICE_SECRET);
    let add_as_carol = |role: &str| {
        call::<op::AddRoleToInstanceProfile>(
            &h,
            &carol,
            AddRoleToInstanceProfileRequest {
                instance_profile_name: "carols".into(),
                role_name: role.into(),
            },
        )
    };
    ok(call::<op::CreateInstanceProfile>(
        &h,
        &carol,
        CreateInstanceProfileRequest {
            instance_profile_name: "carols".into(),
            ..Default::default()
        },
    ));
    let e = err(add_as_carol("Worker"));
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message().contains(&format!(
            "iam:PassRole on resource: arn:aws:iam::{ACCT}:role/Worker"
        )),
        "{}",
        e.message()
    );
    ok(add_as_carol("Web"));

    // Authorized on the profile's ARN.
    let e = err(call::<op::GetInstanceProfile>(
        &h,
        &alice(),
        GetInstanceProfileRequest {
            instance_profile_name: "batch".into(),
        },
    ));
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message()
            .contains(&format!("arn:aws:iam::{ACCT}:instance-profile/batch"))
    );
}

#[test]
fn service_linked_role_lifecycle() {
    let h = harness(&yaml());
    let create = |service: &str, suffix: Option<&str>| {
        admin::<op::CreateServiceLinkedRole>(
            &h,
            CreateServiceLinkedRoleRequest {
                aws_service_name: service.into(),
                description: Some("for beanstalk".into()),
                custom_suffix: suffix.map(Into::into),
            },
        )
    };
    let role = present(&ok(create("elasticbeanstalk.amazonaws.com", None)).role).clone();
    assert_eq!(role.role_name, "AWSServiceRoleForElasticBeanstalk");
    assert_eq!(
        role.path,
        "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    );
    assert_eq!(
        role.arn,
        format!(
            "arn:aws:iam::{ACCT}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"
        )
    );
    assert_eq!(role.description.as_deref(), Some("for beanstalk"));
    let trust = present(&role.assume_role_policy_document);
    assert!(
        trust.contains("elasticbeanstalk.amazonaws.com") && trust.contains("sts%3AAssumeRole"),
        "{trust}"
    );
    let suffixed = present(&ok(create("elasticbeanstalk.amazonaws.com", Some("two"))).role)
        .role_name
        .clone();
    assert_eq!(suffixed, "AWSServiceRoleForElasticBeanstalk_two");
    assert_eq!(
        fails(create("elasticbeanstalk.amazonaws.com", None)),
        expect(
            "InvalidInput",
            "Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix.",
            400
        )
    );
    assert_eq!(fails(create("not-a-service", None)).0, "InvalidInput");
    // GetRole sees it at once.
    let get_role = || admin_query(&h, "GetRole", &[("RoleName", &role.role_name)]);
    ok(get_role());

    let delete = |name: &str| admin_query(&h, "DeleteServiceLinkedRole", &[("RoleName", name)]);
    assert_eq!(fails(delete("Web")).0, "InvalidInput");
    assert_eq!(fails(delete("Nope")).0, "NoSuchEntity");
    let task =
        support::xml_text(&ok(delete(&role.role_name)), "DeletionTaskId").unwrap_or_default();
    let prefix =
        "task/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk/";
    assert!(task.starts_with(prefix), "{task}");
    assert_eq!(task.len(), prefix.len() + 36, "{task}");
    assert_eq!(fails(get_role()).0, "NoSuchEntity");
    let status = |id: &str| {
        admin_query(
            &h,
            "GetServiceLinkedRoleDeletionStatus",
            &[("DeletionTaskId", id)],
        )
    };
    let s = ok(status(&task));
    assert_eq!(
        support::xml_text(&s, "Status").as_deref(),
        Some("SUCCEEDED")
    );
    assert_eq!(support::xml_text(&s, "Reason"), None);
    let unknown = format!("{prefix}00000000-0000-4000-8000-000000000000");
    assert_eq!(fails(status(&unknown)).0, "NoSuchEntity");
    assert_eq!(fails(status("task/nonsense")).0, "InvalidInput");
    // The name is free again.
    ok(create("elasticbeanstalk.amazonaws.com", None));
}
