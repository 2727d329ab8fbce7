//! IAM's checks of a policy document, in IAM's order: a table of documents and the answer IAM
//! gives (the first error it reports, or acceptance). The rules are those of `document.rs` and
//! `document/validate.rs`; every row names the rule it shows.

use keyturn_policy::{ParseOptions, PolicyDocument, PolicyType};

const SYNTAX: &str = "Syntax errors in policy.";
const LEGACY: &str = "The policy failed legacy parsing";
const VERSION: &str = "Policy document must be version 2012-10-17 or greater.";
const ACTIONS: &str = "Policy statement must contain actions.";
const RESOURCES: &str = "Policy statement must contain resources.";
const SIDS: &str = "Statement IDs (SID) in a single policy must be unique.";
const PREFACE: &str = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
const COLON: &str = "Actions/Condition can contain only one colon.";
const VENDOR: &str = "Resource vendor must be fully qualified and cannot contain regexes.";

/// How a row's document is checked.
#[derive(Clone, Copy)]
enum As {
    /// A managed policy (CreatePolicy): the 2012-10-17 language required.
    Managed,
    /// An inline identity policy (PutUserPolicy): any version.
    Inline,
    /// A role trust policy.
    Trust,
    /// An identity policy outside IAM's API (AWS's own managed policies): no IAM resource rules.
    Unchecked,
}

/// `(rule, checked as, document, expected error or None for valid)`.
#[rustfmt::skip]
const TABLE: &[(&str, As, &str, Option<&str>)] = &[
    // --- Syntax: shapes and types, before anything else.
    ("a version IAM does not know", As::Inline,
     r#"{"Version":"2010-01-01","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*"}}"#,
     Some(SYNTAX)),
    ("no Statement", As::Managed, r#"{"Version":"2012-10-17","Id":"x"}"#, Some(SYNTAX)),
    ("an empty Statement list", As::Managed, r#"{"Version":"2012-10-17","Statement":[]}"#, Some(SYNTAX)),
    ("a statement that is a number", As::Managed, r#"{"Version":"2012-10-17","Statement":[7]}"#, Some(SYNTAX)),
    ("no Effect, before a bad version", As::Managed,
     r#"{"Statement":{"Action":"ec2:Run","Resource":"*"}}"#, Some(SYNTAX)),
    ("an effect that is no effect in any case", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"ec2:Run","Resource":"*"}}"#,
     Some(SYNTAX)),
    ("Resource and NotResource together", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","NotResource":"*"}}"#,
     Some(SYNTAX)),
    ("Sid that is a number", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Sid":1,"Effect":"Allow","Action":"ec2:Run","Resource":"*"}}"#,
     Some(SYNTAX)),
    ("an unknown operator that tests a key", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"StringMatches":{"ec2:Region":"x"}}}}"#,
     Some(SYNTAX)),
    ("a doubled qualifier colon is an unknown operator", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"ForAllValues::StringLike":{"ec2:Region":"x"}}}}"#,
     Some(SYNTAX)),
    ("an operator whose keys are not an object", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"DateLessThan":["x"]}}}"#,
     Some(SYNTAX)),
    ("a condition value that is an object, before a missing action", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*","Condition":{"StringLike":{"ec2:Region":{}}}}}"#,
     Some(SYNTAX)),
    ("a Resource list holding an object", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":["*",{}]}}"#,
     Some(SYNTAX)),
    // --- The version a managed policy needs: after the syntax, before the legacy parser.
    ("managed: no Version", As::Managed,
     r#"{"Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*"}}"#, Some(VERSION)),
    ("managed: 2008-10-17, before an effect in the wrong case", As::Managed,
     r#"{"Version":"2008-10-17","Statement":{"Effect":"allow","Action":"ec2:Run","Resource":"*"}}"#,
     Some(VERSION)),
    ("inline: 2008-10-17 is accepted", As::Inline,
     r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*"}}"#,
     None),
    ("inline: no Version is accepted", As::Inline,
     r#"{"Statement":{"Effect":"Deny","Action":"ec2:Run","Resource":"*"}}"#, None),
    // --- The legacy parser: exact effects, dates it reads, ARNs it reads.
    ("an effect in the wrong case, before a missing action", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"DENY","Resource":"*"}}"#, Some(LEGACY)),
    ("an effect in the wrong case, before duplicate Sids", As::Inline,
     r#"{"Statement":[{"Sid":"a","Effect":"Allow","Action":"ec2:Run","Resource":"*"},{"Sid":"a","Effect":"deny","Action":"ec2:Run","Resource":"*"}]}"#,
     Some(LEGACY)),
    ("a date that is a word", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"tomorrow"}}}}"#,
     Some(LEGACY)),
    ("a date with a month 13, under a set qualifier", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"ForAnyValue:DateEquals":{"aws:CurrentTime":["2020-01-01","2020-13-01"]}}}}"#,
     Some(LEGACY)),
    ("a date with a one-digit offset", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T10:00:00+5"}}}}"#,
     Some(LEGACY)),
    ("epoch seconds beyond a Java long", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"DateLessThan":{"aws:EpochTime":"99999999999999999999"}}}}"#,
     Some(LEGACY)),
    ("a bad date, before a bad partition", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:nope:ec2:::x","Condition":{"DateLessThan":{"aws:CurrentTime":"never"}}}}"#,
     Some(LEGACY)),
    ("an ARN of four parts with an empty one", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:aws:ec2::x"}}"#,
     Some(LEGACY)),
    ("an ARN with an empty service, before a missing action", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotResource":"arn:aws::us-east-1:123456789012:x"}}"#,
     Some(LEGACY)),
    ("a NotResource the legacy parser cannot read", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","NotResource":["*","arn:aws::x"]}}"#,
     Some(LEGACY)),
    ("a format error in an earlier statement spares a later one the legacy parser", As::Managed,
     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Run","Resource":"bucket"},{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:aws:ec2::x"}]}"#,
     Some(r#"Resource bucket must be in ARN format or "*"."#)),
    // --- Unique statement ids (empty ones aside), then actions present.
    ("duplicate Sids, before a missing action", As::Managed,
     r#"{"Version":"2012-10-17","Statement":[{"Sid":"s","Effect":"Allow","Action":"ec2:Run","Resource":"*"},{"Sid":"s","Effect":"Allow","Resource":"*"}]}"#,
     Some(SIDS)),
    ("empty Sids may repeat", As::Managed,
     r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"ec2:Run","Resource":"*"},{"Sid":"","Effect":"Deny","Action":"ec2:Stop","Resource":"*"}]}"#,
     None),
    ("no action in a second statement, before a resource in bad format", As::Managed,
     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Run","Resource":"nope"},{"Effect":"Deny"}]}"#,
     Some(ACTIONS)),
    ("an empty NotAction list", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":[],"Resource":"*"}}"#,
     Some(ACTIONS)),
    // --- The resources' format, before the actions' vendors.
    ("no colon at all, before an action without vendor", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"Run","Resource":"instance"}}"#,
     Some(r#"Resource instance must be in ARN format or "*"."#)),
    ("an unknown partition, shown in six parts", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"x:mars:ec2"}}"#,
     Some(r#"Partition "mars" is not valid for resource "arn:mars:ec2:*:*:*"."#)),
    ("an unknown partition, nothing after it", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:mars"}}"#,
     Some(r#"Partition "mars" is not valid for resource "arn:mars:*:*:*:*"."#)),
    ("an unknown partition, extra colons kept in the last part", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:mars:ec2:r:1:a:b:c"}}"#,
     Some(r#"Partition "mars" is not valid for resource "arn:mars:ec2:r:1:a:b:c"."#)),
    ("the first bad resource in document order", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":["arn:aws:ec2:::x","arn:venus:ec2:::x","arn:mars:ec2:::x"]}}"#,
     Some(r#"Partition "venus" is not valid for resource "arn:venus:ec2:::x"."#)),
    ("nothing after the partition", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:aws-cn"}}"#,
     Some(VENDOR)),
    ("a wildcard in the resource vendor", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"arn:aws:ec?:::x"}}"#,
     Some(VENDOR)),
    ("an IAM ARN with a region", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam:eu-west-1:123456789012:user/u"}}"#,
     Some("IAM resource arn:aws:iam:eu-west-1:123456789012:user/u cannot contain region information.")),
    ("an IAM ARN whose path is *", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:*"}}"#,
     None),
    ("outside IAM's API: IAM's resource rules do not apply", As::Unchecked,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":["arn:aws:iam::*:root","arn:aws:s3:us-east-1::b"]}}"#,
     None),
    ("an IAM ARN naming no IAM resource type", As::Inline,
     r#"{"Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:bucket/u"}}"#,
     Some(r#"IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."#)),
    ("an S3 bucket with a region", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:eu-west-1::b/k"}}"#,
     Some("Resource arn:aws:s3:eu-west-1::b/k can not contain region information.")),
    ("a resource error, before an action with two colons", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:a:b","Resource":"arn:aws:s3:eu-west-1::b"}}"#,
     Some("Resource arn:aws:s3:eu-west-1::b can not contain region information.")),
    // --- The actions' vendors.
    ("an action without a vendor, before a missing resource", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"RunInstances"}}"#,
     Some(PREFACE)),
    ("an empty action", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ec2:Run",""],"Resource":"*"}}"#,
     Some(PREFACE)),
    ("an action with two colons", As::Managed,
     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Run","Resource":"*"},{"Effect":"Allow","NotAction":"a:b:c","Resource":"*"}]}"#,
     Some(COLON)),
    ("an underscore in the vendor", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2_x:Run","Resource":"*"}}"#,
     Some("Vendor ec2_x is not valid")),
    // --- The rules of the type, last.
    ("no Resource, last of all", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run"}}"#, Some(RESOURCES)),
    ("a trust policy with a Resource", As::Trust,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}"#,
     Some("Has prohibited field Resource")),
    ("a trust policy with another service's action", As::Trust,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"ec2:Run"}}"#,
     Some("AssumeRole policy may only specify STS AssumeRole actions.")),
    ("a trust policy needs a principal", As::Trust,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#,
     Some("Missing required field Principal")),
    ("a trust policy in the wrong effect case is refused by the legacy parser", As::Trust,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"ALLOW","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
     Some(LEGACY)),
    // --- What IAM accepts.
    ("vendors with dots and dashes, names IAM does not know", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["my.svc:Do","a-b:do it","*:Get*"],"Resource":"*"}}"#,
     None),
    ("short ARNs the legacy parser reads", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":["arn:aws:ec2","arn:aws:svc:x%3Ay"]}}"#,
     None),
    ("S3 resource types that live in a region", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:eu-west-1:123456789012:accesspoint/ap/object/*","arn:aws:s3:eu-west-1:123456789012:job/*","arn:aws:s3:eu-west-1:123456789012:storage-lens/sl"]}}"#,
     None),
    ("other services' regions and unknown services", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":["arn:aws:ec2:eu-west-1::x","arn:aws:no-such-service:eu-west-1::x"]}}"#,
     None),
    ("condition keys without a vendor; empty operators, keys and value lists", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"StringEquals":{"region":"x"},"NoSuchOperator":{},"DateLessThan":{},"StringLike":{"ec2:Region":[]}}}}"#,
     None),
    ("an empty Condition", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{}}}"#,
     None),
    ("nulls in the lists of actions and resources", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ec2:Run",null],"Resource":[null,"*"]}}"#,
     None),
    ("dates the legacy parser reads", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":["2020T","2020-02-29t7:05","-5000-01-01","1700000000","2020-06-01T00:00:00.123456789-09:30"]}}}}"#,
     None),
    ("booleans as JSON booleans, in any case as strings", As::Managed,
     r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Run","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"Null":{"aws:TokenIssueTime":"FALSE"}}}}"#,
     None),
    ("an inline policy under the 2008-10-17 language with a short ARN", As::Inline,
     r#"{"Statement":[{"Effect":"Allow","Action":"apigateway:PUT","Resource":"arn:aws:x%3Ay%3Az"}]}"#,
     None),
];

#[test]
fn iam_answers_each_document_in_its_order() {
    let mut wrong = Vec::new();
    for &(rule, checked_as, text, want) in TABLE {
        let opts = match checked_as {
            As::Managed => ParseOptions::new(PolicyType::Identity)
                .with_iam_resource_rules()
                .requiring_current_version(),
            As::Inline => ParseOptions::new(PolicyType::Identity).with_iam_resource_rules(),
            As::Unchecked => ParseOptions::new(PolicyType::Identity),
            As::Trust => ParseOptions::new(PolicyType::Trust),
        };
        let got = PolicyDocument::parse_with(text, opts).map_err(|e| e.to_string());
        let got = got.as_ref().err().map(String::as_str);
        if got != want {
            wrong.push(format!("{rule}: want {want:?}, got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} rows wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// `(what, condition or resource of an Allow statement, request context, request resource,
/// allowed)`: what IAM now accepts evaluates by the same reading.
#[rustfmt::skip]
const EVALUATED: &[(&str, &str, &str, &str, bool)] = &[
    ("a year alone is its first instant: after it", r#""Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020T"}}"#,
     r#"{"aws:CurrentTime":"2020-01-01T00:00:01Z"}"#, "arn:aws:s3:::b", true),
    ("a year alone is its first instant: at it", r#""Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020T"}}"#,
     r#"{"aws:CurrentTime":"2020-01-01T00:00:00Z"}"#, "arn:aws:s3:::b", false),
    ("an offset moves the instant", r#""Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T10:00:00+10:00"}}"#,
     r#"{"aws:CurrentTime":"2019-12-31T23:59:59Z"}"#, "arn:aws:s3:::b", true),
    ("an offset moves the instant: not before", r#""Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T10:00:00+10:00"}}"#,
     r#"{"aws:CurrentTime":"2020-01-01T00:00:00Z"}"#, "arn:aws:s3:::b", false),
    ("an empty value list matches no value", r#""Condition":{"StringEquals":{"aws:PrincipalTag/team":[]}}"#,
     r#"{"aws:PrincipalTag/team":"x"}"#, "arn:aws:s3:::b", false),
    ("an empty Bool list matches no value", r#""Condition":{"Bool":{"aws:SecureTransport":[]}}"#,
     r#"{"aws:SecureTransport":"false"}"#, "arn:aws:s3:::b", false),
    ("an operator IAM ignores tests nothing", r#""Condition":{"NoSuchOperator":{}}"#,
     r#"{}"#, "arn:aws:s3:::b", true),
    ("a short ARN names only itself", r#""Resource":"arn:aws:x%3Ay""#,
     r#"{}"#, "arn:aws:x%3Ay", true),
    ("a short ARN names no six-part ARN", r#""Resource":"arn:aws:s3""#,
     r#"{}"#, "arn:aws:s3:::b", false),
];

#[test]
fn what_iam_accepts_evaluates_by_the_same_reading() {
    for &(what, element, context, resource, allowed) in EVALUATED {
        let resource_element = if element.starts_with(r#""Resource""#) {
            ""
        } else {
            r#""Resource":"*","#
        };
        let request = format!(
            r#"{{"principal":"arn:aws:iam::111111111111:user/alice","action":"s3:GetObject",
                "resource":"{resource}","context":{context},
                "identity_policies":[{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",
                "Action":"s3:GetObject",{resource_element}{element}}}}}]}}"#
        );
        let answer =
            keyturn_policy::eval_request_json(&request).unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = answer["decision"] == "Allow";
        assert_eq!(got, allowed, "{what}: {answer}");
    }
}
