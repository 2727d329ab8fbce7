//! What the service-linked role operations share: the role's name and path for a service
//! principal, its trust policy, and deletion task ids.
//!
//! IAM names a service-linked role `AWSServiceRoleFor` + a name each service chooses
//! (`autoscaling.amazonaws.com` → `AWSServiceRoleForAutoScaling`, `ecs.amazonaws.com` →
//! `AWSServiceRoleForECS`), optionally `_` + `CustomSuffix`, at the path
//! `/aws-service-role/SERVICE/`. The names of well-known services are in [`KNOWN`], as AWS's
//! documentation gives them; for any other service the name is derived from the principal's
//! first label, each `-`/`.`-separated word capitalised (`foo-bar.amazonaws.com` →
//! `AWSServiceRoleForFooBar`): AWS's own names cannot be derived in general.

use crate::{Error, ErrorCode};

/// Service principal → the word after `AWSServiceRoleFor`, as AWS names these services' roles.
const KNOWN: &[(&str, &str)] = &[
    ("autoscaling.amazonaws.com", "AutoScaling"),
    (
        "custom-resource.application-autoscaling.amazonaws.com",
        "ApplicationAutoScaling_CustomResource",
    ),
    (
        "dynamodb.application-autoscaling.amazonaws.com",
        "ApplicationAutoScaling_DynamoDBTable",
    ),
    (
        "ecs.application-autoscaling.amazonaws.com",
        "ApplicationAutoScaling_ECSService",
    ),
    (
        "lambda.application-autoscaling.amazonaws.com",
        "ApplicationAutoScaling_LambdaConcurrency",
    ),
    (
        "rds.application-autoscaling.amazonaws.com",
        "ApplicationAutoScaling_RDSCluster",
    ),
    ("cloudtrail.amazonaws.com", "CloudTrail"),
    ("config.amazonaws.com", "Config"),
    ("ec2fleet.amazonaws.com", "EC2Fleet"),
    ("ecs.amazonaws.com", "ECS"),
    ("eks.amazonaws.com", "AmazonEKS"),
    ("elasticache.amazonaws.com", "ElastiCache"),
    ("elasticbeanstalk.amazonaws.com", "ElasticBeanstalk"),
    ("elasticloadbalancing.amazonaws.com", "ElasticLoadBalancing"),
    ("guardduty.amazonaws.com", "AmazonGuardDuty"),
    ("opensearchservice.amazonaws.com", "AmazonOpenSearchService"),
    ("organizations.amazonaws.com", "Organizations"),
    ("rds.amazonaws.com", "RDS"),
    ("securityhub.amazonaws.com", "SecurityHub"),
    ("spot.amazonaws.com", "EC2Spot"),
    ("ssm.amazonaws.com", "AmazonSSM"),
    ("support.amazonaws.com", "Support"),
    ("trustedadvisor.amazonaws.com", "TrustedAdvisor"),
];

/// The prefix of every service-linked role's path.
pub(crate) const PATH_PREFIX: &str = "/aws-service-role/";

/// The service part of a principal (`autoscaling`), or `None` when `name` is not a service
/// principal (`NAME.amazonaws.com`, NAME lowercase letters, digits, `-` and `.`).
fn service_label(name: &str) -> Option<&str> {
    let label = name.strip_suffix(".amazonaws.com")?;
    let ok = !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !label.starts_with(['-', '.'])
        && !label.ends_with(['-', '.']);
    ok.then_some(label)
}

/// `InvalidInput` for an `AWSServiceName` that is not a service principal.
fn not_a_service(name: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!(
            "Invalid service principal {name}. Service principals look like SERVICE.amazonaws.com."
        ),
    )
}

/// The role name (without suffix) for `service`.
///
/// # Errors
/// `InvalidInput` when `service` is not a service principal.
pub(crate) fn role_name(service: &str, suffix: Option<&str>) -> Result<String, Error> {
    let label = service_label(service).ok_or_else(|| not_a_service(service))?;
    let word = match KNOWN.iter().find(|(s, _)| *s == service) {
        Some((_, w)) => (*w).to_owned(),
        None => label
            .split(['-', '.'])
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect(),
    };
    Ok(match suffix {
        Some(s) => format!("AWSServiceRoleFor{word}_{s}"),
        None => format!("AWSServiceRoleFor{word}"),
    })
}

/// `/aws-service-role/SERVICE/`.
pub(crate) fn role_path(service: &str) -> String {
    format!("{PATH_PREFIX}{service}/")
}

/// The trust policy of a service-linked role: the service may assume it. IAM writes the
/// principal and the action as one-element lists.
pub(crate) fn trust_policy(service: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Action": ["sts:AssumeRole"],
            "Effect": "Allow",
            "Principal": {"Service": [service]}
        }]
    })
    .to_string()
}

/// The service and role a deletion task id (`task/aws-service-role/SERVICE/ROLE/UUID`) names.
pub(crate) fn parse_task(id: &str) -> Option<(&str, &str)> {
    let rest = id.strip_prefix("task/aws-service-role/")?;
    let mut parts = rest.split('/');
    let (service, role, uuid) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && service_label(service).is_some()
        && !role.is_empty()
        && uuid::Uuid::parse_str(uuid).is_ok();
    ok.then_some((service, role))
}

/// `InvalidInput` for a deletion task id that is not one.
pub(crate) fn invalid_task(id: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("Invalid deletion task id: {id}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            role_name("elasticbeanstalk.amazonaws.com", None).unwrap(),
            "AWSServiceRoleForElasticBeanstalk"
        );
        assert_eq!(
            role_name("autoscaling.amazonaws.com", Some("x")).unwrap(),
            "AWSServiceRoleForAutoScaling_x"
        );
        assert_eq!(
            role_name(
                "custom-resource.application-autoscaling.amazonaws.com",
                None
            )
            .unwrap(),
            "AWSServiceRoleForApplicationAutoScaling_CustomResource"
        );
        assert_eq!(
            role_name("foo-bar.amazonaws.com", None).unwrap(),
            "AWSServiceRoleForFooBar"
        );
        for bad in [
            "foo",
            "amazonaws.com",
            ".amazonaws.com",
            "Foo.amazonaws.com",
        ] {
            let e = role_name(bad, None).unwrap_err();
            assert_eq!(e.error_code(), ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn task_ids() {
        let id = "task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/\
                  3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        assert_eq!(
            parse_task(id),
            Some(("ecs.amazonaws.com", "AWSServiceRoleForECS"))
        );
        assert_eq!(parse_task("task/x"), None);
        assert_eq!(parse_task(&format!("{id}/more")), None);
    }
}
