//! The trust graph as SVG, laid out by `layout-rs` (a pure-Rust implementation of the
//! layered layout graphviz's `dot` uses; no program to install).
//!
//! Labels go to the library as text and it escapes them into the SVG; the attributes this module
//! adds to each shape and edge (`data-from`, `data-to`, the kind) are escaped here. A layout
//! that fails (the library panics on some inputs) leaves the page with the edge table alone.

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::graph::{EdgeKind, NodeKind, TrustGraph};
use crate::html::esc;

/// The font size of labels, in pixels.
const FONT: usize = 14;

/// The fill of a node of `kind` (RGBA).
fn fill(kind: NodeKind) -> u32 {
    match kind {
        NodeKind::Account => 0xdde8f5ff,
        NodeKind::User => 0xe6f4eaff,
        NodeKind::Group => 0xd2ecd9ff,
        NodeKind::Role => 0xfdf0d5ff,
        NodeKind::Provider => 0xece1f7ff,
        NodeKind::Service => 0xe9e9e9ff,
        NodeKind::Anyone => 0xf8d7d7ff,
        NodeKind::Other => 0xffffffff,
    }
}

/// The most characters of an edge's text the drawing shows (the table under it has them all).
pub const MAX_EDGE_TEXT: usize = 60;

/// The text on an edge: its conditions (`; ` between them), or what it means when it has none;
/// cut to [`MAX_EDGE_TEXT`] characters with `…`.
pub fn edge_text(kind: EdgeKind, conditions: &[String]) -> String {
    let text = match (kind, conditions.is_empty()) {
        (EdgeKind::Member, _) => "member of".to_owned(),
        (_, false) => conditions.join("; "),
        (EdgeKind::Trusts, true) => "trusted".to_owned(),
        (EdgeKind::MayAssume, true) => "may assume".to_owned(),
    };
    if text.chars().count() <= MAX_EDGE_TEXT {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_EDGE_TEXT - 1).collect();
    cut.push('…');
    cut
}

/// The drawing scaled to the page's width: the `<svg>` element's fixed size is replaced by
/// `width="100%"` (its `viewBox` keeps the proportions).
fn fit_width(svg: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let (open, rest) = svg.split_at(open_end);
    let viewbox = open
        .split("viewBox=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or("0 0 100 100");
    format!(
        "<svg width=\"100%\" viewBox=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-label=\"trust graph\"{rest}",
        esc(viewbox)
    )
}

/// The SVG of `graph`; `None` when it has no node or the layout failed.
pub fn svg(graph: &TrustGraph) -> Option<String> {
    if graph.nodes.is_empty() {
        return None;
    }
    let graph = graph.clone();
    // The library asserts on inputs it cannot lay out; a failure is no reason to fail the page.
    std::panic::catch_unwind(move || layout_svg(&graph))
        .ok()
        .map(|svg| match svg.find("<svg") {
            Some(i) => fit_width(svg.get(i..).unwrap_or_default()),
            None => svg,
        })
}

fn layout_svg(graph: &TrustGraph) -> String {
    let dir = Orientation::LeftToRight;
    let mut vg = VisualGraph::new(dir);
    let mut handles = Vec::with_capacity(graph.nodes.len());
    for n in &graph.nodes {
        let shape = ShapeKind::new_box(&n.label);
        let look = StyleAttr::new(
            Color::fast("black"),
            1,
            Some(Color::new(fill(n.kind))),
            6,
            FONT,
        );
        let size = get_shape_size(dir, &shape, FONT, false);
        let props = format!(
            "class=\"node {}\" data-id=\"{}\"",
            n.kind.as_str(),
            esc(&n.id)
        );
        handles.push((
            n.id.as_str(),
            vg.add_node(Element::create_with_properties(
                shape, look, dir, size, props,
            )),
        ));
    }
    let find = |id: &str| handles.iter().find(|(k, _)| *k == id).map(|(_, h)| *h);
    for e in &graph.edges {
        let (Some(from), Some(to)) = (find(&e.from), find(&e.to)) else {
            continue;
        };
        let style = match e.kind {
            EdgeKind::Member => LineStyleKind::Dashed,
            _ => LineStyleKind::Normal,
        };
        let color = if e.conditions.is_empty() {
            "black"
        } else {
            "darkred"
        };
        let props = format!(
            "class=\"edge\" data-from=\"{}\" data-to=\"{}\"",
            esc(&e.from),
            esc(&e.to)
        );
        let arrow = Arrow::with_properties(
            LineEndKind::None,
            LineEndKind::Arrow,
            style,
            &edge_text(e.kind, &e.conditions),
            &StyleAttr::new(Color::fast(color), 1, None, 0, FONT - 2),
            props,
            &None,
            &None,
        );
        vg.add_edge(arrow, from, to);
    }
    let mut writer = SVGWriter::new();
    vg.do_it(false, false, false, &mut writer);
    writer.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, Node};

    #[test]
    fn edge_texts_say_what_an_edge_means_and_are_cut() {
        assert_eq!(edge_text(EdgeKind::Member, &["x".into()]), "member of");
        assert_eq!(edge_text(EdgeKind::Trusts, &[]), "trusted");
        assert_eq!(edge_text(EdgeKind::MayAssume, &[]), "may assume");
        assert_eq!(
            edge_text(EdgeKind::Trusts, &["MFA: a".into(), "ExternalId: b".into()]),
            "MFA: a; ExternalId: b"
        );
        let long = edge_text(EdgeKind::Trusts, &["x".repeat(100)]);
        assert_eq!(long.chars().count(), MAX_EDGE_TEXT);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn the_drawing_escapes_labels_and_ids_and_fits_the_page() {
        let graph = TrustGraph {
            nodes: vec![
                Node {
                    id: "arn:aws:iam::1:user/\"><script>".into(),
                    kind: NodeKind::User,
                    label: "<b>u</b>".into(),
                },
                Node {
                    id: "arn:aws:iam::1:role/r".into(),
                    kind: NodeKind::Role,
                    label: "r".into(),
                },
            ],
            edges: vec![Edge {
                from: "arn:aws:iam::1:user/\"><script>".into(),
                to: "arn:aws:iam::1:role/r".into(),
                kind: EdgeKind::Trusts,
                conditions: vec!["ExternalId: StringEquals sts:ExternalId = <i>".into()],
            }],
        };
        let svg = svg(&graph).unwrap_or_default();
        assert!(
            svg.starts_with("<svg width=\"100%\" viewBox=\"0 0 "),
            "{svg}"
        );
        assert!(!svg.contains("<script>") && !svg.contains("<b>") && !svg.contains("<i>"));
        assert!(svg.contains("&lt;b&gt;u&lt;/b&gt;"));
        assert!(svg.contains("data-from=\"arn:aws:iam::1:user/&quot;&gt;&lt;script&gt;\""));
        assert!(svg.contains("sts:ExternalId = &lt;i&gt;"));
        assert_eq!(self::svg(&TrustGraph::default()), None);
    }
}
