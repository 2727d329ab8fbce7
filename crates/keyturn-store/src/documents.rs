//! The stored form of the model, shared by the SQL stores: one JSON document per account (the
//! unit the engine reads and the configuration replaces) kept in the model's order, and the
//! organization as one JSON document.

use keyturn_core::iam::{Account, IamData};
use keyturn_core::store::{Result, StoreError};

/// Account rows as stored: `(id, document)`, in the model's order.
pub(crate) type Rows = Vec<(String, String)>;

/// What a write does to the account rows: the `(position, id, document)` to insert or update,
/// and the ids to delete.
pub(crate) struct RowChanges {
    /// Rows that are new or differ (by id, position or document).
    pub upserts: Vec<(i64, String, String)>,
    /// Ids that the model no longer has.
    pub deletes: Vec<String>,
}

/// `value` as a signed 64-bit column.
///
/// # Errors
/// [`StoreError::InvalidData`] when it does not fit.
pub(crate) fn to_i64(value: u64, what: &str) -> Result<i64> {
    i64::try_from(value)
        .map_err(|_| StoreError::InvalidData(format!("{what} {value} is too large")))
}

/// A signed column read back as the unsigned value it holds.
///
/// # Errors
/// [`StoreError::Corrupt`] for a negative value.
pub(crate) fn to_u64(value: i64, what: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("negative {what} {value}")))
}

/// One account's document.
pub(crate) fn encode(account: &Account) -> Result<String> {
    serde_json::to_string(account).map_err(|e| StoreError::InvalidData(e.to_string()))
}

/// Every account's row, in order.
pub(crate) fn encode_accounts(data: &IamData) -> Result<Rows> {
    data.accounts
        .iter()
        .map(|a| encode(a).map(|doc| (a.id.clone(), doc)))
        .collect()
}

/// The organization's document, if the model has one.
pub(crate) fn encode_organization(data: &IamData) -> Result<Option<String>> {
    data.organization
        .as_ref()
        .map(|o| serde_json::to_string(o).map_err(|e| StoreError::InvalidData(e.to_string())))
        .transpose()
}

/// The model from its stored rows.
///
/// # Errors
/// [`StoreError::Corrupt`] naming the document that does not decode.
pub(crate) fn decode(rows: Rows, organization: Option<&str>) -> Result<IamData> {
    let organization = organization
        .map(|doc| {
            serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(format!("organization: {e}")))
        })
        .transpose()?;
    let accounts = rows
        .into_iter()
        .map(|(id, document)| {
            serde_json::from_str::<Account>(&document)
                .map_err(|e| StoreError::Corrupt(format!("account `{id}`: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(IamData {
        accounts,
        organization,
    })
}

/// The row writes that turn `current` into `data`'s accounts: only the rows that differ.
pub(crate) fn row_changes(current: &[(String, String)], data: &IamData) -> Result<RowChanges> {
    let mut upserts = Vec::new();
    for (position, account) in data.accounts.iter().enumerate() {
        let document = encode(account)?;
        let unchanged = current
            .get(position)
            .is_some_and(|(id, doc)| *id == account.id && *doc == document);
        if !unchanged {
            upserts.push((
                to_i64(position as u64, "position")?,
                account.id.clone(),
                document,
            ));
        }
    }
    let deletes = current
        .iter()
        .filter(|(id, _)| data.account(id).is_none())
        .map(|(id, _)| id.clone())
        .collect();
    Ok(RowChanges { upserts, deletes })
}
