//! `iam:GenerateCredentialReport`.

use keyturn_api::iam::{GenerateCredentialReportRequest, GenerateCredentialReportResponse};

use super::credential_report::{self, REPORT_LIFETIME};
use super::write;
use crate::iam::{Change, CredentialReport};
use crate::ops::prelude::*;

/// IAM's description of a report being started.
const STARTED_TEXT: &str = "No report exists. Starting a new report generation task";

operation! {
    /// `iam:GenerateCredentialReport` on `*`: makes the account's credential report when there is
    /// none or the newest is more than four hours old (`STARTED`; Keyturn makes it at once, so the
    /// next call answers `COMPLETE`), else answers `COMPLETE` and keeps it, as IAM does.
    GenerateCredentialReport(GenerateCredentialReportRequest) -> GenerateCredentialReportResponse;

    fn run(cx, _input) {
        let (started, _) = write::change(cx, |p| {
            let fresh =
                p.account.credential_report.as_ref().is_some_and(|r| {
                    super::certificates::date(&r.generated) + REPORT_LIFETIME > p.now
                });
            if fresh {
                return Ok(false);
            }
            let v = write::view_of(cx, p.snapshot)?;
            let report = CredentialReport {
                generated: crate::clock::iso8601(p.now),
                content: credential_report::build(cx.engine, &v),
            };
            p.account_change(|account| Change::SetCredentialReport {
                account,
                report: Some(report),
            });
            Ok(true)
        })?;
        Ok(GenerateCredentialReportResponse {
            state: Some(if started { "STARTED" } else { "COMPLETE" }.to_owned()),
            description: started.then(|| STARTED_TEXT.to_owned()),
        })
    }
}
