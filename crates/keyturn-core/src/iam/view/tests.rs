//! Tests of the IAM read view.
