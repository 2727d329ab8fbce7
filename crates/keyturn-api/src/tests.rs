//! Tests of the generated code against AWS's texts (ported from keyturn-core's and
//! keyturn-server's hand-written layer, same inputs, same texts) and of the runtime.

mod decode;
mod errors;
mod member;
mod patterns;
mod validate;
mod well_formed;
mod xml;
