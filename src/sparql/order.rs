//! ORDER BY of a query's answer, done here rather than in the evaluator.
//!
//! The evaluator sorts with a comparison that is not a total order across literal
//! types (Rust's sort then panics: "user-provided comparison function does not
//! correctly implement a total order"), cannot be cancelled while it sorts, and holds
//! every solution even under a LIMIT. So the query's outermost ORDER BY (with its
//! DISTINCT, OFFSET and LIMIT) is lifted out of the algebra before evaluation: the
//! evaluator streams unsorted solutions with the sort keys bound to extra variables,
//! and [`TopRows`] keeps only the best `OFFSET + LIMIT` rows (or the row cap plus
//! one), sorting with [`SortKey`], a total order that follows SPARQL's (unbound <
//! blank nodes < IRIs < literals; numbers by value, other literals by their text).
//! ORDER BYs left inside the query are rewritten by [`totalize`] into keys the
//! evaluator compares totally, in the same order.
//! Memory is bounded by the rows kept, and every row passes the guard.

use std::cmp::Ordering;

use oxigraph::model::{Term, Variable};
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};

/// Prefix of the variables that carry sort keys; not a name people write.
const KEY_PREFIX: &str = "__pedigree_order_";

/// The outermost ORDER BY of a SELECT, lifted out of its algebra.
#[derive(Debug)]
pub struct Ordered {
    /// The variables the answer shows.
    pub projected: Vec<Variable>,
    /// Sort keys: the variable that holds each, and whether it sorts descending.
    pub keys: Vec<(Variable, bool)>,
    pub distinct: bool,
    pub offset: usize,
    pub limit: Option<usize>,
}

/// Splits `Slice? (Distinct|Reduced)? Project (OrderBy inner)` into a pattern
/// without ORDER BY that also projects the keys, and the ordering to apply to its
/// solutions. `None` (pattern unchanged) when the query has no outermost ORDER BY.
pub fn lift(pattern: &mut GraphPattern) -> Option<Ordered> {
    if !has_outer_order(pattern) {
        return None;
    }
    let taken = std::mem::replace(pattern, GraphPattern::Bgp { patterns: vec![] });
    let (offset, limit, rest) = match taken {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => (start, length, *inner),
        other => (0, None, other),
    };
    let (distinct, rest) = match rest {
        GraphPattern::Distinct { inner } => (true, *inner),
        GraphPattern::Reduced { inner } => (false, *inner),
        other => (false, other),
    };
    let GraphPattern::Project { inner, variables } = rest else {
        unreachable!("checked by has_outer_order")
    };
    let GraphPattern::OrderBy {
        inner: body,
        expression,
    } = *inner
    else {
        unreachable!("checked by has_outer_order")
    };
    let mut body = *body;
    let mut keys = Vec::new();
    for (i, order) in expression.iter().enumerate() {
        let (expression, descending) = match order {
            OrderExpression::Asc(e) => (e, false),
            OrderExpression::Desc(e) => (e, true),
        };
        let variable = match expression {
            Expression::Variable(v) => v.clone(),
            other => {
                let v = Variable::new_unchecked(format!("{KEY_PREFIX}{i}"));
                body = GraphPattern::Extend {
                    inner: Box::new(body),
                    variable: v.clone(),
                    expression: other.clone(),
                };
                v
            }
        };
        keys.push((variable, descending));
    }
    let projected = variables;
    let mut shown = projected.clone();
    for (key, _) in &keys {
        if !shown.contains(key) {
            shown.push(key.clone());
        }
    }
    *pattern = GraphPattern::Project {
        inner: Box::new(body),
        variables: shown,
    };
    Some(Ordered {
        projected,
        keys,
        distinct,
        offset,
        limit,
    })
}

/// Makes every ORDER BY left in a pattern (in subqueries, CONSTRUCT, or where
/// [`lift`] does not apply) sort in a total order inside the evaluator: each key
/// `e` becomes the keys (kind of `e`, its value if a number, `STR(e)`, its
/// datatype, its language), each of which the evaluator compares totally.
pub fn totalize(pattern: &mut GraphPattern) {
    use GraphPattern as P;
    match pattern {
        P::OrderBy { inner, expression } => {
            *expression = std::mem::take(expression)
                .into_iter()
                .flat_map(total_keys)
                .collect();
            totalize(inner);
        }
        other => super::sub_patterns_mut(other)
            .into_iter()
            .for_each(totalize),
    }
}

fn total_keys(order: OrderExpression) -> Vec<OrderExpression> {
    use spargebra::algebra::Function;
    let (e, descending) = match order {
        OrderExpression::Asc(e) => (e, false),
        OrderExpression::Desc(e) => (e, true),
    };
    let call = |f: Function, e: &Expression| Expression::FunctionCall(f, vec![e.clone()]);
    let int = |n: i64| Expression::Literal(oxigraph::model::Literal::from(n));
    let double = oxigraph::model::NamedNode::new_unchecked(format!("{XSD}double"));
    // Unbound (an error) < blank node < IRI < other literal < number.
    let kind = Expression::If(
        Box::new(call(Function::IsNumeric, &e)),
        Box::new(int(4)),
        Box::new(Expression::If(
            Box::new(call(Function::IsLiteral, &e)),
            Box::new(int(3)),
            Box::new(Expression::If(
                Box::new(call(Function::IsIri, &e)),
                Box::new(int(2)),
                Box::new(int(1)),
            )),
        )),
    );
    let number = Expression::If(
        Box::new(call(Function::IsNumeric, &e)),
        Box::new(call(Function::Custom(double), &e)),
        Box::new(int(0)),
    );
    let keys = [
        kind,
        number,
        call(Function::Str, &e),
        call(Function::Str, &call(Function::Datatype, &e)),
        call(Function::Lang, &e),
    ];
    keys.into_iter()
        .map(|k| {
            if descending {
                OrderExpression::Desc(k)
            } else {
                OrderExpression::Asc(k)
            }
        })
        .collect()
}

/// Whether a pattern has the shape [`lift`] takes apart.
fn has_outer_order(pattern: &GraphPattern) -> bool {
    let below_slice = match pattern {
        GraphPattern::Slice { inner, .. } => &**inner,
        other => other,
    };
    let project = match below_slice {
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => &**inner,
        other => other,
    };
    matches!(project, GraphPattern::Project { inner, .. } if matches!(**inner, GraphPattern::OrderBy { .. }))
}

/// A term's place in the answer order: a total order, the same one [`totalize`]
/// gives the evaluator's sorts. Terms sort by kind (unbound < blank node < IRI <
/// literal < number), numbers by value, then everything by its text, datatype and
/// language.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    kind: u8,
    number: TotalF64,
    text: String,
    datatype: String,
    language: String,
}

/// An `f64` ordered by `total_cmp`.
#[derive(Clone, Copy, Debug)]
struct TotalF64(f64);

impl PartialEq for TotalF64 {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0) == Ordering::Equal
    }
}
impl Eq for TotalF64 {}
impl PartialOrd for TotalF64 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for TotalF64 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fn is_numeric(local: &str) -> bool {
    matches!(
        local,
        "integer"
            | "decimal"
            | "float"
            | "double"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "nonNegativeInteger"
            | "nonPositiveInteger"
            | "negativeInteger"
            | "positiveInteger"
            | "unsignedLong"
            | "unsignedInt"
            | "unsignedShort"
            | "unsignedByte"
    )
}

impl SortKey {
    pub fn of(term: Option<&Term>) -> SortKey {
        let key = |kind, text: &str| SortKey {
            kind,
            number: TotalF64(0.0),
            text: text.to_owned(),
            datatype: String::new(),
            language: String::new(),
        };
        match term {
            None => key(0, ""),
            // SPARQL's STR is undefined on blank nodes: they tie, as in the evaluator.
            Some(Term::BlankNode(_)) => key(1, ""),
            Some(Term::NamedNode(node)) => key(2, node.as_str()),
            Some(Term::Literal(literal)) => {
                let datatype = literal.datatype().as_str();
                let local = datatype.strip_prefix(XSD).unwrap_or("");
                let value = literal.value();
                let number = is_numeric(local)
                    .then(|| value.trim().parse::<f64>().ok())
                    .flatten();
                SortKey {
                    kind: if number.is_some() { 4 } else { 3 },
                    number: TotalF64(number.unwrap_or(0.0)),
                    text: value.to_owned(),
                    datatype: datatype.to_owned(),
                    language: literal.language().unwrap_or("").to_owned(),
                }
            }
        }
    }
}

/// One candidate row: its sort keys and the values it shows.
#[derive(Debug)]
struct Row {
    keys: Vec<SortKey>,
    values: Vec<Option<Term>>,
}

/// The best rows seen so far, by the query's order.
#[derive(Debug)]
pub struct TopRows {
    descending: Vec<bool>,
    distinct: bool,
    keep: usize,
    rows: Vec<Row>,
    /// Whether rows were ever dropped because more than `keep` distinct rows exist.
    overflowed: bool,
}

impl TopRows {
    /// Keeps the first `keep` rows in order.
    pub fn new(ordered: &Ordered, keep: usize) -> TopRows {
        TopRows {
            descending: ordered.keys.iter().map(|(_, d)| *d).collect(),
            distinct: ordered.distinct,
            keep,
            rows: Vec::new(),
            overflowed: false,
        }
    }

    pub fn push(&mut self, keys: Vec<SortKey>, values: Vec<Option<Term>>) {
        self.rows.push(Row { keys, values });
        if self.rows.len() >= 2 * self.keep + 1024 {
            self.prune();
        }
    }

    /// Whether more rows exist than were kept.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    fn compare(&self, a: &Row, b: &Row) -> Ordering {
        for ((x, y), descending) in a.keys.iter().zip(&b.keys).zip(&self.descending) {
            let order = x.cmp(y);
            if order != Ordering::Equal {
                return if *descending { order.reverse() } else { order };
            }
        }
        Ordering::Equal
    }

    fn prune(&mut self) {
        let mut rows = std::mem::take(&mut self.rows);
        // Stable, so rows with equal keys keep the evaluator's order.
        rows.sort_by(|a, b| self.compare(a, b));
        if self.distinct {
            let mut seen = std::collections::HashSet::new();
            rows.retain(|row| seen.insert(row.values.clone()));
        }
        if rows.len() > self.keep {
            self.overflowed = true;
            rows.truncate(self.keep);
        }
        self.rows = rows;
    }

    /// The kept rows in order.
    pub fn finish(mut self) -> (Vec<Vec<Option<Term>>>, bool) {
        self.prune();
        let overflowed = self.overflowed;
        (
            self.rows.into_iter().map(|r| r.values).collect(),
            overflowed,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn mixed_terms_sort_in_a_total_order() {
        let terms: Vec<Option<Term>> = vec![
            Some(Literal::new_simple_literal("b").into()),
            Some(Literal::from(10).into()),
            None,
            Some(NamedNode::new("http://e/x").unwrap().into()),
            Some(Literal::from(2.5).into()),
            Some(
                Literal::new_typed_literal(
                    "2024-01-01",
                    NamedNode::new(format!("{XSD}date")).unwrap(),
                )
                .into(),
            ),
            Some(
                Literal::new_language_tagged_literal("a", "en")
                    .unwrap()
                    .into(),
            ),
            Some(Literal::from(true).into()),
            Some(Literal::from(f64::NAN).into()),
        ];
        let mut keys: Vec<SortKey> = terms.iter().map(|t| SortKey::of(t.as_ref())).collect();
        // A total order: sorting never panics and is the same from any start.
        keys.sort();
        let mut reversed = keys.clone();
        reversed.reverse();
        reversed.sort();
        assert_eq!(keys, reversed);
        assert_eq!(keys[0], SortKey::of(None));
        assert_eq!(keys[1], SortKey::of(terms[3].as_ref()), "the IRI");
        assert_eq!(
            keys[keys.len() - 3],
            SortKey::of(Some(&Literal::from(2.5).into()))
        );
        assert_eq!(
            keys[keys.len() - 2],
            SortKey::of(Some(&Literal::from(10).into()))
        );
        assert_eq!(
            keys[keys.len() - 1],
            SortKey::of(terms[8].as_ref()),
            "NaN last"
        );
    }
}
