//! Parsing of the `Authorization` header, the presigned query parameters and the credential scope.

use crate::canonical::{split_byte, split_once_byte};
use crate::crypto::unhex32;
use crate::error::SigV4Error;
use crate::swar;

/// The SigV4 algorithm.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The SigV4a algorithm (ECDSA P-256 over SHA-256, scoped to a region set).
pub const ALGORITHM_V4A: &str = "AWS4-ECDSA-P256-SHA256";
/// The credential scope terminator.
pub const TERMINATOR: &str = "aws4_request";
/// The longest `X-Amz-Expires` AWS accepts: seven days.
pub const MAX_EXPIRES_SECS: u64 = 604_800;

/// `keyid/date/region/service/aws4_request`, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialScope<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// `YYYYMMDD`.
    pub date: &'a str,
    /// Region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Service, e.g. `sts`.
    pub service: &'a str,
    /// Normally `aws4_request`.
    pub terminator: &'a str,
}

/// SigV4a's `keyid/date/service/aws4_request` (no region: the region set is a header or
/// query parameter of its own), borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V4aCredentialScope<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// `YYYYMMDD`.
    pub date: &'a str,
    /// Service, e.g. `sts`.
    pub service: &'a str,
    /// Normally `aws4_request`.
    pub terminator: &'a str,
}

impl<'a> V4aCredentialScope<'a> {
    /// Splits a SigV4a credential into its four parts.
    pub fn parse(credential: &'a str) -> Result<Self, SigV4Error> {
        let mut it = split_byte(credential, b'/');
        match (it.next(), it.next(), it.next(), it.next(), it.next()) {
            (Some(k), Some(d), Some(s), Some(t), None) if !k.is_empty() => Ok(Self {
                access_key_id: k,
                date: d,
                service: s,
                terminator: t,
            }),
            _ => Err(SigV4Error::MalformedV4aCredential(credential.to_owned())),
        }
    }
}

impl<'a> CredentialScope<'a> {
    /// Splits a credential into its five parts.
    pub fn parse(credential: &'a str) -> Result<Self, SigV4Error> {
        let mut it = split_byte(credential, b'/');
        let parts = (
            it.next(),
            it.next(),
            it.next(),
            it.next(),
            it.next(),
            it.next(),
        );
        match parts {
            (Some(k), Some(d), Some(r), Some(s), Some(t), None) if !k.is_empty() => Ok(Self {
                access_key_id: k,
                date: d,
                region: r,
                service: s,
                terminator: t,
            }),
            _ => Err(SigV4Error::MalformedCredential(credential.to_owned())),
        }
    }
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorizationHeader<'a> {
    /// `Credential=` value.
    pub credential: &'a str,
    /// `SignedHeaders=` value.
    pub signed_headers: &'a str,
    /// `Signature=` value.
    pub signature: &'a str,
}

impl<'a> AuthorizationHeader<'a> {
    /// Parses the header; `has_date` says whether the request carries `X-Amz-Date`, so that a
    /// missing date is reported in the same message as missing parameters, as AWS does.
    pub fn parse(value: &'a str, has_date: bool) -> Result<Self, SigV4Error> {
        Self::parse_for(ALGORITHM, value, has_date)
    }

    /// [`Self::parse`] for `algorithm` ([`ALGORITHM`] or [`ALGORITHM_V4A`]).
    ///
    /// As AWS does, the parameters are `key=value` pieces separated by commas and whitespace,
    /// and nothing else may be there: a piece without `=` (`,xxxx`; an empty piece, `,,`) is
    /// refused with AWS's "not a valid key=value pair" text before the missing parameters are
    /// listed, and a key other than the three (`, Foo=bar`) is refused too.
    pub fn parse_for(algorithm: &str, value: &'a str, has_date: bool) -> Result<Self, SigV4Error> {
        let value = value.trim();
        let (alg, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
        if alg != algorithm {
            return Err(SigV4Error::UnsupportedAlgorithm(alg.to_owned()));
        }
        let (mut cred, mut signed, mut sig) = (None, None, None);
        // A header with no parameters at all lists what is missing (below); otherwise every
        // piece between commas must hold something.
        let blank = rest.trim().is_empty();
        for piece in split_byte(rest, b',').filter(|_| !blank) {
            let mut tokens = piece
                .split([' ', '\t'])
                .filter(|t| !t.is_empty())
                .peekable();
            if tokens.peek().is_none() {
                return Err(SigV4Error::NotKeyValue {
                    piece: String::new(),
                    header: value.to_owned(),
                });
            }
            for token in tokens {
                let Some((k, v)) = split_once_byte(token, b'=') else {
                    return Err(SigV4Error::NotKeyValue {
                        piece: token.to_owned(),
                        header: value.to_owned(),
                    });
                };
                let slot = match k {
                    "Credential" => &mut cred,
                    "SignedHeaders" => &mut signed,
                    "Signature" => &mut sig,
                    _ => {
                        return Err(SigV4Error::UnknownAuthParameter {
                            key: k.to_owned(),
                            header: value.to_owned(),
                        });
                    }
                };
                if slot.is_some() {
                    return Err(SigV4Error::DuplicateAuthParameter(k.to_owned()));
                }
                *slot = Some(v);
            }
        }
        match (cred, signed, sig) {
            (Some(credential), Some(signed_headers), Some(signature)) if has_date => Ok(Self {
                credential,
                signed_headers,
                signature,
            }),
            _ => {
                let mut msg = String::new();
                if cred.is_none() {
                    msg.push_str("Authorization header requires 'Credential' parameter. ");
                }
                if sig.is_none() {
                    msg.push_str("Authorization header requires 'Signature' parameter. ");
                }
                if signed.is_none() {
                    msg.push_str("Authorization header requires 'SignedHeaders' parameter. ");
                }
                if !has_date {
                    msg.push_str("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
                }
                msg.push_str("Authorization=");
                msg.push_str(value);
                Err(SigV4Error::IncompleteAuthorization(msg))
            }
        }
    }
}

/// An `Authorization` value in the form every SDK sends, parsed in one pass by [`parse_usual`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UsualAuthorization<'a> {
    /// The three parameters.
    pub header: AuthorizationHeader<'a>,
    /// The credential, split.
    pub scope: CredentialScope<'a>,
    /// The signature, decoded from its 64 hex digits.
    pub signature: [u8; 32],
}

/// One pass, eight bytes at a time, over `AWS4-HMAC-SHA256 Credential=k/d/r/s/t,
/// SignedHeaders=a;host;b, Signature=<64 hex digits>` (any number of spaces after the commas):
/// the parameters, the credential scope, the decoded signature, and the checks of
/// `SignedHeaders` (well-formed, signs `host`).
///
/// `None` for anything else (other order, tabs, odd bytes, an invalid scope or header list, a
/// signature that is not 64 hex digits…), which [`AuthorizationHeader::parse`] and the separate
/// checks then handle, with their exact errors. So `Some` means: the general path would return
/// these same values and find no error up to and including the signed-headers check.
pub(crate) fn parse_usual(value: &str) -> Option<UsualAuthorization<'_>> {
    const HEAD: &[u8] = b"AWS4-HMAC-SHA256 Credential=";
    let b = value.as_bytes();
    if !b.starts_with(HEAD) {
        return None;
    }
    // Credential: graphic ASCII up to the first comma, exactly four slashes, non-empty key id.
    let cred_start = HEAD.len();
    let mut slashes = [0usize; 4];
    let mut n = 0;
    let mut i = cred_start;
    let cred_end = loop {
        let x = swar::load(b, i, b',');
        let stops = swar::eq_lowest(x, b',');
        if swar::before_first(swar::not_graphic(x), stops) != 0 {
            return None;
        }
        let mut s = swar::before_first(swar::eq(x, b'/'), stops);
        while s != 0 {
            *slashes.get_mut(n)? = i + swar::first(s);
            n += 1;
            s &= s - 1;
        }
        if stops != 0 {
            break i + swar::first(stops);
        }
        i += 8;
    };
    if n != 4 || slashes[0] == cred_start || cred_end >= b.len() {
        return None;
    }
    // SignedHeaders: lowercase names joined by single semicolons, one of them `host`.
    let sh_start = skip_spaces(b, cred_end + 1) + 14;
    if b.get(sh_start - 14..sh_start)? != b"SignedHeaders=" {
        return None;
    }
    let mut i = sh_start;
    let mut seg = sh_start;
    let mut host = false;
    let sh_end = loop {
        let x = swar::load(b, i, b',');
        let stops = swar::eq_lowest(x, b',');
        // Only whether a bad byte precedes the comma matters, so the cheaper test serves.
        let bad = swar::not_graphic(x) | swar::upper(x) | swar::eq_lowest(x, b':');
        if swar::before_first(bad, stops) != 0 {
            return None;
        }
        // Segment ends: the semicolons, then the comma.
        let mut s = swar::before_first(swar::eq(x, b';'), stops) | (stops & stops.wrapping_neg());
        while s != 0 {
            let end = i + swar::first(s);
            if end == seg {
                return None;
            }
            host |= b.get(seg..end)? == b"host";
            seg = end + 1;
            s &= s - 1;
        }
        if stops != 0 {
            break i + swar::first(stops);
        }
        i += 8;
    };
    if !host || sh_end >= b.len() {
        return None;
    }
    let sig_start = skip_spaces(b, sh_end + 1) + 10;
    if b.get(sig_start - 10..sig_start)? != b"Signature=" {
        return None;
    }
    let signature = unhex32(b.get(sig_start..)?)?;
    Some(UsualAuthorization {
        header: AuthorizationHeader {
            credential: value.get(cred_start..cred_end)?,
            signed_headers: value.get(sh_start..sh_end)?,
            signature: value.get(sig_start..)?,
        },
        scope: CredentialScope {
            access_key_id: value.get(cred_start..slashes[0])?,
            date: value.get(slashes[0] + 1..slashes[1])?,
            region: value.get(slashes[1] + 1..slashes[2])?,
            service: value.get(slashes[2] + 1..slashes[3])?,
            terminator: value.get(slashes[3] + 1..cred_end)?,
        },
        signature,
    })
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The presigned-URL parameters, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PresignParams {
    /// `X-Amz-Algorithm`.
    pub algorithm: Option<String>,
    /// `X-Amz-Credential`.
    pub credential: Option<String>,
    /// `X-Amz-Date`.
    pub date: Option<String>,
    /// `X-Amz-Expires`.
    pub expires: Option<String>,
    /// `X-Amz-SignedHeaders`.
    pub signed_headers: Option<String>,
    /// `X-Amz-Signature`.
    pub signature: Option<String>,
    /// `X-Amz-Security-Token`.
    pub security_token: Option<String>,
    /// `X-Amz-Region-Set` (SigV4a).
    pub region_set: Option<String>,
}

impl PresignParams {
    /// Extracts the `X-Amz-*` parameters from a raw query; `Ok(None)` if there is no `X-Amz-Algorithm`.
    pub fn parse(query: &str) -> Result<Option<Self>, SigV4Error> {
        if !query.contains("X-Amz-") && !query.contains('%') {
            return Ok(None);
        }
        let mut p = Self::default();
        for part in query.split('&') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = percent_encoding::percent_decode_str(k).decode_utf8_lossy();
            let (slot, name) = match &*k {
                "X-Amz-Algorithm" => (&mut p.algorithm, "X-Amz-Algorithm"),
                "X-Amz-Credential" => (&mut p.credential, "X-Amz-Credential"),
                "X-Amz-Date" => (&mut p.date, "X-Amz-Date"),
                "X-Amz-Expires" => (&mut p.expires, "X-Amz-Expires"),
                "X-Amz-SignedHeaders" => (&mut p.signed_headers, "X-Amz-SignedHeaders"),
                "X-Amz-Signature" => (&mut p.signature, "X-Amz-Signature"),
                "X-Amz-Security-Token" => (&mut p.security_token, "X-Amz-Security-Token"),
                "X-Amz-Region-Set" => (&mut p.region_set, "X-Amz-Region-Set"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(SigV4Error::DuplicateAuthParameter(name.to_owned()));
            }
            let v = percent_encoding::percent_decode_str(v)
                .decode_utf8()
                .map_err(|_| {
                    SigV4Error::InvalidRequest(format!("Invalid query parameter '{name}'"))
                })?;
            *slot = Some(v.into_owned());
        }
        Ok(p.algorithm.is_some().then_some(p))
    }
}

/// Parses `X-Amz-Expires`: a whole number of seconds from 1 to 604800 (seven days).
///
/// A negative number is AWS's "must be non-negative"; `0` is a URL that expired when it was
/// signed, refused as expired whatever the clock says ([`SigV4Error::RequestExpired`], what
/// AWS answers for it).
pub fn parse_expires(v: &str) -> Result<u64, SigV4Error> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SigV4Error::MalformedExpires);
    }
    let n: u64 = digits.parse().map_err(|_| SigV4Error::MalformedExpires)?;
    if digits.len() != v.len() && n != 0 {
        Err(SigV4Error::NegativeExpires)
    } else if n == 0 {
        Err(SigV4Error::RequestExpired)
    } else if n > MAX_EXPIRES_SECS {
        Err(SigV4Error::ExpiresTooLarge)
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header() {
        let h = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        let a = AuthorizationHeader::parse(h, true);
        assert_eq!(a.map(|a| a.signed_headers), Ok("host;x-amz-date"));
    }

    #[test]
    fn lists_everything_missing() {
        let e = AuthorizationHeader::parse("AWS4-HMAC-SHA256 Signature=x", false).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Signature=x"
            )
        );
    }

    #[test]
    fn rejects_other_algorithms_and_duplicates() {
        assert_eq!(
            AuthorizationHeader::parse("AWS4-HMAC-SHA512 Credential=a", true)
                .err()
                .map(|e| e.code()),
            Some("IncompleteSignature")
        );
        let dup = "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, Credential=a/b/c/d/e, SignedHeaders=host, Signature=x";
        assert!(matches!(
            AuthorizationHeader::parse(dup, true),
            Err(SigV4Error::DuplicateAuthParameter(_))
        ));
    }

    /// Anything after or between the three parameters that is not one of them is refused, with
    /// AWS's text where AWS's is known, instead of being skipped.
    #[test]
    fn extra_pieces_are_refused() {
        let valid = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert!(AuthorizationHeader::parse(valid, true).is_ok());
        let refused = |extra: &str| {
            let h = format!("{valid}{extra}");
            let e = AuthorizationHeader::parse(&h, true).err();
            assert_eq!(
                e.as_ref().map(SigV4Error::code),
                Some("IncompleteSignature"),
                "{h}"
            );
            e.map(|e| e.to_string()).unwrap_or_default()
        };
        assert_eq!(
            refused(",xxxx"),
            format!(
                "'xxxx' not a valid key=value pair (missing equal-sign) in Authorization header: '{valid},xxxx'."
            )
        );
        assert_eq!(
            refused(",,,,"),
            format!(
                "'' not a valid key=value pair (missing equal-sign) in Authorization header: '{valid},,,,'."
            )
        );
        assert_eq!(
            refused(", "),
            format!(
                "'' not a valid key=value pair (missing equal-sign) in Authorization header: '{valid},'."
            )
        );
        assert_eq!(
            refused(", Foo=bar"),
            format!(
                "'Foo' is not a valid Authorization header parameter (expected Credential, SignedHeaders and Signature) in Authorization header: '{valid}, Foo=bar'."
            )
        );
        // Whitespace separates pieces too: a credential with a space in it is AWS's example.
        let spaced = "AWS4-HMAC-SHA256 Credential=not valid/20180109/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(
            AuthorizationHeader::parse(spaced, true).map_err(|e| e.to_string()),
            Err(format!(
                "'valid/20180109/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '{spaced}'."
            ))
        );
        // A piece without `=` is reported before the missing parameters.
        assert!(matches!(
            AuthorizationHeader::parse("AWS4-HMAC-SHA256 Credential", false),
            Err(SigV4Error::NotKeyValue { .. })
        ));
        // No parameters at all still lists what is missing.
        assert!(matches!(
            AuthorizationHeader::parse("AWS4-HMAC-SHA256 ", true),
            Err(SigV4Error::IncompleteAuthorization(_))
        ));
        // Tabs and several spaces between the pieces are still one separator.
        let tabs = "AWS4-HMAC-SHA256\tCredential=a/b/c/d/e,\t SignedHeaders=host ,  Signature=abc";
        assert_eq!(
            AuthorizationHeader::parse(tabs, true).map(|a| (
                a.credential,
                a.signed_headers,
                a.signature
            )),
            Ok(("a/b/c/d/e", "host", "abc"))
        );
    }

    /// Every one-byte insertion, replacement and deletion of a few usual headers: whenever the
    /// one-pass parser accepts, the general parser and checks agree and find nothing wrong.
    #[test]
    fn usual_parser_agrees_with_the_general_one() {
        use crate::canonical::{signs_host, valid_signed_headers};
        let bases = [
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            "AWS4-HMAC-SHA256 Credential=A/2/r/s/t,SignedHeaders=host,Signature=5D672D79C15B13162D9279B0855CFBA6789A8EDB4C82C400E06B5924A6F2B5D7",
            "AWS4-HMAC-SHA256 Credential=A=B//r/s/aws4_request,  SignedHeaders=a;host;hosts;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request,SignedHeaders=host,Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        ];
        let bytes = b" \t,=/;:Aah\x7f\n-";
        let mut accepted = 0;
        let mut checked = 0;
        for base in bases {
            assert!(parse_usual(base).is_some(), "{base}");
            let mut variants = Vec::new();
            for p in 0..=base.len() {
                for &c in bytes {
                    let mut v = base.as_bytes().to_vec();
                    v.insert(p, c);
                    variants.push(v);
                    if p < base.len() {
                        let mut v = base.as_bytes().to_vec();
                        v[p] = c;
                        variants.push(v);
                    }
                }
                if p < base.len() {
                    let mut v = base.as_bytes().to_vec();
                    v.remove(p);
                    variants.push(v);
                }
            }
            for v in variants {
                let v = String::from_utf8(v).unwrap();
                checked += 1;
                let Some(fast) = parse_usual(&v) else {
                    continue;
                };
                accepted += 1;
                let slow = AuthorizationHeader::parse(&v, true).unwrap();
                assert_eq!(fast.header, slow, "{v}");
                assert_eq!(
                    Ok(fast.scope),
                    CredentialScope::parse(slow.credential),
                    "{v}"
                );
                assert!(valid_signed_headers(slow.signed_headers), "{v}");
                assert!(signs_host(slow.signed_headers), "{v}");
            }
        }
        // Both outcomes are exercised.
        assert!(
            accepted > 500 && accepted < checked / 2,
            "{accepted}/{checked}"
        );
    }

    #[test]
    fn scope_and_expires() {
        assert!(CredentialScope::parse("a/b/c/d").is_err());
        assert!(CredentialScope::parse("a/b/c/d/e/f").is_err());
        assert_eq!(parse_expires("604800"), Ok(604_800));
        assert_eq!(parse_expires("1"), Ok(1));
        assert_eq!(parse_expires("604801"), Err(SigV4Error::ExpiresTooLarge));
        // Zero expired when it was signed; negatives have AWS's own text.
        assert_eq!(parse_expires("0"), Err(SigV4Error::RequestExpired));
        assert_eq!(parse_expires("000"), Err(SigV4Error::RequestExpired));
        assert_eq!(parse_expires("-0"), Err(SigV4Error::RequestExpired));
        assert_eq!(parse_expires("-1"), Err(SigV4Error::NegativeExpires));
        assert_eq!(
            SigV4Error::NegativeExpires.to_string(),
            "X-Amz-Expires must be non-negative"
        );
        assert_eq!(parse_expires("-"), Err(SigV4Error::MalformedExpires));
        assert_eq!(parse_expires("--1"), Err(SigV4Error::MalformedExpires));
        assert_eq!(parse_expires("+1"), Err(SigV4Error::MalformedExpires));
        assert_eq!(parse_expires(""), Err(SigV4Error::MalformedExpires));
        assert_eq!(
            parse_expires("99999999999999999999999"),
            Err(SigV4Error::MalformedExpires)
        );
    }
}
