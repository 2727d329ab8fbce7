//! The one constraint table of both services (`generated/constraints.rs`): each distinct
//! constraint written once, under the names of every model shape that has it (STS's
//! `tagKeyType` and IAM's are one row; IAM's `groupNameType`, `policyNameType`, … one row of
//! several names).

/// One row: the names (the first one holds the value, the others are aliases of it), the
/// shapes that have it (service, shape) and the constraint's builder text.
struct Row {
    names: Vec<String>,
    shapes: Vec<(String, String)>,
    value: String,
}

/// The constraint table, filled service by service.
#[derive(Default)]
pub struct Constraints {
    rows: Vec<Row>,
}

impl Constraints {
    /// The name of `service`'s `shape` with the constraint `value`, added to the table: the
    /// row of that value (a new one if none), under the shape's name in upper snake case
    /// (`name`); a name that another row holds gets the service as prefix (`IAM_ARN_TYPE`, as
    /// STS's `arnType` has another pattern), and `_` while still taken.
    pub(crate) fn add(&mut self, service: &str, shape: &str, name: &str, value: String) -> String {
        let taken = |rows: &[Row], n: &str| {
            rows.iter()
                .any(|r| r.value != value && r.names.iter().any(|x| x == n))
        };
        let mut name = name.to_owned();
        if taken(&self.rows, &name) {
            name = format!("{}_{name}", service.to_ascii_uppercase());
        }
        while taken(&self.rows, &name) {
            name.push('_');
        }
        let at = match self.rows.iter().position(|r| r.value == value) {
            Some(i) => i,
            None => {
                self.rows.push(Row {
                    names: Vec::new(),
                    shapes: Vec::new(),
                    value,
                });
                self.rows.len() - 1
            }
        };
        if let Some(row) = self.rows.get_mut(at) {
            if !row.names.contains(&name) {
                row.names.push(name.clone());
            }
            row.shapes
                .push((service.to_ascii_uppercase(), shape.to_owned()));
        }
        name
    }

    /// The rows of `rt::constraints!`, unformatted.
    pub(crate) fn rows(&self) -> String {
        let mut out = String::new();
        for (i, r) in self.rows.iter().enumerate() {
            let shapes: Vec<String> = r.shapes.iter().map(|(s, n)| format!("{s} `{n}`")).collect();
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "    /// {}.\n    {} = {};\n",
                shapes.join(", "),
                r.names.join(" | "),
                r.value
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_constraint_under_every_name() {
        // (service, shape, its name, the minimum of its constraint, the name it gets)
        let cases = [
            ("sts", "tagKeyType", "TAG_KEY_TYPE", 1, "TAG_KEY_TYPE"),
            ("sts", "arnType", "ARN_TYPE", 20, "ARN_TYPE"),
            ("iam", "tagKeyType", "TAG_KEY_TYPE", 1, "TAG_KEY_TYPE"),
            (
                "iam",
                "groupNameType",
                "GROUP_NAME_TYPE",
                1,
                "GROUP_NAME_TYPE",
            ),
            // IAM's `arnType` is another constraint: another row, its name with the service.
            ("iam", "arnType", "ARN_TYPE", 2, "IAM_ARN_TYPE"),
            ("iam", "arnTypeB", "IAM_ARN_TYPE", 3, "IAM_IAM_ARN_TYPE"),
            ("iam", "arnTypeC", "IAM_ARN_TYPE", 4, "IAM_IAM_ARN_TYPE_"),
        ];
        let mut t = Constraints::default();
        for (service, shape, name, min, named) in cases {
            let value = format!("range(Some({min}), None)");
            assert_eq!(
                t.add(service, shape, name, value),
                named,
                "{service} {shape}"
            );
        }
        assert_eq!(
            t.rows(),
            "    /// STS `tagKeyType`, IAM `tagKeyType`, IAM `groupNameType`.\n    \
             TAG_KEY_TYPE | GROUP_NAME_TYPE = range(Some(1), None);\n\n    \
             /// STS `arnType`.\n    ARN_TYPE = range(Some(20), None);\n\n    \
             /// IAM `arnType`.\n    IAM_ARN_TYPE = range(Some(2), None);\n\n    \
             /// IAM `arnTypeB`.\n    IAM_IAM_ARN_TYPE = range(Some(3), None);\n\n    \
             /// IAM `arnTypeC`.\n    IAM_IAM_ARN_TYPE_ = range(Some(4), None);\n"
        );
    }
}
