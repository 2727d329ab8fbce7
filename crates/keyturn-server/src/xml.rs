//! The Query protocol's response documents, in AWS's layout (one element per line, two-space
//! indent), written with keyturn-api's [`XmlWriter`].
//!
//! A success is one buffer per request: the server writes the head (`<XResponse xmlns=…>`,
//! `<XResult>`), the operation writes its members straight after it, and the server closes the
//! document with `<ResponseMetadata><RequestId>`. The same bytes as
//! [`keyturn_api::response_document`], without an intermediate output value or a second buffer.

use keyturn_api::{Service, XmlWriter};

use crate::WireError;
use crate::error::HttpRefusal;

/// The success buffer's capacity: an AssumeRole response (about 0.9 KB with the seed scenario's
/// session token; more with session tags and policies) fits without growing.
const CAPACITY: usize = 1536;

/// A success document being written.
pub(crate) struct Document {
    w: XmlWriter,
    /// Where the result's members start.
    members: usize,
    /// Whether there is an `<XResult>` element.
    result: bool,
}

impl Document {
    /// Writes the head of `action`'s response in `service`'s namespace.
    /// Without `result` (an action whose model has no output) there is no `<XResult>`.
    pub(crate) fn begin(service: Service, action: &str, result: bool) -> Self {
        let w = XmlWriter::begin_response(CAPACITY, service, action, result);
        let members = w.as_str().len();
        Self { w, members, result }
    }

    /// The writer the operation writes its members with.
    pub(crate) fn writer(&mut self) -> &mut XmlWriter {
        &mut self.w
    }

    /// The members written so far (for the audit log).
    pub(crate) fn members(&self) -> &str {
        self.w.as_str().get(self.members..).unwrap_or_default()
    }

    /// Closes the result and adds the request id.
    pub(crate) fn finish(self, action: &str, request_id: &str) -> String {
        self.w.end_response(action, self.result, request_id)
    }
}

/// The `<ErrorResponse>` of `error` in `service`'s namespace, with the error's members after
/// the message (its model shape's, such as `<reason>`; `<EncodedAuthorizationMessage>` for an
/// authorization denial that carries one).
pub(crate) fn error(service: Service, error: &WireError, request_id: &str) -> String {
    match error {
        WireError::Api(e) => keyturn_api::error_document_with(
            service,
            e.error_code(),
            e.message(),
            e.members(),
            request_id,
        ),
        WireError::Http(r) => refusal_document(service, r, request_id),
    }
}

/// [`keyturn_api::error_document`]'s layout for a code that is in no model.
fn refusal_document(service: Service, r: &HttpRefusal, request_id: &str) -> String {
    let mut w = XmlWriter::new(256 + r.message.len(), 1);
    w.raw("<ErrorResponse xmlns=\"");
    w.raw(service.xml_namespace());
    w.raw("\">");
    w.open("Error");
    w.leaf("Type", "Sender");
    w.leaf("Code", r.code);
    w.leaf("Message", &r.message);
    w.close("Error");
    w.leaf("RequestId", request_id);
    w.raw("\n</ErrorResponse>\n");
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyturn_api::{ErrorCode, Output, sts};

    #[test]
    fn a_document_is_the_same_as_keyturn_apis_response_document() {
        let out = sts::GetCallerIdentityResponse {
            user_id: Some("AIDA<&>".into()),
            account: Some("222222222222".into()),
            arn: Some("arn:aws:iam::222222222222:user/alice".into()),
        };
        let mut doc = Document::begin(Service::Sts, "GetCallerIdentity", true);
        out.write_xml(doc.writer());
        assert_eq!(
            doc.members(),
            "\n    <Arn>arn:aws:iam::222222222222:user/alice</Arn>\n    <UserId>AIDA&lt;&amp;&gt;</UserId>\n    <Account>222222222222</Account>"
        );
        let text = doc.finish("GetCallerIdentity", "req-1");
        assert_eq!(
            text,
            keyturn_api::response_document(Service::Sts, "GetCallerIdentity", &out, "req-1")
        );
        assert_eq!(
            text,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::222222222222:user/alice</Arn>\n    <UserId>AIDA&lt;&amp;&gt;</UserId>\n    <Account>222222222222</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>req-1</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n"
        );
    }

    #[test]
    fn error_documents_escape_and_carry_the_encoded_message() {
        let e = WireError::Api(keyturn_core::Error::new(
            ErrorCode::ValidationError,
            "Value '<x>' & more",
        ));
        let doc = error(Service::Iam, &e, "req-1");
        assert_eq!(
            doc,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>ValidationError</Code>\n    <Message>Value &apos;&lt;x&gt;&apos; &amp; more</Message>\n  </Error>\n  <RequestId>req-1</RequestId>\n</ErrorResponse>\n"
        );
        let denied = WireError::Api(keyturn_core::Error::access_denied_encoded(
            "User: x is not authorized",
            "sealed-decision".to_owned(),
        ));
        let doc = error(Service::Sts, &denied, "req-2");
        assert!(
            doc.contains("    <Message>User: x is not authorized</Message>\n    <EncodedAuthorizationMessage>sealed-decision</EncodedAuthorizationMessage>\n  </Error>"),
            "{doc}"
        );
    }

    #[test]
    fn error_documents_carry_the_model_shapes_members() {
        let e = WireError::Api(
            keyturn_core::Error::new(ErrorCode::InvalidAttestationDocument, "bad document")
                .with_member("reason", "cannotParse"),
        );
        let doc = error(Service::Sts, &e, "req-4");
        assert!(
            doc.contains(
                "    <Message>bad document</Message>\n    <reason>cannotParse</reason>\n  </Error>"
            ),
            "{doc}"
        );
    }

    #[test]
    fn http_refusals_have_the_same_layout() {
        let refusal = HttpRefusal::too_large();
        let doc = error(Service::Sts, &WireError::Http(refusal), "req-3");
        // The layout of a table code's document, with the refusal's code.
        let like = keyturn_api::error_document(
            Service::Sts,
            ErrorCode::ValidationError,
            "Request body is too large.",
            "req-3",
        )
        .replace("ValidationError", "RequestEntityTooLarge");
        assert_eq!(doc, like);
    }
}
