//! Session claims built from the fuzzer's bytes, for the token and claims-codec round trips:
//! every kind of principal, every optional member, strings of any UTF-8 (the codec carries them
//! as they are), times anywhere a `OffsetDateTime` of whole seconds can be.

use keyturn_core::arn::Partition;
use keyturn_core::ids::{AccessKeyId, AccessKeyKind, AccountId, UniqueIdKind};
use keyturn_core::keyring::Keyring;
use keyturn_core::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};
use keyturn_core::token::SessionClaims;
use time::OffsetDateTime;

use crate::bytes::Bytes;

const PARTITIONS: [Partition; 3] = [Partition::Aws, Partition::AwsCn, Partition::AwsUsGov];

fn time(input: &mut Bytes<'_>) -> OffsetDateTime {
    // Years 1970 to about 2106: the range a u32 of seconds covers.
    OffsetDateTime::from_unix_timestamp(i64::from(input.u32()))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn optional(input: &mut Bytes<'_>, max: usize) -> Option<String> {
    input.flag().then(|| input.text(max))
}

fn list(input: &mut Bytes<'_>, max_items: u8, max: usize) -> Vec<String> {
    (0..input.byte() % max_items.max(1))
        .map(|_| input.text(max))
        .collect()
}

fn session(input: &mut Bytes<'_>, keyring: &Keyring, account: AccountId) -> RoleSession {
    let partition = *input.pick(&PARTITIONS).unwrap_or(&Partition::Aws);
    let role_name = input.text(64);
    RoleSession {
        partition,
        account,
        role_path: input.text(64),
        role_id: keyring.unique_id(UniqueIdKind::Role, account, &role_name),
        role_name,
        session_name: input.text(64),
    }
}

/// An access key id and claims from `input`; `None` when the bytes name no valid account.
pub fn claims(input: &mut Bytes<'_>, keyring: &Keyring) -> Option<(AccessKeyId, SessionClaims)> {
    let account = AccountId::new(u64::from(input.u32()) % 1_000_000_000_000)?;
    let partition = *input.pick(&PARTITIONS).unwrap_or(&Partition::Aws);
    let principal = match input.byte() % 7 {
        0 => Principal::Root { partition, account },
        1 => {
            let name = input.text(64);
            Principal::User {
                partition,
                account,
                path: input.text(64),
                unique_id: keyring.unique_id(UniqueIdKind::User, account, &name),
                name,
            }
        }
        2 => Principal::AssumedRole(session(input, keyring, account)),
        3 => Principal::WebIdentitySession {
            session: session(input, keyring, account),
            identity: WebIdentityInfo {
                provider: input.text(64),
                subject: input.text(64),
                audience: input.text(64),
            },
        },
        4 => Principal::SamlSession {
            session: session(input, keyring, account),
            identity: SamlInfo {
                provider_arn: input.text(64),
                subject: input.text(64),
                subject_type: input.text(32),
                issuer: input.text(64),
                audience: input.text(64),
                name_qualifier: input.text(64),
            },
        },
        5 => Principal::FederatedUser {
            partition,
            account,
            name: input.text(32),
        },
        _ => Principal::Role {
            partition,
            account,
            path: input.text(64),
            unique_id: keyring.unique_id(UniqueIdKind::Role, account, "r"),
            name: input.text(64),
        },
    };
    let mut random = [0u8; 5];
    random.iter_mut().for_each(|b| *b = input.byte());
    let access_key_id = AccessKeyId::from_parts(AccessKeyKind::Temporary, account, random);
    let issued_at = time(input);
    let expires_at = time(input);
    let mut c = SessionClaims::new(principal, issued_at, expires_at);
    c.mfa_authenticated_at = input.flag().then(|| time(input));
    c.source_identity = optional(input, 64);
    c.tags = (0..input.byte() % 6)
        .map(|_| (input.text(32), input.text(64)))
        .collect();
    c.transitive_tag_keys = list(input, 4, 32);
    c.session_policy = optional(input, 255);
    c.policy_arns = list(input, 4, 80);
    c.role_chained = input.flag();
    c.caller_arn = optional(input, 80);
    c.original_caller_arn = optional(input, 80);
    c.caller_id = input
        .flag()
        .then(|| keyring.unique_id(UniqueIdKind::User, account, "caller"));
    c.scope_policies = list(input, 4, 255);
    c.minimum_token_size = u16::from(input.byte()) * 16;
    Some((access_key_id, c))
}
