//! The committed header `include/keyturn.h` must be exactly what cbindgen generates from `src/`,
//! and its version must be the crate's. Set `KEYTURN_BLESS_HEADER=1` to rewrite it.

use std::path::Path;

fn generate() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))?;
    // The version lives in Cargo.toml only; the header gets it from here.
    config.after_includes = Some(format!(
        "\n#define KEYTURN_VERSION \"{}\"",
        env!("CARGO_PKG_VERSION")
    ));
    let mut builder = cbindgen::Builder::new().with_config(config);
    for file in ["status.rs", "boundary.rs", "engine.rs", "chunked.rs"] {
        builder = builder.with_src(crate_dir.join("src").join(file));
    }
    let mut generated = Vec::new();
    builder.generate()?.write(&mut generated);
    Ok(generated)
}

#[test]
fn committed_header_matches_cbindgen_output() -> Result<(), Box<dyn std::error::Error>> {
    let generated = generate()?;
    let header_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/keyturn.h");
    if std::env::var_os("KEYTURN_BLESS_HEADER").is_some() {
        std::fs::write(&header_path, &generated)?;
    }
    let committed = std::fs::read(&header_path)?;
    assert!(
        committed == generated,
        "include/keyturn.h is stale: regenerate it with KEYTURN_BLESS_HEADER=1 cargo test -p keyturn-c --test header"
    );
    Ok(())
}

#[test]
fn header_declares_the_crate_version() -> Result<(), Box<dyn std::error::Error>> {
    let header =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/keyturn.h"))?;
    let line = format!("#define KEYTURN_VERSION \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(header.contains(&line), "keyturn.h lacks `{line}`");
    Ok(())
}
