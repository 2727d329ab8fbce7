//! The runtime of the generated members (`rt::member`) on hand-written shapes: required and
//! optional members, lists, maps and nested structures, decoded, validated and written.

use crate::rt::{At, Constraint, Failures, InputShape, OutputShape, Scope};
use crate::{ApiError, ErrorCode, Params, SecretString, XmlWriter};

const KEY: Constraint = Constraint::range(Some(2), Some(3));
const PAIRS: Constraint = Constraint::range(None, Some(1));
const WORD: Constraint = Constraint::range(Some(2), None).one_of(&["ab", "cd"]);
const SECRET: Constraint = Constraint::range(Some(3), None).sensitive();

crate::rt::shape! {
    /// A structure with a required string and an optional number, through the generator's
    /// macro (the request below is written by hand, as the macro would expand it).
    pub struct Pair [input output] {
        key: String = "Key" "key" => &KEY,
        value: Option<i32> = "Value" "value",
    }; shown = |v: &Pair| format!("Pair(key={})", v.key)
}

/// A request with every kind of member.
#[derive(Debug, Default, PartialEq)]
struct Request {
    name: String,
    pairs: Option<Vec<Pair>>,
    words: Option<Vec<String>>,
    map: Option<Vec<(String, i64)>>,
    flag: Option<bool>,
    blob: Option<Vec<u8>>,
    secret: Option<SecretString>,
    inner: Option<Pair>,
}

impl InputShape for Request {
    fn decode(s: &Scope<'_>, at: At<'_>) -> Result<Self, ApiError> {
        Ok(Self {
            name: s.field(at, "Name", "name")?,
            pairs: s.field(at, "Pairs", "pairs")?,
            words: s.field(at, "Words", "words")?,
            map: s.field(at, "Map", "map")?,
            flag: s.field(at, "Flag", "flag")?,
            blob: s.field(at, "Blob", "blob")?,
            secret: s.field(at, "Secret", "secret")?,
            inner: s.field(at, "Inner", "inner")?,
        })
    }

    fn validate_into(&self, at: At<'_>, f: &mut Failures) {
        f.check(at, "pairs", &self.pairs, &PAIRS);
        f.check(at, "words", &self.words, ((), &WORD));
        f.check(at, "secret", &self.secret, &SECRET);
        f.check(at, "inner", &self.inner, ());
    }
}

impl OutputShape for Request {
    fn write_members(&self, w: &mut XmlWriter) {
        w.member("Name", &self.name);
        w.member("Pairs", &self.pairs);
        w.member("Words", &self.words);
        w.member("Map", &self.map);
        w.member("Flag", &self.flag);
        w.member("Blob", &self.blob);
        w.member("Inner", &self.inner);
    }
}

fn decode(body: &str) -> Result<Request, ApiError> {
    let p = Params::parse(body.as_bytes())?;
    Request::decode(&Scope::top(&p), At::Root)
}

fn failures(r: &Request) -> Result<(), ApiError> {
    let mut f = Failures::default();
    r.validate_into(At::Root, &mut f);
    f.finish()
}

#[test]
fn every_kind_of_member_decodes() {
    let r = decode(
        "Name=n&Pairs.member.2.Key=k2&Pairs.member.1.Key=k1&Pairs.member.1.Value=-4\
         &Words.member.1=ab&Words.member.2.Other=x&Map.entry.1.key=a&Map.entry.1.value=7\
         &Map.entry.2.key=b&Flag=true&Blob=aGk%3D&Secret=s3cr&Inner.Key=ik",
    )
    .unwrap();
    assert_eq!(r.name, "n");
    let pair = |k: &str, v| Pair {
        key: k.to_owned(),
        value: v,
    };
    assert_eq!(r.pairs, Some(vec![pair("k1", Some(-4)), pair("k2", None)]));
    // A scalar element without a value of its own, a map entry without both, are skipped.
    assert_eq!(r.words, Some(vec!["ab".to_owned()]));
    assert_eq!(r.map, Some(vec![("a".to_owned(), 7)]));
    assert_eq!(r.flag, Some(true));
    assert_eq!(r.blob.as_deref(), Some(&b"hi"[..]));
    assert_eq!(r.secret.as_ref().map(SecretString::expose), Some("s3cr"));
    assert_eq!(r.inner, Some(pair("ik", None)));
    // Absent optional members stay `None`; a bare `Words=` is an empty list.
    let r = decode("Name=n&Words=").unwrap();
    assert_eq!((r.pairs, r.words, r.inner), (None, Some(vec![]), None));
}

#[test]
fn missing_and_malformed_members_are_awss_errors() {
    let not_null = |at: &str| {
        format!(
            "1 validation error detected: Value null at '{at}' failed to satisfy constraint: Member must not be null"
        )
    };
    let cases = [
        (
            "Words.member.1=ab",
            ErrorCode::MissingParameter,
            "The request must contain the parameter Name".to_owned(),
        ),
        (
            "Name=n&Pairs.member.1.Key=a&Pairs.member.2.Value=1",
            ErrorCode::ValidationError,
            not_null("pairs.2.member.key"),
        ),
        (
            "Name=n&Inner.Value=1",
            ErrorCode::ValidationError,
            not_null("inner.key"),
        ),
        (
            "Name=n&Pairs.member.1.Key=a&Pairs.member.1.Value=x",
            ErrorCode::InvalidParameterValue,
            "Value (x) for parameter Value is invalid. Expected an integer.".to_owned(),
        ),
        (
            "Name=n&Flag=yes",
            ErrorCode::InvalidParameterValue,
            "Value (yes) for parameter Flag is invalid. Expected a boolean.".to_owned(),
        ),
    ];
    for (body, code, message) in cases {
        let e = decode(body).unwrap_err();
        assert_eq!((e.code, e.message), (code, message), "{body}");
    }
}

#[test]
fn rules_check_members_lists_and_elements() {
    assert!(failures(&decode("Name=n").unwrap()).is_ok());
    let r = decode(
        "Name=n&Pairs.member.1.Key=a&Pairs.member.2.Key=bb&Words.member.1=ab&Words.member.2=x\
         &Secret=no&Inner.Key=toolong",
    )
    .unwrap();
    let e = failures(&r).unwrap_err();
    assert_eq!(
        e.message,
        "6 validation errors detected: \
         Value '[Pair(key=a), Pair(key=bb)]' at 'pairs' failed to satisfy constraint: Member must have length less than or equal to 1; \
         Value 'a' at 'pairs.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 2; \
         Value 'x' at 'words.2.member' failed to satisfy constraint: Member must have length greater than or equal to 2; \
         Value 'x' at 'words.2.member' failed to satisfy constraint: Member must satisfy enum value set: [ab, cd]; \
         Value at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 3; \
         Value 'toolong' at 'inner.key' failed to satisfy constraint: Member must have length less than or equal to 3"
    );
}

#[test]
fn members_are_written_as_their_types_say() {
    let r = decode(
        "Name=a%26b&Pairs.member.1.Key=k&Pairs.member.1.Value=3&Words=&Map.entry.1.key=a\
         &Map.entry.1.value=7&Flag=false&Blob=aGk%3D&Secret=s&Inner.Key=ik",
    )
    .unwrap();
    let mut w = XmlWriter::new(0, 0);
    r.write_members(&mut w);
    assert_eq!(
        w.finish(),
        "<Name>a&amp;b</Name>\n<Pairs>\n  <member>\n    <Key>k</Key>\n    <Value>3</Value>\n  </member>\n</Pairs>\n\
         <Words/>\n<Map>\n  <entry>\n    <key>a</key>\n    <value>7</value>\n  </entry>\n</Map>\n\
         <Flag>false</Flag>\n<Blob>aGk=</Blob>\n<Inner>\n  <Key>ik</Key>\n</Inner>"
    );
}
