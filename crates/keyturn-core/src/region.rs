//! Region names and the partitions they belong to.
//!
//! An endpoint serves, by default, every region of the `aws` partition: botocore's partition
//! data (`partitions.json`, 1.44.18) lists the known ones (`us-east-1` ... `mx-central-1`,
//! `me-west-1`, `sa-west-1`) and gives each partition a `regionRegex` that decides membership
//! of a region it does not list yet; Keyturn applies the pattern, so a new region needs no
//! release.

use crate::arn::Partition;

/// Whether `region` is a region name of the `aws` partition (botocore's `regionRegex`, see [`region_in_partition`]): the
/// regions an endpoint serves when its configuration lists none.
pub fn aws_region(region: &str) -> bool {
    region_in_partition(region, Partition::Aws)
}

/// Whether `region` is a region name of `partition` (botocore's `regionRegex` of each partition:
/// `aws` is `^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`).
pub fn region_in_partition(region: &str, partition: Partition) -> bool {
    // On the authentication path of every request: bytes, no iterator of pieces. `area-word-N`:
    // the word's class excludes `-`, so the first and the last dash split exactly three parts.
    let b = region.as_bytes();
    let (Some(first), Some(last)) = (
        b.iter().position(|&c| c == b'-'),
        b.iter().rposition(|&c| c == b'-'),
    ) else {
        return false;
    };
    let (area, word, number) = (
        &b[..first],
        &b[first + 1..last.max(first + 1)],
        &b[last + 1..],
    );
    let word_ok = !word.is_empty() && word.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_');
    let number_ok = !number.is_empty() && number.iter().all(u8::is_ascii_digit);
    let areas: &[&[u8]] = match partition {
        Partition::Aws => &[
            b"us", b"eu", b"ap", b"sa", b"ca", b"me", b"af", b"il", b"mx",
        ],
        Partition::AwsCn => &[b"cn"],
        // `us-gov-west-1`: four parts, never matched above.
        Partition::AwsUsGov => &[],
    };
    word_ok && number_ok && areas.contains(&area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_partition_regions_and_no_other() {
        for r in [
            "us-east-1",
            "eu-west-3",
            "ap-southeast-7",
            "il-central-1",
            "mx-central-1",
        ] {
            assert!(region_in_partition(r, Partition::Aws), "{r}");
        }
        for r in [
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "eu-isoe-west-1",
            "aws-global",
            "us-east",
            "us--1",
            "xx-east-1",
            "us-east-1a",
            "us-ea-st-1",
            "us-1",
            "-east-1",
            "us-east-",
            "",
        ] {
            assert!(!region_in_partition(r, Partition::Aws), "{r}");
        }
        assert!(region_in_partition("cn-northwest-1", Partition::AwsCn));
    }
}
