//! What of the Query protocol's request side is the server's: which bytes carry the parameters,
//! and which service answers a request whose operation is not known.
//!
//! Parsing the parameters is keyturn-api's ([`Params`]); decoding and validating an action's
//! members is its generated input shape's; picking the operation from `Action` and `Version` is
//! the registry's ([`keyturn_core::ops::find_in`]). Nothing here is per action.

use http::Method;
use keyturn_core::ops::{self, Params, Service};

/// The parameters' text: a POST's form body, else (GET, or a POST without a body) the query
/// string.
pub(crate) fn parameter_text<'a>(method: &Method, body: &'a [u8], query: &'a str) -> &'a [u8] {
    if method == Method::POST && !body.is_empty() {
        body
    } else {
        query.as_bytes()
    }
}

/// The service whose namespace an error goes out in when no operation was found: the service of
/// the `Action` if Keyturn serves it or AWS's models define it (whatever the `Version`), else STS.
pub(crate) fn service_of(params: &Params<'_>) -> Service {
    params
        .get("Action")
        .and_then(|a| {
            ops::find(a)
                .map(|d| d.service())
                .or_else(|| Service::of_action(a))
        })
        .unwrap_or(Service::Sts)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use proptest::prelude::*;

    fn service(raw: &str) -> Service {
        service_of(&Params::parse(raw.as_bytes()).unwrap())
    }

    #[test]
    fn unidentified_actions_answer_in_their_services_namespace() {
        assert_eq!(
            service("Action=SimulateCustomPolicy&Version=2011-06-15"),
            Service::Iam
        );
        // An IAM action Keyturn does not serve is still IAM's.
        assert_eq!(service("Action=GetUser"), Service::Iam);
        assert_eq!(
            service("Action=GetCallerIdentity&Version=2010-05-08"),
            Service::Sts
        );
        assert_eq!(service("Action=Frobnicate"), Service::Sts);
        assert_eq!(service("Version=2010-05-08"), Service::Sts);
    }

    #[test]
    fn a_post_body_wins_over_the_query_string() {
        assert_eq!(parameter_text(&Method::POST, b"A=1", "B=2"), b"A=1");
        assert_eq!(parameter_text(&Method::POST, b"", "B=2"), b"B=2");
        assert_eq!(parameter_text(&Method::GET, b"A=1", "B=2"), b"B=2");
    }

    proptest! {
        /// The server's request side before the backend, on any bytes: never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(p) = Params::parse(&raw) {
                let _ = service_of(&p);
                if let Ok(op) = ops::find_in(&p) {
                    prop_assert_eq!(Some(op.action()), p.get("Action"));
                    prop_assert_eq!(Some(op.service().api_version()), p.get("Version"));
                }
            }
        }
    }
}
