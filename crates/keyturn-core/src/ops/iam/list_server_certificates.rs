//! `iam:ListServerCertificates`.

use keyturn_api::iam::{ListServerCertificatesRequest, ListServerCertificatesResponse};

use super::{certificates, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListServerCertificates` on `*`: the metadata of the account's server certificates
    /// whose path starts with `PathPrefix`, by name, paged.
    ListServerCertificates(ListServerCertificatesRequest) -> ListServerCertificatesResponse;

    fn run(cx, input) {
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
        shared::paged(items, &input, |m| m)
    }
}
