//! Member groups: a run of members that several member tables list alike (the same lines in
//! the same order: IAM's `Marker`/`MaxItems` of a list request and `IsTruncated`/`Marker` of a
//! list result, STS's `SessionTokenUtilization`/`SessionTokenSize`) is declared once in the
//! service's `rt::groups!`, with each member's docs (each structure's own where they differ),
//! and named in each table as `..name,` (`rt::shapes!` splices it in at that place).

use std::collections::HashMap;

use super::code::{Docs, Entry};

/// A group is worth declaring when it saves at least this many lines: the lines of its uses
/// it folds, less its own declaration.
const MIN_SAVED: usize = 4;

/// A group: its name and its members.
pub(crate) struct Group {
    /// The name (a macro of the service module).
    pub(crate) name: String,
    /// The members, in table order: their documentation (each structure's own where the
    /// structures that use the group document a member differently) and their lines.
    pub(crate) members: Vec<(Docs, String)>,
    /// The first structure of each table that uses it.
    users: Vec<String>,
}

/// A run of member lines, as a key.
type Run = Vec<String>;

/// Replaces, in `tables` (each with the names of the structures that share it), the runs of
/// members that recur across tables with groups, the one that saves the most lines first,
/// while one saves at least [`MIN_SAVED`]; returns the groups in the order they were found.
pub(crate) fn extract(tables: &mut [(Vec<String>, Vec<Entry>)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    while let Some(run) = best(tables) {
        let name = unique_name(&run, &groups);
        let mut docs: Vec<Vec<(String, String)>> = vec![Vec::new(); run.len()];
        let mut users = Vec::new();
        for (names, table) in tables.iter_mut() {
            let found = replace(table, &run, &name);
            if !found.is_empty() {
                users.extend(names.first().cloned());
            }
            for found in found {
                for (k, d) in found.into_iter().enumerate() {
                    if let Some(all) = docs.get_mut(k) {
                        all.extend(d.each(names));
                    }
                }
            }
        }
        let members = docs.into_iter().map(Docs::of).zip(run).collect();
        groups.push(Group {
            name,
            members,
            users,
        });
    }
    groups
}

/// The run that saves the most lines: more uses, then more members, then the first found
/// break ties.
fn best(tables: &[(Vec<String>, Vec<Entry>)]) -> Option<Run> {
    let mut found: Vec<(Run, usize)> = Vec::new();
    let mut at: HashMap<Run, usize> = HashMap::new();
    for (_, table) in tables {
        let mut seen: Vec<Run> = Vec::new();
        for stretch in stretches(table) {
            for len in 2..=stretch.len() {
                for run in stretch.windows(len) {
                    let run: Run = run.to_vec();
                    if seen.contains(&run) {
                        continue;
                    }
                    seen.push(run.clone());
                    match at.get(&run) {
                        Some(&i) => {
                            if let Some(f) = found.get_mut(i) {
                                f.1 += 1;
                            }
                        }
                        None => {
                            at.insert(run.clone(), found.len());
                            found.push((run, 1));
                        }
                    }
                }
            }
        }
    }
    let saved = |len: usize, uses: usize| ((len - 1) * uses).saturating_sub(len + 1);
    let mut best: Option<&(Run, usize)> = None;
    for f in found
        .iter()
        .filter(|(r, n)| *n >= 2 && saved(r.len(), *n) >= MIN_SAVED)
    {
        let better = match best {
            None => true,
            Some(b) => {
                let (s, bs) = (saved(f.0.len(), f.1), saved(b.0.len(), b.1));
                s > bs || (s == bs && (f.1, f.0.len()) > (b.1, b.0.len()))
            }
        };
        if better {
            best = Some(f);
        }
    }
    best.map(|(run, _)| run.clone())
}

/// The stretches of consecutive members of `table` (between its groups), as lines.
fn stretches(table: &[Entry]) -> Vec<Run> {
    let mut out = vec![Vec::new()];
    for e in table {
        match e {
            Entry::Member(_, line) => {
                if let Some(s) = out.last_mut() {
                    s.push(line.clone());
                }
            }
            Entry::Group(_) => out.push(Vec::new()),
        }
    }
    out.retain(|s| s.len() >= 2);
    out
}

/// `table` with each occurrence of `run` (left to right, not overlapping) as `Entry::Group`;
/// returns the documentation of the members each occurrence had.
fn replace(table: &mut Vec<Entry>, run: &Run, name: &str) -> Vec<Vec<Docs>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + run.len() <= table.len() {
        let hit = table.get(i..i + run.len()).is_some_and(|s| {
            s.iter()
                .zip(run)
                .all(|(e, l)| matches!(e, Entry::Member(_, line) if line == l))
        });
        if hit {
            let taken = table.splice(i..i + run.len(), [Entry::Group(name.to_owned())]);
            out.push(
                taken
                    .filter_map(|e| match e {
                        Entry::Member(d, _) => Some(d),
                        Entry::Group(_) => None,
                    })
                    .collect(),
            );
        }
        i += 1;
    }
    out
}

/// The group's name: its members' fields joined with `_` (the first and the last, `_to_`
/// between, for more than three), distinct from the groups found before.
fn unique_name(run: &Run, groups: &[Group]) -> String {
    let fields: Vec<&str> = run
        .iter()
        .map(|line| line.split(':').next().unwrap_or_default())
        .collect();
    let base = match fields.as_slice() {
        [first, .., last] if fields.len() > 3 => format!("{first}_to_{last}"),
        _ => fields.join("_"),
    };
    let mut name = base.clone();
    let mut n = 2;
    while groups.iter().any(|g| g.name == name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The service module's `rt::groups!` declaring `groups`, unformatted; empty without groups.
pub(crate) fn render(groups: &[Group]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut out = String::from("\ncrate::rt::groups! {\n");
    for g in groups {
        let users: Vec<String> = g.users.iter().map(|u| format!("`{u}`")).collect();
        let by = match users.as_slice() {
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            [a, b, rest @ ..] => format!("{a}, {b} and {} other tables", rest.len()),
            _ => users.concat(),
        };
        out.push_str(&format!(
            "    /// The members that {by} list alike.\n    {} {{\n",
            g.name
        ));
        for (docs, line) in &g.members {
            out.push_str(&docs.lines());
            out.push_str(&format!("        {line}\n"));
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(doc: &str, line: &str) -> Entry {
        Entry::Member(Docs::Same(doc.to_owned()), line.to_owned())
    }

    fn lines(table: &[Entry]) -> Vec<String> {
        table
            .iter()
            .map(|e| match e {
                Entry::Member(_, l) => l.clone(),
                Entry::Group(g) => format!("..{g}"),
            })
            .collect()
    }

    #[test]
    fn a_run_in_enough_tables_becomes_one_group_in_its_place() {
        let paging = |first: &str| {
            vec![
                member("own", first),
                member("m", "marker: M,"),
                member("x", "max_items: X,"),
            ]
        };
        // Two members in eight tables: eight lines folded into eight uses and a declaration
        // of three lines saves five.
        let mut tables: Vec<(Vec<String>, Vec<Entry>)> = (0..8)
            .map(|i| (vec![format!("S{i}")], paging(&format!("f{i}: F,"))))
            .collect();
        // The last one documents `marker` differently: the group keeps both texts.
        if let Some((_, t)) = tables.last_mut() {
            t[1] = member("other", "marker: M,");
        }
        tables.push((vec!["Lone".to_owned()], vec![member("a", "a: A,")]));
        let groups = extract(&mut tables);
        assert_eq!(groups.len(), 1);
        let g = &groups[0];
        assert_eq!(g.name, "marker_max_items");
        assert_eq!(g.users, ["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7"]);
        assert_eq!(lines(&tables[2].1), ["f2: F,", "..marker_max_items"]);
        assert_eq!(lines(&tables[8].1), ["a: A,"]);
        let Docs::Each(marker) = &g.members[0].0 else {
            panic!("marker's docs differ: one text per structure");
        };
        assert_eq!(marker.len(), 8);
        assert_eq!(marker[0], ("S0".to_owned(), "m".to_owned()));
        assert_eq!(marker[7], ("S7".to_owned(), "other".to_owned()));
        assert!(matches!(&g.members[1].0, Docs::Same(d) if d == "x"));
        let text = render(&groups);
        assert!(text.contains("/// The members that `S0`, `S1` and 6 other tables list alike."));
        assert!(text.contains("        /// - `S7`: other\n        marker: M,\n"));
    }

    #[test]
    fn a_run_that_saves_too_few_lines_stays_in_its_tables() {
        // Two members in three tables: three lines saved, less than the group's declaration.
        let mut tables: Vec<(Vec<String>, Vec<Entry>)> = (0..3)
            .map(|i| {
                let t = vec![member("a", "a: A,"), member("b", "b: B,")];
                (vec![format!("S{i}")], t)
            })
            .collect();
        assert!(extract(&mut tables).is_empty());
        assert_eq!(lines(&tables[0].1), ["a: A,", "b: B,"]);
        assert!(render(&[]).is_empty());
    }

    #[test]
    fn names_are_the_fields_and_stay_distinct() {
        let run = |fields: &[&str]| -> Run { fields.iter().map(|f| format!("{f}: T,")).collect() };
        assert_eq!(unique_name(&run(&["a", "b", "c"]), &[]), "a_b_c");
        assert_eq!(unique_name(&run(&["a", "b", "c", "d"]), &[]), "a_to_d");
        let taken = Group {
            name: "a_b".to_owned(),
            members: Vec::new(),
            users: Vec::new(),
        };
        assert_eq!(unique_name(&run(&["a", "b"]), &[taken]), "a_b_2");
    }
}
