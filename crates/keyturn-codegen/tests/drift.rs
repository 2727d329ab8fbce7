//! The committed `keyturn-api/src/generated/` is what the generator writes from the models.
//! Without `../shared/reference` (a clone of the project alone) the checks are skipped.

use std::path::Path;

fn root_with_models() -> Option<std::path::PathBuf> {
    let root = keyturn_codegen::workspace_root();
    if keyturn_codegen::models_present(&root) {
        Some(root)
    } else {
        println!("skipped: ../shared/reference not found");
        None
    }
}

#[test]
fn committed_files_match_the_models() {
    let Some(root) = root_with_models() else {
        return;
    };
    let files = keyturn_codegen::generate(&root).unwrap();
    let drifted = keyturn_codegen::drifted(&root, &files);
    assert!(
        drifted.is_empty(),
        "generated files differ from the models; run `cargo run -p keyturn-codegen`: {drifted:?}"
    );
    for (path, text) in &files {
        let lines = text.lines().count();
        assert!(lines <= 1000, "{}: {lines} lines", path.display());
    }
}

#[test]
fn every_sts_operation_of_the_model_is_listed() {
    let Some(root) = root_with_models() else {
        return;
    };
    let text = std::fs::read_to_string(
        root.join(keyturn_codegen::MODELS)
            .join("sts-2011-06-15.service-2.json"),
    )
    .unwrap();
    let m = keyturn_codegen::model::Model::parse("sts", "Sts", &text).unwrap();
    let ops = m.json["operations"].as_object().unwrap();
    assert_eq!(ops.len(), 15);
    let listed = std::fs::read_to_string(root.join(keyturn_codegen::OPERATIONS)).unwrap();
    for op in ops.keys() {
        assert!(
            listed.lines().any(|l| l == format!("sts {op}")),
            "{op} not listed"
        );
    }
}

#[test]
fn a_bad_operation_list_is_refused() {
    let Some(root) = root_with_models() else {
        return;
    };
    // A scratch workspace: the real models, an operation list naming an unknown operation.
    let scratch = std::env::temp_dir().join(format!("keyturn-codegen-{}", std::process::id()));
    let ws = scratch.join("ws");
    std::fs::create_dir_all(ws.join("crates/keyturn-api")).unwrap();
    let models = scratch.join("shared/reference/botocore-1.44.18");
    std::fs::create_dir_all(&models).unwrap();
    for f in [
        "sts-2011-06-15.service-2.json",
        "iam-2010-05-08.service-2.json",
    ] {
        std::fs::copy(root.join(keyturn_codegen::MODELS).join(f), models.join(f)).unwrap();
    }
    std::fs::write(
        ws.join(keyturn_codegen::OPERATIONS),
        "sts AssumeRole\nsts NoSuchOp\n",
    )
    .unwrap();
    let err = keyturn_codegen::generate(&ws).err().unwrap_or_default();
    assert!(err.contains("no operation NoSuchOp"), "{err}");
    std::fs::write(ws.join(keyturn_codegen::OPERATIONS), "sts AssumeRole\n").unwrap();
    let files = keyturn_codegen::generate(&ws).unwrap();
    assert!(
        files
            .iter()
            .any(|(p, t)| p.ends_with(Path::new("sts.rs")) && t.contains("\"AssumeRole\""))
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
