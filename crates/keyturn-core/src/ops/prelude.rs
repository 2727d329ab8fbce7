//! What an operation file starts from: `use crate::ops::prelude::*;` brings the
//! [`operation!`](crate::ops::operation) macro and the types an operation's functions name.

pub(crate) use keyturn_api::NoOutput;

pub(crate) use crate::ops::{Conditions, Context, operation};
pub(crate) use crate::{Error, ErrorCode};
