//! `iam:ListSigningCertificates`.

use keyturn_api::iam::{ListSigningCertificatesRequest, ListSigningCertificatesResponse};

use super::certificates;
use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListSigningCertificates` on the user's ARN (the caller's own without `UserName`): the
/// user's signing certificates with their bodies and status, in upload order, paged.
#[derive(Debug)]
pub struct ListSigningCertificates;

impl Operation for ListSigningCertificates {
    type Input = ListSigningCertificatesRequest;
    type Output = ListSigningCertificatesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListSigningCertificates");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        let (owner, list) = match &user {
            Some(name) => {
                v.user(name)?;
                let u = v.account().user(name);
                (name.clone(), u.map(|u| u.signing_certificates.clone()))
            }
            None => (
                String::new(),
                Some(v.account().root.signing_certificates.clone()),
            ),
        };
        let items = list
            .unwrap_or_default()
            .iter()
            .map(|c| certificates::signing_shape(&owner, c))
            .collect();
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListSigningCertificatesResponse {
            certificates: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
