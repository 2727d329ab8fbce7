//! `iam:GetCredentialReport`.

use keyturn_api::iam::{GetCredentialReportRequest, GetCredentialReportResponse};

use super::certificates::date;
use super::credential_report::REPORT_LIFETIME;
use super::shared;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:GetCredentialReport` on `*`: the account's newest credential report, CSV (`text/csv`,
/// base64 in the XML), while it is at most four hours old. None: `ReportNotPresent`; older:
/// `ReportExpired`.
#[derive(Debug)]
pub struct GetCredentialReport;

impl Operation for GetCredentialReport {
    type Input = GetCredentialReportRequest;
    type Output = GetCredentialReportResponse;
    const ACTION: Option<&'static str> = Some("iam:GetCredentialReport");

    fn run(cx: &Context<'_>, _input: Self::Input) -> Result<Self::Output, Error> {
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
