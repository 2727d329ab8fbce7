//! Query decoding + validation of the generated inputs, from parameter lists (good and bad).

use crate::iam::{
    GetAccountSummaryRequest, ListPoliciesRequest, ListRolesRequest, SimulateCustomPolicyRequest,
};
use crate::sts::{
    AssumeRoleRequest, AssumeRootRequest, GetFederationTokenRequest, GetWebIdentityTokenRequest,
};
use crate::{ApiError, ErrorCode, Input, Params, Service};

const ROLE: &str = "RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=s1";

fn decode<T: Input>(body: &str) -> Result<T, ApiError> {
    let p = Params::parse(body.as_bytes())?;
    T::from_query(&p)
}

fn err<T: Input>(body: &str) -> (ErrorCode, String) {
    match decode::<T>(body) {
        Err(e) => (e.code, e.message),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

#[test]
fn assume_role_decodes_every_kind_of_member() {
    let r: AssumeRoleRequest = decode(&format!(
        "{ROLE}&DurationSeconds=+900&Tags.member.2.Key=b&Tags.member.2.Value=&Tags.member.1.Key=a\
         &Tags.member.1.Value=x&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fp\
         &TransitiveTagKeys.member.1=a&TokenCode=123456&ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3Acontextprovider%2Fx"
    ))
    .unwrap();
    assert_eq!(r.role_arn, "arn:aws:iam::111111111111:role/r");
    assert_eq!(r.role_session_name, "s1");
    assert_eq!(r.duration_seconds, Some(900));
    let tags = r.tags.unwrap();
    assert_eq!(
        tags.iter()
            .map(|t| (t.key.as_str(), t.value.as_str()))
            .collect::<Vec<_>>(),
        vec![("a", "x"), ("b", "")]
    );
    assert_eq!(
        r.policy_arns.unwrap()[0].arn.as_deref(),
        Some("arn:aws:iam::aws:policy/p")
    );
    assert_eq!(r.transitive_tag_keys, Some(vec!["a".to_owned()]));
    assert_eq!(
        r.token_code.as_ref().map(crate::SecretString::expose),
        Some("123456")
    );
    assert_eq!(r.provided_contexts.unwrap().len(), 1);
    assert_eq!(r.policy, None);
}

#[test]
fn assume_role_errors_are_aws_texts() {
    assert_eq!(
        err::<AssumeRoleRequest>("RoleSessionName=s1"),
        (
            ErrorCode::MissingParameter,
            "The request must contain the parameter RoleArn".to_owned()
        )
    );
    assert_eq!(
        err::<AssumeRoleRequest>(&format!("{ROLE}&DurationSeconds=abc")),
        (
            ErrorCode::InvalidParameterValue,
            "Value (abc) for parameter DurationSeconds is invalid. Expected an integer.".to_owned()
        )
    );
    assert_eq!(
        err::<AssumeRoleRequest>(&format!("{ROLE}&Tags.member.1.Key=k")),
        (
            ErrorCode::ValidationError,
            "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null".to_owned()
        )
    );
    let (code, msg) = err::<AssumeRoleRequest>(
        "RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=x&DurationSeconds=43201",
    );
    assert_eq!(code, ErrorCode::ValidationError);
    assert!(
        msg.starts_with("2 validation errors detected: Value 'x' at 'roleSessionName'"),
        "{msg}"
    );
}

#[test]
fn get_federation_token() {
    let r: GetFederationTokenRequest =
        decode("Name=bob&Policy=%7B%7D&Tags.member.1.Key=k&Tags.member.1.Value=v").unwrap();
    assert_eq!((r.name.as_str(), r.policy.as_deref()), ("bob", Some("{}")));
    assert_eq!(r.tags.map(|t| t.len()), Some(1));
    assert_eq!(
        err::<GetFederationTokenRequest>("Policy=%7B%7D").1,
        "The request must contain the parameter Name"
    );
    let (code, msg) = err::<GetFederationTokenRequest>("Name=b&DurationSeconds=129601");
    assert_eq!(code, ErrorCode::ValidationError);
    assert_eq!(
        msg,
        "2 validation errors detected: Value 'b' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2; Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"
    );
}

#[test]
fn simulate_custom_policy_lists_and_nested_lists() {
    let r: SimulateCustomPolicyRequest = decode(
        "PolicyInputList.member.1=%7B%7D&ActionNames.member.2=s3%3APut&ActionNames.member.1=s3%3AGet\
         &ContextEntries.member.1.ContextKeyName=aws%3AUsername&ContextEntries.member.1.ContextKeyType=string\
         &ContextEntries.member.1.ContextKeyValues.member.2=b&ContextEntries.member.1.ContextKeyValues.member.1=a",
    )
    .unwrap();
    assert_eq!(r.policy_input_list, vec!["{}"]);
    assert_eq!(r.action_names, vec!["s3:Get", "s3:Put"]);
    let ce = &r.context_entries.unwrap()[0];
    assert_eq!(ce.context_key_name.as_deref(), Some("aws:Username"));
    assert_eq!(
        ce.context_key_values,
        Some(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(r.resource_arns, None);
    // A required list: absent is MissingParameter, an explicit empty list is accepted.
    assert_eq!(
        err::<SimulateCustomPolicyRequest>("PolicyInputList.member.1=%7B%7D"),
        (
            ErrorCode::MissingParameter,
            "The request must contain the parameter ActionNames".to_owned()
        )
    );
    let r: SimulateCustomPolicyRequest =
        decode("PolicyInputList.member.1=%7B%7D&ActionNames=").unwrap();
    assert!(r.action_names.is_empty());
    let (code, msg) = err::<SimulateCustomPolicyRequest>(
        "PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3&MaxItems=0",
    );
    assert_eq!(code, ErrorCode::ValidationError);
    assert!(msg.starts_with("2 validation errors detected: Value 's3' at 'actionNames.1.member' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '0' at 'maxItems'"), "{msg}");
}

#[test]
fn list_roles_and_policies() {
    let r: ListRolesRequest = decode("PathPrefix=%2Fapp%2F&MaxItems=10&Marker=m").unwrap();
    assert_eq!(
        (r.path_prefix.as_deref(), r.max_items, r.marker.as_deref()),
        (Some("/app/"), Some(10), Some("m"))
    );
    assert_eq!(
        decode::<ListRolesRequest>("").unwrap(),
        ListRolesRequest::default()
    );
    let (code, msg) = err::<ListRolesRequest>("PathPrefix=app");
    assert_eq!(code, ErrorCode::ValidationError);
    assert_eq!(
        msg,
        r"1 validation error detected: Value 'app' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*"
    );
    let r: ListPoliciesRequest = decode("OnlyAttached=true&Scope=Local").unwrap();
    assert_eq!(
        (r.only_attached, r.scope.as_deref()),
        (Some(true), Some("Local"))
    );
    let (code, msg) = err::<ListPoliciesRequest>("OnlyAttached=yes");
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert_eq!(
        msg,
        "Value (yes) for parameter OnlyAttached is invalid. Expected a boolean."
    );
    let (_, msg) = err::<ListPoliciesRequest>("Scope=Everything");
    assert!(
        msg.contains("Member must satisfy enum value set: [All, AWS, Local]"),
        "{msg}"
    );
}

#[test]
fn nested_structure_and_inputs_without_members() {
    let r: AssumeRootRequest = decode(
        "TargetPrincipal=111111111111&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMAuditRootUserCredentials",
    )
    .unwrap();
    assert_eq!(
        r.task_policy_arn.arn.as_deref(),
        Some("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
    );
    assert_eq!(
        err::<AssumeRootRequest>("TargetPrincipal=111111111111").1,
        "The request must contain the parameter TaskPolicyArn"
    );
    assert_eq!(
        decode::<GetAccountSummaryRequest>("x=1"),
        Ok(GetAccountSummaryRequest {})
    );
}

#[test]
fn list_order_follows_the_index_not_the_text() {
    let mut s = String::from("SigningAlgorithm=RS256");
    for i in [10, 2, 1] {
        s.push_str(&format!("&Audience.member.{i}=a{i}"));
    }
    let r: GetWebIdentityTokenRequest = decode(&s).unwrap();
    assert_eq!(r.audience, vec!["a1", "a2", "a10"]);
    // Element 0, a non-number and a suffix without a dot are no elements.
    let r: GetWebIdentityTokenRequest =
        decode("SigningAlgorithm=RS256&Audience.member.0=z&Audience.member.x=y&Audience.member.1=a&Audience.member.1b=c").unwrap();
    assert_eq!(r.audience, vec!["a"]);
    assert_eq!(
        err::<GetWebIdentityTokenRequest>("SigningAlgorithm=RS256").1,
        "The request must contain the parameter Audience"
    );
}

#[test]
fn action_and_version() {
    let p = Params::parse(b"Action=AssumeRole&Version=2011-06-15").unwrap();
    assert_eq!(crate::action(&p), Ok(("AssumeRole", Service::Sts)));
    let p = Params::parse(b"Action=ListRoles&Version=2010-05-08").unwrap();
    assert_eq!(crate::action(&p), Ok(("ListRoles", Service::Iam)));
    let p = Params::parse(b"Action=ListRoles&Version=2011-06-15").unwrap();
    assert_eq!(
        crate::action(&p).unwrap_err().message,
        "Could not find operation ListRoles for version 2011-06-15"
    );
    let p = Params::parse(b"Action=Nope").unwrap();
    let e = crate::action(&p).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            ErrorCode::InvalidAction,
            "Could not find operation Nope for version NO_VERSION_SPECIFIED"
        )
    );
    let p = Params::parse(b"Version=2011-06-15").unwrap();
    let e = crate::action(&p).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::MissingAction, "Missing Action")
    );
    assert_eq!(Service::Sts.signing_name(), "sts");
    assert_eq!(
        Service::Iam.xml_namespace(),
        "https://iam.amazonaws.com/doc/2010-05-08/"
    );
    // One generated action per line of operations.txt.
    let listed = |service: &str| {
        include_str!("../../operations.txt")
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(service))
            .count()
    };
    assert_eq!(crate::sts::ACTIONS.len(), 15);
    assert_eq!(crate::sts::ACTIONS.len(), listed("sts"));
    assert_eq!(crate::iam::ACTIONS.len(), listed("iam"));
    assert!(crate::iam::ACTIONS.contains(&"CreateUser"));
    // The IAM action that authorizes a call is derived from the service and the action.
    assert_eq!(ListRolesRequest::IAM_ACTION, "iam:ListRoles");
    assert_eq!(AssumeRoleRequest::IAM_ACTION, "sts:AssumeRole");
    assert_eq!(
        Params::parse(b"A=%4").unwrap_err().code,
        ErrorCode::InvalidQueryParameter
    );
}

#[test]
fn runtime_maps_structures_and_scalars() {
    use crate::rt::{self, Scope};
    let p = Params::parse(
        b"M.entry.2.key=b&M.entry.1.key=a&M.entry.1.value=1&M.entry.2.value=2&M.entry.3.key=c\
          &S.x=1&S.y.member.1=z&T=2026-12-06T12:00:00Z",
    )
    .unwrap();
    let s = Scope::top(&p);
    let map = rt::list(&s, "M", ".entry.", |e, _| {
        Ok(match (e.get("key"), e.get("value")) {
            (Some(k), Some(v)) => Some((k.to_owned(), rt::parse_int(v, "M")?)),
            _ => None,
        })
    })
    .unwrap();
    assert_eq!(map, Some(vec![("a".to_owned(), 1), ("b".to_owned(), 2)]));
    let sub = s.structure("S").unwrap();
    assert_eq!(sub.get("x"), Some("1"));
    assert_eq!(sub.elements("y", ".member.").map(|v| v.len()), Some(1));
    assert!(s.structure("Nope").is_none() && s.elements("Nope", ".member.").is_none());
    assert_eq!(
        rt::parse_time(p.get("T").unwrap(), "T").unwrap(),
        time::macros::datetime!(2026-12-06 12:00:00 UTC)
    );
    assert_eq!(
        rt::parse_long("x", "L").unwrap_err().message,
        "Value (x) for parameter L is invalid. Expected a long."
    );
    assert_eq!(rt::parse_bool("false", "B"), Ok(false));
}
