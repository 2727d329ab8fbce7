//! `iam:ListServerCertificates`.

use keyturn_api::iam::{ListServerCertificatesRequest, ListServerCertificatesResponse};

use super::{certificates, shared};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListServerCertificates` on `*`: the metadata of the account's server certificates whose
/// path starts with `PathPrefix`, by name, paged.
#[derive(Debug)]
pub struct ListServerCertificates;

impl Operation for ListServerCertificates {
    type Input = ListServerCertificatesRequest;
    type Output = ListServerCertificatesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListServerCertificates");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let account = v.account();
        let prefix = input.path_prefix.as_deref().unwrap_or("/");
        let mut items: Vec<_> = account
            .server_certificates
            .iter()
            .filter(|c| c.path.starts_with(prefix))
            .map(|c| certificates::metadata(&account.id, c))
            .collect();
        items.sort_by(|a, b| a.server_certificate_name.cmp(&b.server_certificate_name));
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListServerCertificatesResponse {
            server_certificate_metadata_list: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
