//! Static bounds on the work a query can do between two guard checks.
//!
//! The guard is checked at every quad read, every value the query stores and every
//! answer row (`sparql::guard`). Two kinds of work happen between checks, and are
//! bounded here, before evaluation, from the algebra alone:
//! - rows made without reading the store: `VALUES` tables joined with each other
//!   multiply (300 rows in each of four tables is 8.1 billion rows, all made in
//!   memory). [`static_rows`] bounds the rows any part of the query makes per quad
//!   read, and queries above [`MAX_ROWS_WITHOUT_READING`] are refused;
//! - the value one expression builds before it is stored: `CONCAT(?a, ?a, …)` or
//!   nested `UCASE`/`ENCODE_FOR_URI`/`REPLACE` multiply the size of their inputs.
//!   Every stored value is at most the value limit (checked when it is stored), so an
//!   expression's result is at most its *amplification* times that limit;
//!   expressions that amplify more than [`MAX_VALUE_AMPLIFICATION`] are refused.

use spargebra::algebra::{Expression, Function, GraphPattern};

/// Most rows a query may make from `VALUES` tables (and other parts that read no
/// data) per quad it reads: a product of tables above it is refused. A `VALUES` list
/// of a few thousand ids is well within it; two such lists joined are not.
pub const MAX_ROWS_WITHOUT_READING: u64 = 1_000_000;

/// Most an expression may multiply the size of the values it reads: `CONCAT` of 16
/// variables is allowed, doubling a value 30 times is not.
pub const MAX_VALUE_AMPLIFICATION: u64 = 16;

/// Why a query was refused before it ran.
pub type Refusal = String;

/// Checks both bounds on a query's pattern (and its CONSTRUCT template's query).
pub fn check(pattern: &GraphPattern, max_value_bytes: usize) -> Result<(), Refusal> {
    let rows = static_rows(pattern);
    if rows > MAX_ROWS_WITHOUT_READING {
        return Err(format!(
            "the query's VALUES tables combine into {} rows made in memory, more than the {} allowed; join them to data, or list fewer values",
            if rows == u64::MAX {
                "billions of".to_owned()
            } else {
                rows.to_string()
            },
            MAX_ROWS_WITHOUT_READING
        ));
    }
    let mut walker = Expressions {
        max_value_bytes: max_value_bytes as u64,
        problem: None,
    };
    walker.pattern(pattern);
    walker.problem.map_or(Ok(()), Err)
}

/// Rows a pattern can make per quad it reads: `VALUES` count their rows, patterns
/// that read data count one (each of their rows passes a check), joins multiply,
/// unions add.
pub fn static_rows(pattern: &GraphPattern) -> u64 {
    use GraphPattern as P;
    match pattern {
        P::Values { bindings, .. } => bindings.len().max(1) as u64,
        P::Bgp { .. } | P::Path { .. } => 1,
        P::Join { left, right } | P::Lateral { left, right } => {
            static_rows(left).saturating_mul(static_rows(right))
        }
        P::LeftJoin { left, right, .. } => static_rows(left).saturating_mul(static_rows(right)),
        P::Union { left, right } => static_rows(left).saturating_add(static_rows(right)),
        P::Minus { left, .. } => static_rows(left),
        // One sub-pattern (FILTER, BIND, GRAPH, a modifier): its rows.
        other => super::pattern_parts(other)
            .0
            .into_iter()
            .map(static_rows)
            .max()
            .unwrap_or(1),
    }
}

/// A bound on a value's size: `factor` times the largest value a query reads, plus
/// `bytes`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Size {
    factor: u64,
    bytes: u64,
}

/// Values without text worth counting: numbers, booleans, dates, hashes, UUIDs.
const SMALL: Size = Size {
    factor: 0,
    bytes: 256,
};

impl Size {
    fn add(self, other: Size) -> Size {
        Size {
            factor: self.factor.saturating_add(other.factor),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }

    fn max(self, other: Size) -> Size {
        Size {
            factor: self.factor.max(other.factor),
            bytes: self.bytes.max(other.bytes),
        }
    }

    fn times(self, n: u64) -> Size {
        Size {
            factor: self.factor.saturating_mul(n),
            bytes: self.bytes.saturating_mul(n),
        }
    }

    /// The product of two sizes; a product of two read values grows with the square
    /// of the value limit, which no amplification bounds.
    fn mul(self, other: Size) -> Size {
        if self.factor > 0 && other.factor > 0 {
            return Size {
                factor: u64::MAX,
                bytes: u64::MAX,
            };
        }
        Size {
            factor: self
                .factor
                .saturating_mul(other.bytes)
                .saturating_add(other.factor.saturating_mul(self.bytes)),
            bytes: self.bytes.saturating_mul(other.bytes),
        }
    }
}

/// Walks every expression of a pattern and keeps the first that is too big.
struct Expressions {
    max_value_bytes: u64,
    problem: Option<Refusal>,
}

impl Expressions {
    fn pattern(&mut self, pattern: &GraphPattern) {
        let (patterns, expressions) = super::pattern_parts(pattern);
        for expression in expressions {
            self.check(expression);
        }
        for pattern in patterns {
            self.pattern(pattern);
        }
    }

    fn check(&mut self, expression: &Expression) {
        self.size(expression);
    }

    /// The size bound of an expression, after checking each of its parts.
    fn size(&mut self, expression: &Expression) -> Size {
        use Expression as E;
        let size = match expression {
            E::Variable(_) => Size {
                factor: 1,
                bytes: 0,
            },
            E::NamedNode(node) => Size {
                factor: 0,
                bytes: node.as_str().len() as u64,
            },
            E::Literal(literal) => Size {
                factor: 0,
                bytes: literal.value().len() as u64,
            },
            E::Exists(pattern) => {
                self.pattern(pattern);
                SMALL
            }
            E::If(condition, then, otherwise) => {
                self.size(condition);
                self.size(then).max(self.size(otherwise))
            }
            E::Coalesce(options) => options
                .iter()
                .map(|e| self.size(e))
                .fold(Size::default(), Size::max),
            E::FunctionCall(function, args) => {
                let sizes: Vec<Size> = args.iter().map(|a| self.size(a)).collect();
                function_size(function, args, &sizes)
            }
            other => {
                // Logic, comparison and arithmetic: their parts are checked, their
                // result is a boolean or a number.
                for part in super::sub_expressions(other) {
                    self.size(part);
                }
                SMALL
            }
        };
        if self.problem.is_none()
            && (size.factor > MAX_VALUE_AMPLIFICATION || size.bytes > self.max_value_bytes)
        {
            self.problem = Some(format!(
                "the expression `{expression}` can build a value {} the size of the values it reads (at most {MAX_VALUE_AMPLIFICATION}× and {} bytes of its own are allowed); build smaller values",
                if size.factor == u64::MAX {
                    "quadratic in".to_owned()
                } else {
                    format!("{}×", size.factor)
                },
                self.max_value_bytes
            ));
        }
        size
    }
}

/// The size bound of a function's result from those of its arguments.
fn function_size(function: &Function, args: &[Expression], sizes: &[Size]) -> Size {
    use Function as F;
    let first = sizes.first().copied().unwrap_or_default();
    match function {
        F::Concat => sizes.iter().copied().fold(Size::default(), Size::add),
        // At most their input.
        F::Str | F::SubStr | F::StrBefore | F::StrAfter | F::Lang | F::Datatype => first,
        // A character's upper or lower case, or its percent-encoding, is at most
        // three times its bytes.
        F::UCase | F::LCase | F::EncodeForUri => first.times(3),
        F::StrLang | F::StrDt | F::Iri => first
            .add(sizes.get(1).copied().unwrap_or_default())
            .add(SMALL),
        F::Replace => {
            // Matches do not overlap, and there is at most one (maybe empty) match per
            // position: each becomes the replacement's text (at most its length R)
            // plus, for each `$n` in it, a copy of part of the match. So the result is
            // at most |input| (1 + R + refs) + R.
            let one = Size {
                factor: 0,
                bytes: 1,
            };
            match args.get(2) {
                Some(Expression::Literal(l)) => {
                    let text = l.value().len() as u64;
                    let references = l.value().matches('$').count() as u64;
                    first.times(1 + text + references).add(Size {
                        factor: 0,
                        bytes: text,
                    })
                }
                // A replacement that is not a constant: at most 2 (|input| + 1)
                // (|replacement| + 1), quadratic when both are read values.
                _ => {
                    let replacement = sizes.get(2).copied().unwrap_or_default();
                    first.add(one).mul(replacement.add(one)).times(2)
                }
            }
        }
        F::Custom(_) => sizes.iter().copied().fold(Size::default(), Size::add),
        _ => SMALL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(query: &str) -> GraphPattern {
        match spargebra::SparqlParser::new().parse_query(query).unwrap() {
            spargebra::Query::Select { pattern, .. } => pattern,
            _ => unreachable!(),
        }
    }

    #[test]
    fn values_products_are_bounded_and_unions_add() {
        let one = "VALUES ?a { 1 2 3 }";
        assert_eq!(static_rows(&pattern(&format!("SELECT * {{ {one} }}"))), 3);
        assert_eq!(
            static_rows(&pattern(&format!(
                "SELECT * {{ {one} {} }}",
                one.replace("?a", "?b")
            ))),
            9
        );
        assert_eq!(
            static_rows(&pattern(&format!(
                "SELECT * {{ {{ {one} }} UNION {{ {one} }} }}"
            ))),
            6
        );
        assert_eq!(static_rows(&pattern("SELECT * { ?s ?p ?o }")), 1);
    }

    #[test]
    fn amplifying_expressions_are_refused_and_ordinary_ones_pass() {
        let limit = 1 << 20;
        let ok = "SELECT ?x { ?s ?p ?o BIND(CONCAT(UCASE(STR(?s)), \" \", ?o) AS ?x) }";
        assert!(check(&pattern(ok), limit).is_ok());
        let nested =
            "SELECT ?x { ?s ?p ?o BIND(ENCODE_FOR_URI(ENCODE_FOR_URI(ENCODE_FOR_URI(?o))) AS ?x) }";
        assert!(check(&pattern(nested), limit).is_err());
        let square = "SELECT ?x { ?s ?p ?o BIND(REPLACE(?o, \"\", ?o) AS ?x) }";
        let groups =
            "SELECT ?x { ?s ?p ?o BIND(REPLACE(?o, \"(ab)|(a)\", \"[1=$1][2=$2]\") AS ?x) }";
        assert!(check(&pattern(groups), limit).is_ok(), "15× at most");
        let wide = format!(
            "SELECT ?x {{ ?s ?p ?o BIND(REPLACE(?o, \"\", \"{}\") AS ?x) }}",
            "y".repeat(16)
        );
        assert!(
            check(&pattern(&wide), limit).is_err(),
            "every position grows by 16 bytes"
        );
        assert!(
            check(&pattern(square), limit)
                .unwrap_err()
                .contains("quadratic")
        );
        let many = format!(
            "SELECT ?x {{ ?s ?p ?o BIND(CONCAT({}) AS ?x) }}",
            vec!["?o"; 17].join(",")
        );
        assert!(check(&pattern(&many), limit).is_err());
    }
}
