//! IAM's list paging (`Marker`, `MaxItems`, `IsTruncated`), `PathPrefix` filtering and the
//! URL encoding of policy documents.

use crate::ErrorCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::Error;

/// `MaxItems` when the request has none.
pub const DEFAULT_MAX_ITEMS: i32 = 100;
/// The largest `MaxItems` (the model's `maxItemsType`: 1–1000).
pub const MAX_MAX_ITEMS: i32 = 1000;

/// The message of a `Marker` that this service did not issue (or that no longer fits the
/// list): `ValidationError` "Invalid Marker.", as IAM answers and as other IAM emulators
/// reproduce it (faiscadev/fakecloud #1615).
pub const INVALID_MARKER: &str = "Invalid Marker.";

/// What a marker says before encoding: a version tag, so a later format can refuse old ones.
const MARKER_TAG: &str = "kt1:";

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page, in the list's order.
    pub items: Vec<T>,
    /// Whether more items follow (`IsTruncated`).
    pub is_truncated: bool,
    /// The `Marker` that asks for the next page; present exactly when `is_truncated`.
    pub marker: Option<String>,
}

/// Cuts `items` (already filtered and in the list's order) into the page that `marker` and
/// `max_items` ask for, as IAM does: at most `max_items` (1–1000, default 100), starting where
/// the previous page's `marker` points.
///
/// The marker is opaque to clients: a versioned position, base64url-encoded. Markers stay valid
/// while the list does not shrink below them; one that does not decode, or points past the end,
/// is refused.
///
/// # Errors
/// `ValidationError`: `MaxItems` outside 1–1000 (AWS's constraint text), or a marker that is not
/// one of ours ([`INVALID_MARKER`]).
pub fn paginate<T>(
    items: Vec<T>,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<Page<T>, Error> {
    let max = max_items.unwrap_or(DEFAULT_MAX_ITEMS);
    if max < 1 {
        return Err(max_items_error(max, "greater than or equal to 1"));
    }
    if max > MAX_MAX_ITEMS {
        return Err(max_items_error(max, "less than or equal to 1000"));
    }
    let start = match marker {
        None => 0,
        Some(m) => decode_marker(m)
            .filter(|&i| i <= items.len())
            .ok_or_else(|| Error::new(ErrorCode::ValidationError, INVALID_MARKER.to_owned()))?,
    };
    // `max` is 1..=1000 here.
    let end = start
        .saturating_add(usize::try_from(max).unwrap_or(1))
        .min(items.len());
    let is_truncated = end < items.len();
    let items: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
    Ok(Page {
        items,
        is_truncated,
        marker: is_truncated.then(|| encode_marker(end)),
    })
}

fn max_items_error(value: i32, bound: &str) -> Error {
    Error::new(
        ErrorCode::ValidationError,
        format!(
            "1 validation error detected: Value '{value}' at 'maxItems' failed to satisfy constraint: \
         Member must have value {bound}"
        ),
    )
}

fn encode_marker(position: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{MARKER_TAG}{position}"))
}

fn decode_marker(marker: &str) -> Option<usize> {
    let raw = URL_SAFE_NO_PAD.decode(marker).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    let digits = text.strip_prefix(MARKER_TAG)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether `path` is listed under `PathPrefix` `prefix` (`/` when absent, which lists all).
pub fn path_matches(path: &str, prefix: Option<&str>) -> bool {
    path.starts_with(prefix.unwrap_or("/"))
}

/// A policy document as IAM returns it (`AssumeRolePolicyDocument`, `PolicyDocument`,
/// `Document`): URL-encoded per RFC 3986, every byte but the unreserved `A-Z a-z 0-9 - . _ ~`
/// written `%XX` (upper-case hex). SDKs decode it; the CLI shows it decoded.
pub fn url_encode_document(document: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(document.len() * 2);
    for &b in document.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}
