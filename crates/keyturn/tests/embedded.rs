//! The embedding helper (`keyturn::embedded`) that the Node and C bindings use: verification of
//! requests signed for any service, fixed clocks, in-memory STS calls, JSON context keys.

use keyturn::api::sts::AssumeRoleRequest;
use keyturn::embedded::{EmbedOptions, Embedded, ReceivedRequest, parse_context};
use keyturn::ops::sts::AssumeRole;
use time::macros::datetime;

// The SigV4 suite: ../shared's copy, or the aws-sigv4 crate's (see the file).
#[path = "../../keyturn-sigv4/tests/support/locate.rs"]
mod locate;

fn config(dir: &std::path::Path) -> String {
    format!(
        r#"
keyring: {}/keyring.json
store: {{memory: true}}
accounts:
  - id: "123456789012"
    users:
      - name: example
    roles:
      - name: Reader
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::123456789012:root"}}
              Action: sts:AssumeRole
"#,
        dir.display()
    )
}

fn headers(text: &str) -> (String, String, Vec<(String, String)>) {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let hs = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect();
    (method, target, hs)
}

#[test]
fn the_sigv4_suite_verifies_with_an_imported_key_and_a_fixed_clock()
-> Result<(), Box<dyn std::error::Error>> {
    let Some(suite) = locate::suite_dir() else {
        return Ok(());
    };
    let vanilla = suite.path.join("get-vanilla");
    let dir = std::env::temp_dir().join(format!("keyturn-embedded-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let options = EmbedOptions {
        fixed_time: Some(datetime!(2015-08-30 12:36:00 UTC)),
    };
    let e = Embedded::from_text(&config(&dir), &options)?;
    e.import_access_key(
        "example",
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    )?;
    for file in ["header-signed-request.txt", "query-signed-request.txt"] {
        let text = std::fs::read_to_string(vanilla.join(file))?;
        let (method, target, hs) = headers(&text);
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let refs: Vec<(&str, &[u8])> = hs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())).collect();
        let request = ReceivedRequest {
            method: &method,
            path,
            query,
            headers: &refs,
            body: b"",
            source_ip: None,
        };
        let caller = e.verify_request(&request, "service")?;
        assert_eq!(
            caller.arn, "arn:aws:iam::123456789012:user/example",
            "{file}"
        );
        // The scope names `service`: the same bytes are not a valid `s3` or `sts` request.
        assert_eq!(
            e.verify_request(&request, "s3")
                .map(|_| ())
                .map_err(|x| x.code()),
            Err("SignatureDoesNotMatch")
        );
        assert!(e.verify_request(&request, "sts").is_err());
    }
    // An hour later the header-signed request is stale.
    assert!(e.set_time(datetime!(2015-08-30 13:36:00 UTC)));
    let text = std::fs::read_to_string(vanilla.join("header-signed-request.txt"))?;
    let (method, target, hs) = headers(&text);
    let refs: Vec<(&str, &[u8])> = hs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())).collect();
    let request = ReceivedRequest {
        method: &method,
        path: &target,
        query: "",
        headers: &refs,
        body: b"",
        source_ip: None,
    };
    assert!(e.verify_request(&request, "service").is_err());
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn calls_run_as_the_given_credentials() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("keyturn-embedded-call-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let e = Embedded::from_text(&config(&dir), &EmbedOptions::default())?;
    let root = e.credentials("123456789012");
    // The configuration gave root no key: NoSuchEntity; the user got a generated one.
    assert!(
        root.is_err()
            || root
                .as_ref()
                .is_ok_and(|r| r.access_key_id.starts_with("AKIA"))
    );
    let user = e.credentials("example")?;
    assert_eq!(
        e.caller(&user)?.arn,
        "arn:aws:iam::123456789012:user/example"
    );
    // The user has no identity policy: AssumeRole is denied with AWS's code.
    let denied = e.call::<AssumeRole>(
        &user,
        AssumeRoleRequest {
            role_arn: "arn:aws:iam::123456789012:role/Reader".into(),
            role_session_name: "s1".into(),
            ..AssumeRoleRequest::default()
        },
    );
    assert_eq!(
        denied.map(|_| ()).map_err(|x| x.code()),
        Err("AccessDenied")
    );
    let mut wrong = user.clone();
    wrong.secret_access_key.push('x');
    assert_eq!(
        e.caller(&wrong).map(|_| ()).map_err(|x| x.code()),
        Err("SignatureDoesNotMatch")
    );
    assert_eq!(
        e.credentials("nobody").map(|_| ()).map_err(|x| x.code()),
        Err("NoSuchEntity")
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn context_json_is_an_object_of_strings_or_string_lists() -> Result<(), keyturn::Error> {
    assert!(parse_context("")?.is_empty());
    let keys =
        parse_context(r#"{"aws:SourceVpc": "vpc-1", "s3:prefix": ["a", "b"], "n": 3, "b": true}"#)?;
    assert_eq!(keys.len(), 4);
    assert!(keys.contains(&("s3:prefix".to_owned(), vec!["a".to_owned(), "b".to_owned()])));
    assert!(keys.contains(&("n".to_owned(), vec!["3".to_owned()])));
    for bad in [
        "[1]",
        "{\"k\": {}}",
        "{\"k\": [[1]]}",
        "not json",
        "{\"k\": null}",
    ] {
        assert_eq!(
            parse_context(bad).map(|_| ()).map_err(|e| e.code()),
            Err("InvalidParameterValue"),
            "{bad}"
        );
    }
    Ok(())
}
