//! The trust graph page: the SVG drawing and the same edges as a table.

use std::fmt::Write;

use crate::draw;
use crate::graph::{EdgeKind, TrustGraph};
use crate::html::{esc, table};

/// A node's label and ARN for the table.
fn who(graph: &TrustGraph, id: &str) -> String {
    match graph.node(id) {
        Some(n) => format!(
            "<span class=\"kind {}\">{}</span> {} <span class=\"arn\">{}</span>",
            n.kind.as_str(),
            n.kind.as_str(),
            esc(&n.label),
            esc(&n.id)
        ),
        None => esc(id),
    }
}

/// The page's body for `graph`.
pub fn body(graph: &TrustGraph) -> String {
    let mut out = String::new();
    out.push_str(
        "<p class=\"lead\">Who can assume which role: a role's trust policy names principals, \
         accounts, providers or services; an account it trusts passes the choice to the users, \
         groups and roles its own policies allow <code>sts:AssumeRole</code> on the role. \
         Edges carry the trust statement's conditions.</p>",
    );
    match draw::svg(graph) {
        Some(svg) => {
            let _ = write!(out, "<div class=\"graph\" id=\"trust-graph\">{svg}</div>");
        }
        None if graph.nodes.is_empty() => out.push_str("<p>The model has no roles.</p>"),
        None => out
            .push_str("<p class=\"error\">The graph could not be laid out; its edges follow.</p>"),
    }
    let rows = graph.edges.iter().map(|e| {
        let meaning = match e.kind {
            EdgeKind::Trusts => "trusted by the role",
            EdgeKind::MayAssume => "allowed by its policies",
            EdgeKind::Member => "member of the group",
        };
        vec![
            who(graph, &e.from),
            who(graph, &e.to),
            meaning.to_owned(),
            if e.conditions.is_empty() {
                "none".to_owned()
            } else {
                e.conditions
                    .iter()
                    .map(|c| format!("<div class=\"condition\">{}</div>", esc(c)))
                    .collect()
            },
        ]
    });
    out.push_str("<h2>Edges</h2>");
    out.push_str(&table("edges", &["From", "To", "Why", "Conditions"], rows));
    out
}
