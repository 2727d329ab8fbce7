//! Just enough DER to take the `SubjectPublicKeyInfo` out of an X.509 certificate.

/// One TLV: (tag, header length, content length).
fn tlv(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *bytes.first()?;
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some((tag, 2, usize::from(first)));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..count {
        len = (len << 8) | usize::from(*bytes.get(2 + i)?);
    }
    Some((tag, 2 + count, len))
}

/// The content of the SEQUENCE at the start of `bytes`, and what follows it.
fn sequence(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (tag, header, len) = tlv(bytes)?;
    if tag != 0x30 {
        return None;
    }
    let end = header.checked_add(len)?;
    Some((bytes.get(header..end)?, bytes.get(end..)?))
}

/// The whole TLV at the start of `bytes` (header included), and what follows it.
fn element(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, header, len) = tlv(bytes)?;
    let end = header.checked_add(len)?;
    Some((bytes.get(..end)?, bytes.get(end..)?))
}

/// The DER `SubjectPublicKeyInfo` of a DER certificate, or `None` when it is not one.
pub fn spki_from_certificate(certificate: &[u8]) -> Option<Vec<u8>> {
    let (certificate, _) = sequence(certificate)?;
    let (tbs, _) = sequence(certificate)?;
    let mut rest = tbs;
    // version [0] EXPLICIT, optional
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.1;
    }
    // serialNumber, signature, issuer, validity, subject
    for _ in 0..5 {
        rest = element(rest)?.1;
    }
    let (spki, _) = element(rest)?;
    (spki.first() == Some(&0x30)).then(|| spki.to_vec())
}
