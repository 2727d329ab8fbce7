//! `iam:GetAccessKeyLastUsed`.

use keyturn_api::iam::{
    AccessKeyLastUsed, GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse,
};

use super::shared::{self, Kind};
use super::users_groups::no_such_key;
use crate::iam::{AccessKeyEntry, KeyOwner};
use crate::ops::prelude::*;

/// AWS's region and service name for a key never used.
const NOT_USED: &str = "N/A";

fn entry<'s>(cx: &Context<'s>, id: &str) -> Result<Option<AccessKeyEntry<'s>>, Error> {
    let caller = cx.caller()?;
    Ok(caller
        .snapshot
        .data
        .find_access_key(id)
        .filter(|e| e.account.id == caller.account))
}

operation! {
    /// `iam:GetAccessKeyLastUsed` on the ARN of the key's user (the root ARN for a root key): the
    /// owner's name and when, for which service and in which region the key last signed a request
    /// since the engine started (recorded in memory at most once a minute per key:
    /// [`crate::engine::Engine::access_key_last_used`]); a key not used since answers as AWS does
    /// for a key never used: no date, region and service `N/A`. A key of another account, or no key
    /// at all, is `NoSuchEntity` (authorized on `user/*` of the caller's account, so that only a
    /// caller who may read every user's keys learns that).
    GetAccessKeyLastUsed(GetAccessKeyLastUsedRequest) -> GetAccessKeyLastUsedResponse;

    fn resource(cx, input) {
        match entry(cx, &input.access_key_id)? {
            Some(e) => match e.owner {
                KeyOwner::Root => Ok(e.account.root_arn()),
                KeyOwner::User(u) => shared::entity_arn(cx, Kind::User, &u.name),
            },
            None => Ok(format!("arn:aws:iam::{}:user/*", cx.caller()?.account)),
        }
    }

    fn run(cx, input) {
        let e =
            entry(cx, &input.access_key_id)?.ok_or_else(|| no_such_key(&input.access_key_id))?;
        Ok(GetAccessKeyLastUsedResponse {
            user_name: match e.owner {
                KeyOwner::Root => None,
                KeyOwner::User(u) => Some(u.name.clone()),
            },
            access_key_last_used: Some(match cx.engine.access_key_last_used(&e.key.id) {
                Some(used) => AccessKeyLastUsed {
                    last_used_date: Some(used.date),
                    service_name: used.service,
                    region: used.region,
                },
                None => AccessKeyLastUsed {
                    last_used_date: None,
                    service_name: NOT_USED.to_owned(),
                    region: NOT_USED.to_owned(),
                },
            }),
        })
    }
}
