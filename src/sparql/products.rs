//! Cross products evaluated as nested loops, so the guard sees every step.
//!
//! Two parts of a query that share no variable multiply. The evaluator joins them
//! with a hash join: it builds one side in memory and, for each row of the other,
//! emits every row of the table without reading the store, so a product of three
//! scans (`{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`) makes tens of millions of rows between
//! two guard checks. Written as a `LATERAL` join (SEP-0006, which the evaluator
//! supports), the right side is evaluated afresh for each left row and reads the
//! store as it goes, so every row passes a check. The answer is the same: LATERAL
//! only differs from a join when the right side mentions a variable the left side
//! binds, and such joins are left alone. The cost is the same order too: a product's
//! output is the product of its sides anyway.

use std::collections::HashSet;

use spargebra::algebra::{Expression, GraphPattern};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};

/// Rewrites every cross product in `pattern` into a nested loop.
pub fn as_nested_loops(pattern: &mut GraphPattern) {
    use GraphPattern as P;
    match pattern {
        P::Join { left, right } => {
            as_nested_loops(left);
            as_nested_loops(right);
            if reads_store(left) && reads_store(right) && independent(left, right) {
                let left = std::mem::replace(&mut **left, P::Bgp { patterns: vec![] });
                let right = std::mem::replace(&mut **right, P::Bgp { patterns: vec![] });
                *pattern = P::Lateral {
                    left: Box::new(left),
                    right: Box::new(right),
                };
            }
        }
        P::Bgp { patterns } => {
            let mut parts = components(patterns).into_iter();
            if let Some(first) = parts.next() {
                let mut nested = P::Bgp { patterns: first };
                for part in parts {
                    nested = P::Lateral {
                        left: Box::new(nested),
                        right: Box::new(P::Bgp { patterns: part }),
                    };
                }
                *pattern = nested;
            }
        }
        other => super::sub_patterns_mut(other)
            .into_iter()
            .for_each(as_nested_loops),
    }
}

/// The triple patterns of a basic graph pattern, grouped into parts that share no
/// variable or blank node, in their first pattern's order. Patterns with the same
/// constant subject stay together too: each matches at most that subject's triples,
/// so their product is small, and the star `<s> :p ?a ; :q ?b` (a record's fields) is
/// the commonest query there is.
fn components(patterns: &[TriplePattern]) -> Vec<Vec<TriplePattern>> {
    let names = |t: &TriplePattern| {
        let mut names = Vec::new();
        if let TermPattern::NamedNode(subject) = &t.subject {
            names.push(format!("<{}>", subject.as_str()));
        }
        for term in [&t.subject, &t.object] {
            match term {
                TermPattern::Variable(v) => names.push(format!("?{}", v.as_str())),
                TermPattern::BlankNode(b) => names.push(format!("_:{}", b.as_str())),
                _ => {}
            }
        }
        if let NamedNodePattern::Variable(v) = &t.predicate {
            names.push(format!("?{}", v.as_str()));
        }
        names
    };
    // Union-find over pattern indices, joined through the names they share.
    let mut parent: Vec<usize> = (0..patterns.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner = std::collections::HashMap::new();
    for (i, pattern) in patterns.iter().enumerate() {
        for name in names(pattern) {
            let first = *owner.entry(name).or_insert(i);
            let (a, b) = (root(&mut parent, first), root(&mut parent, i));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: Vec<(usize, Vec<TriplePattern>)> = Vec::new();
    for (i, pattern) in patterns.iter().enumerate() {
        let r = root(&mut parent, i);
        match groups.iter_mut().find(|(root, _)| *root == r) {
            Some((_, group)) => group.push(pattern.clone()),
            None => groups.push((r, vec![pattern.clone()])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// Whether `right` mentions no variable `left` binds.
fn independent(left: &GraphPattern, right: &GraphPattern) -> bool {
    let mut bound = HashSet::new();
    left.on_in_scope_variable(|v| {
        bound.insert(v.as_str().to_owned());
    });
    let mut mentioned = HashSet::new();
    pattern_variables(right, &mut mentioned);
    bound.is_disjoint(&mentioned)
}

/// Whether a pattern reads triples (as opposed to VALUES or an empty group).
fn reads_store(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Bgp { patterns } => !patterns.is_empty(),
        GraphPattern::Path { .. } => true,
        GraphPattern::Values { .. } => false,
        other => super::pattern_parts(other).0.into_iter().any(reads_store),
    }
}

/// Every variable a pattern mentions anywhere, in scope or not.
fn pattern_variables(pattern: &GraphPattern, out: &mut HashSet<String>) {
    use GraphPattern as P;
    let term = |t: &TermPattern, out: &mut HashSet<String>| {
        if let TermPattern::Variable(v) = t {
            out.insert(v.as_str().to_owned());
        }
    };
    let named = |n: &NamedNodePattern, out: &mut HashSet<String>| {
        if let NamedNodePattern::Variable(v) = n {
            out.insert(v.as_str().to_owned());
        }
    };
    let names = |vs: &[spargebra::term::Variable], out: &mut HashSet<String>| {
        out.extend(vs.iter().map(|v| v.as_str().to_owned()));
    };
    // Variables in the places that are not expressions or sub-patterns.
    match pattern {
        P::Bgp { patterns } => {
            for triple in patterns {
                term(&triple.subject, out);
                named(&triple.predicate, out);
                term(&triple.object, out);
            }
        }
        P::Path {
            subject, object, ..
        } => {
            term(subject, out);
            term(object, out);
        }
        P::Values { variables, .. } | P::Project { variables, .. } => names(variables, out),
        P::Graph { name, .. } | P::Service { name, .. } => named(name, out),
        P::Extend { variable, .. } => names(std::slice::from_ref(variable), out),
        P::Group {
            variables,
            aggregates,
            ..
        } => {
            names(variables, out);
            for (v, _) in aggregates {
                names(std::slice::from_ref(v), out);
            }
        }
        _ => {}
    }
    let (patterns, expressions) = super::pattern_parts(pattern);
    for expression in expressions {
        expression_variables(expression, out);
    }
    for part in patterns {
        pattern_variables(part, out);
    }
}

fn expression_variables(expression: &Expression, out: &mut HashSet<String>) {
    match expression {
        Expression::Variable(v) | Expression::Bound(v) => {
            out.insert(v.as_str().to_owned());
        }
        Expression::Exists(pattern) => pattern_variables(pattern, out),
        other => {
            for part in super::sub_expressions(other) {
                expression_variables(part, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(query: &str) -> String {
        let mut query = spargebra::SparqlParser::new().parse_query(query).unwrap();
        if let spargebra::Query::Select { pattern, .. } = &mut query {
            as_nested_loops(pattern);
        }
        query.to_sse()
    }

    #[test]
    fn only_independent_parts_become_nested_loops() {
        assert!(rewritten("SELECT * { ?a ?b ?c { ?d ?e ?f } }").contains("lateral"));
        assert!(rewritten("SELECT * { ?a ?b ?c . ?d ?e ?f }").contains("lateral"));
        assert!(!rewritten("SELECT * { ?a ?b ?c . ?c ?e ?f . _:x ?p ?a }").contains("lateral"));
        // The inner FILTER sees ?c only as unbound: a nested loop would bind it.
        assert!(
            !rewritten("SELECT * { ?a ?b ?c { ?d ?e ?f FILTER(?f = ?c) } }").contains("lateral")
        );
        assert!(!rewritten("SELECT * { ?a ?b ?c { ?c ?e ?f } }").contains("lateral"));
        assert!(!rewritten("SELECT * { ?a ?b ?c VALUES ?x { 1 2 } }").contains("lateral"));
        assert!(!rewritten("SELECT * { <x:s> <x:p> ?a ; <x:q> ?b }").contains("lateral"));
        assert!(rewritten("SELECT * { ?a <x:p> <x:o> . ?b <x:q> <x:o> }").contains("lateral"));
    }
}
