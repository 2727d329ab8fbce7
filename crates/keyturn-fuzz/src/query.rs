//! The Query protocol's parameters: `Params::parse` of a form body, the registry's choice of
//! operation by `Action`/`Version`, and the operation's generated decoding and validation
//! (which run before authentication, so an unsigned request exercises every action's decoder),
//! then the document the server would write, success or error.
//!
//! Input: the first byte picks raw mode (the rest is the form body as sent) or an action of
//! the generated ones, whose `Action=…&Version=…&` is put before the rest.

use std::net::{IpAddr, Ipv4Addr};

use keyturn_api::{Params, Service, XmlWriter};
use keyturn_core::ops::{self, Backend};
use keyturn_core::request::HttpParts;

use crate::bytes::Bytes;
use crate::{check, world};

/// The request id written into the documents.
const REQUEST_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The target.
pub fn query(data: &[u8]) {
    let mut input = Bytes::new(data);
    let mode = input.byte();
    let body: Vec<u8> = if mode < 32 {
        input.rest().to_vec()
    } else {
        let service = if mode & 1 == 0 {
            Service::Sts
        } else {
            Service::Iam
        };
        let action = input.pick(service.actions()).copied().unwrap_or_default();
        let mut body = format!("Action={action}&Version={}&", service.api_version()).into_bytes();
        body.extend_from_slice(input.rest());
        body
    };
    run(&body);
}

/// Runs a form body through parsing, dispatch and the operation (unsigned, from 10.0.0.1).
pub fn run(body: &[u8]) {
    let Some(world) = world::world() else {
        return;
    };
    let params = match Params::parse(body) {
        Ok(p) => p,
        Err(e) => {
            check::sender_fault(e.code.http_status(), e.code.code(), &e.message);
            check::well_formed(&keyturn_api::error_document(
                Service::Sts,
                e.code,
                &e.message,
                REQUEST_ID,
            ));
            return;
        }
    };
    let op = match ops::find_in(&params) {
        Ok(op) => op,
        Err(e) => {
            check::sender_fault(e.http_status(), e.code(), e.message());
            check::well_formed(&keyturn_api::error_document(
                Service::Sts,
                e.error_code(),
                e.message(),
                REQUEST_ID,
            ));
            return;
        }
    };
    let headers: [(&str, &[u8]); 1] = [(
        "content-type",
        b"application/x-www-form-urlencoded; charset=utf-8",
    )];
    let http = HttpParts::post(&headers, body, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    let mut w = XmlWriter::begin_response(1024, op.service(), op.action(), op.has_result());
    match world.engine.handle(op, &http, &params, None, &mut w) {
        Ok(()) => check::well_formed(&w.end_response(op.action(), op.has_result(), REQUEST_ID)),
        Err(e) => {
            check::sender_fault(e.http_status(), e.code(), e.message());
            check::well_formed(&keyturn_api::error_document(
                op.service(),
                e.error_code(),
                e.message(),
                REQUEST_ID,
            ));
        }
    }
}
