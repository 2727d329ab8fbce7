//! The OIDC and SAML plugins both export the C ABI's entry points (`keyturn_plugin_probe`,
//! `keyturn_plugin_init`) as unmangled symbols, for their cdylibs. The fuzz targets link both
//! libraries into one program (each target binary), which never calls those entry
//! points: let the linker keep the first definition of each instead of refusing the pair.
fn main() {
    println!("cargo:rustc-link-arg=-Wl,--allow-multiple-definition");
}
