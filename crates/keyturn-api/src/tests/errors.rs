//! The generated error table.

use crate::{ApiError, ErrorCode, Service};

#[test]
fn table_facts() {
    let e = ErrorCode::NoSuchEntity;
    assert_eq!(
        (e.code(), e.http_status(), e.fault()),
        ("NoSuchEntity", 404, "Sender")
    );
    assert_eq!(e.services(), &[Service::Iam]);
    let e = ErrorCode::InternalFailure;
    assert_eq!(
        (e.code(), e.http_status(), e.fault()),
        ("InternalFailure", 500, "Receiver")
    );
    assert!(e.is_common() && !e.is_sender_fault());
    let e = ErrorCode::MalformedPolicyDocument;
    assert_eq!((e.http_status(), e.fault()), (400, "Sender"));
    assert_eq!(e.services(), &[Service::Iam, Service::Sts]);
    assert_eq!(ErrorCode::IdpRejectedClaim.code(), "IDPRejectedClaim");
    assert_eq!(ErrorCode::IdpRejectedClaim.http_status(), 403);
    assert_eq!(
        ErrorCode::InvalidAuthorizationMessageException.code(),
        "InvalidAuthorizationMessageException"
    );
    assert_eq!(ErrorCode::EntityAlreadyExists.http_status(), 409);
    assert_eq!(ErrorCode::ServiceFailure.fault(), "Receiver");
    assert_eq!(ErrorCode::MalformedQueryString.http_status(), 404);
    assert_eq!(ErrorCode::ServiceUnavailable.http_status(), 503);
    assert_eq!(ErrorCode::ExpiredToken.http_status(), 403);
    assert_eq!(ErrorCode::ExpiredTokenException.http_status(), 400);
    assert_eq!(ErrorCode::AccessDenied.http_status_for(Service::Sts), 403);
}

#[test]
fn codes_round_trip_and_are_unique() {
    for &e in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_code(e.code()), Some(e), "{e:?}");
        assert_eq!(e.to_string(), e.code());
    }
    let mut codes: Vec<&str> = ErrorCode::ALL.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), ErrorCode::ALL.len());
    assert_eq!(ErrorCode::from_code("NoSuchThing"), None);
    assert!(ErrorCode::ALL.len() > 70, "{}", ErrorCode::ALL.len());
}

#[test]
fn api_error_displays_its_message() {
    let e = ApiError::new(ErrorCode::ValidationError, "1 validation error detected: x");
    assert_eq!(e.to_string(), "1 validation error detected: x");
    assert_eq!(
        ApiError::missing_parameter("RoleArn").message,
        "The request must contain the parameter RoleArn"
    );
}
