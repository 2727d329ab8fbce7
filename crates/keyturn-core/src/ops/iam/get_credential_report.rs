//! `iam:GetCredentialReport`.

use keyturn_api::iam::{GetCredentialReportRequest, GetCredentialReportResponse};

use super::certificates::date;
use super::credential_report::REPORT_LIFETIME;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetCredentialReport` on `*`: the account's newest credential report, CSV (`text/csv`,
    /// base64 in the XML), while it is at most four hours old. None: `ReportNotPresent`; older:
    /// `ReportExpired`.
    GetCredentialReport(GetCredentialReportRequest) -> GetCredentialReportResponse;

    fn run(cx, _input) {
        let v = shared::view(cx)?;
        let Some(report) = &v.account().credential_report else {
            return Err(Error::new(
                ErrorCode::ReportNotPresent,
                "Credential report not present. Use GenerateCredentialReport to generate one.",
            ));
        };
        let generated = date(&report.generated);
        if generated + REPORT_LIFETIME <= cx.engine.clock().now() {
            return Err(Error::new(
                ErrorCode::ReportExpired,
                "The most recent credential report has expired. Use GenerateCredentialReport \
                 to generate a new one.",
            ));
        }
        Ok(GetCredentialReportResponse {
            content: Some(report.content.clone().into_bytes()),
            report_format: Some("text/csv".to_owned()),
            generated_time: Some(generated),
        })
    }
}
