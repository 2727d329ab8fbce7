#![doc = include_str!("../README.md")]

mod boundary;
mod chunked;
mod engine;
mod status;

pub use boundary::{kt_last_error_message, kt_status_aws_code, kt_version};
pub use chunked::{
    kt_chunked, kt_chunked_feed, kt_chunked_finish, kt_chunked_free, kt_chunked_payload,
    kt_chunked_trailer, kt_engine_verify_upload,
};
pub use engine::{
    kt_caller, kt_caller_access_key_id, kt_caller_account, kt_caller_arn, kt_caller_free,
    kt_caller_user_id, kt_credentials, kt_credentials_access_key_id, kt_credentials_expiration,
    kt_credentials_free, kt_credentials_secret_access_key, kt_credentials_session_token,
    kt_credentials_user_arn, kt_decision, kt_decision_allowed, kt_decision_encoded_message,
    kt_decision_free, kt_decision_outcome, kt_decision_reason, kt_decision_reasons_len,
    kt_decision_statement, kt_decision_statements_len, kt_engine, kt_engine_assume_role,
    kt_engine_authorize, kt_engine_caller_for_credentials, kt_engine_credentials, kt_engine_free,
    kt_engine_from_config_path, kt_engine_from_config_string, kt_engine_import_access_key,
    kt_engine_options, kt_engine_set_time, kt_engine_verify_request, kt_header, kt_request,
};
pub use status::kt_status;
