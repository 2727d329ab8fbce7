//! The committed header `include/keyturn_plugin.h` must be exactly what cbindgen generates from `src/abi.rs`.
//! Set `KEYTURN_BLESS_HEADER=1` to rewrite it after changing the ABI.

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen_output() -> Result<(), Box<dyn std::error::Error>> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))?;
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/abi.rs"))
        .generate()?
        .write(&mut generated);
    let header_path = crate_dir.join("include/keyturn_plugin.h");
    if std::env::var_os("KEYTURN_BLESS_HEADER").is_some() {
        std::fs::write(&header_path, &generated)?;
    }
    let committed = std::fs::read(&header_path)?;
    assert!(
        committed == generated,
        "include/keyturn_plugin.h is stale: regenerate it with KEYTURN_BLESS_HEADER=1 cargo test -p keyturn-plugin --test header"
    );
    Ok(())
}
