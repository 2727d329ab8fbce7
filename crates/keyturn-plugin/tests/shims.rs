//! The export shims called in-process, as the host would call them: statuses, buffers, NULL handling, panics;
//! and the JSON layer's shapes.
#![expect(
    unsafe_code,
    reason = "the shims are extern \"C\" functions on raw pointers"
)]

use std::ffi::c_void;

use keyturn_plugin::abi::{KtBuf, KtStr};
use keyturn_plugin::export::{create_shim, destroy_shim, free_buf_shim, verify_shim};
use keyturn_plugin::{
    Decision, EvaluationDecision, IdentityProvider, KtStatus, Plugin, PluginFailure, RejectionBody,
    SecretString, SessionClaims, VerifyRequest, VerifyResult,
};
use serde_json::json;

struct Echo;

impl Plugin for Echo {
    const NAME: &'static str = "echo";
    const VERSION: &'static str = "1";
    fn create(config: serde_json::Value) -> Result<Self, PluginFailure> {
        match config.get("refuse") {
            Some(_) => Err(PluginFailure::rejected("InvalidParameterValue", "refused")),
            None => Ok(Self),
        }
    }
}

impl IdentityProvider for Echo {
    fn verify(&self, request: VerifyRequest) -> Result<VerifyResult, PluginFailure> {
        match request.token.as_str() {
            "reject" => Err(PluginFailure::rejected("InvalidIdentityToken", "Bad token")),
            "internal" => Err(PluginFailure::Internal("broken".to_owned())),
            #[expect(clippy::panic, reason = "the shims' panic boundary is under test")]
            "panic" => panic!("boom"),
            token => Ok(VerifyResult {
                subject: token.to_owned(),
                ..VerifyResult::default()
            }),
        }
    }
}

fn text(bytes: &[u8]) -> KtStr {
    KtStr {
        ptr: bytes.as_ptr(),
        len: bytes.len(),
    }
}

/// Copies and frees a buffer returned by the shims.
fn take(buf: KtBuf) -> Vec<u8> {
    if buf.ptr.is_null() {
        return Vec::new();
    }
    // SAFETY: a buffer from this crate's shims, read once, then freed once.
    let bytes = unsafe { std::slice::from_raw_parts(buf.ptr, buf.len) }.to_vec();
    // SAFETY: as above.
    unsafe { free_buf_shim(buf) };
    bytes
}

fn create(config: &str) -> (u32, *mut c_void, Vec<u8>) {
    let mut handle: *mut c_void = std::ptr::null_mut();
    let mut out = KtBuf::EMPTY;
    // SAFETY: valid input and output pointers.
    let status = unsafe { create_shim::<Echo>(text(config.as_bytes()), &mut handle, &mut out) };
    (status, handle, take(out))
}

fn verify(handle: *mut c_void, request: &[u8]) -> (u32, Vec<u8>) {
    let mut out = KtBuf::EMPTY;
    // SAFETY: `handle` is live or NULL; valid input and output pointers.
    let status = unsafe { verify_shim::<Echo>(handle, text(request), &mut out) };
    (status, take(out))
}

fn request(token: &str) -> Vec<u8> {
    json!({"provider_arn": "p", "token": token, "role_arn": "r", "now": 1, "unknown_future_field": true})
        .to_string()
        .into_bytes()
}

#[test]
fn shims_map_results_to_statuses_and_buffers() -> Result<(), Box<dyn std::error::Error>> {
    let (status, handle, error) = create("{}");
    assert_eq!((status, error.len()), (KtStatus::Ok as u32, 0));
    assert!(!handle.is_null());

    let (status, out) = verify(handle, &request("alice"));
    assert_eq!(status, KtStatus::Ok as u32);
    assert_eq!(
        serde_json::from_slice::<VerifyResult>(&out)?.subject,
        "alice"
    );

    let (status, out) = verify(handle, &request("reject"));
    assert_eq!(status, KtStatus::Rejected as u32);
    assert_eq!(
        serde_json::from_slice::<RejectionBody>(&out)?,
        RejectionBody {
            code: "InvalidIdentityToken".to_owned(),
            message: "Bad token".to_owned()
        }
    );

    assert_eq!(
        verify(handle, &request("internal")),
        (KtStatus::Internal as u32, b"broken".to_vec())
    );
    assert_eq!(
        verify(handle, &request("panic")),
        (KtStatus::Panic as u32, b"boom".to_vec())
    );
    // Still usable after the panic.
    assert_eq!(verify(handle, &request("bob")).0, KtStatus::Ok as u32);

    let (status, out) = verify(handle, b"{not json");
    assert_eq!(status, KtStatus::InvalidInput as u32);
    assert!(String::from_utf8(out)?.starts_with("verify request: "));
    let (status, _) = verify(handle, br#"{"token": "missing fields"}"#);
    assert_eq!(status, KtStatus::InvalidInput as u32);
    let (status, out) = verify(std::ptr::null_mut(), &request("alice"));
    assert_eq!(
        (status, out),
        (KtStatus::InvalidInput as u32, b"NULL handle".to_vec())
    );

    // NULL input with a length, NULL output: an error status, no crash.
    // SAFETY: NULL pointers are part of what the shims must survive.
    let status = unsafe {
        verify_shim::<Echo>(
            handle,
            KtStr {
                ptr: std::ptr::null(),
                len: 4,
            },
            std::ptr::null_mut(),
        )
    };
    assert_eq!(status, KtStatus::InvalidInput as u32);

    // SAFETY: created above, destroyed once; NULL is ignored.
    unsafe {
        destroy_shim::<Echo>(handle);
        destroy_shim::<Echo>(std::ptr::null_mut());
    }
    Ok(())
}

#[test]
fn create_reports_bad_config() -> Result<(), Box<dyn std::error::Error>> {
    let (status, handle, out) = create(r#"{"refuse": 1}"#);
    assert_eq!(status, KtStatus::Rejected as u32);
    assert!(handle.is_null());
    assert_eq!(
        serde_json::from_slice::<RejectionBody>(&out)?.code,
        "InvalidParameterValue"
    );

    let (status, handle, out) = create("nope");
    assert_eq!(status, KtStatus::InvalidInput as u32);
    assert!(handle.is_null());
    assert!(String::from_utf8(out)?.starts_with("config: "));

    let mut out = KtBuf::EMPTY;
    // SAFETY: a NULL out_handle is refused before any write.
    let status = unsafe { create_shim::<Echo>(text(b"{}"), std::ptr::null_mut(), &mut out) };
    assert_eq!(
        (status, take(out)),
        (KtStatus::InvalidInput as u32, b"NULL out_handle".to_vec())
    );
    Ok(())
}

#[test]
fn json_layer_shapes() -> Result<(), Box<dyn std::error::Error>> {
    assert_eq!(format!("{:?}", SecretString::new("wJalrXUtnFEMI")), "***");
    assert_eq!(serde_json::to_value(SecretString::new("s"))?, json!("s"));

    let decision = EvaluationDecision {
        decision: Decision::ExplicitDeny,
        reason: None,
    };
    assert_eq!(
        serde_json::to_value(&decision)?,
        json!({"decision": "explicitDeny", "reason": null})
    );
    let parsed: EvaluationDecision = serde_json::from_value(json!({"decision": "allowed"}))?;
    assert_eq!(parsed.decision, Decision::Allowed);
    assert!(serde_json::from_value::<EvaluationDecision>(json!({"decision": "Allow"})).is_err());

    // Claims keep fields they do not model.
    let claims = json!({
        "access_key_id": "ASIA", "account_id": "123456789012", "principal_arn": "arn", "issued_at": 1,
        "expires_at": 2, "mfa_present": true, "tags": {"a": "b"}
    });
    let parsed: SessionClaims = serde_json::from_value(claims.clone())?;
    assert_eq!(parsed.extra.get("mfa_present"), Some(&json!(true)));
    assert_eq!(serde_json::to_value(&parsed)?, claims);

    // A minimal verify result: only the subject is required.
    let minimal: VerifyResult = serde_json::from_value(json!({"subject": "s"}))?;
    assert_eq!(
        minimal,
        VerifyResult {
            subject: "s".to_owned(),
            ..VerifyResult::default()
        }
    );
    Ok(())
}
