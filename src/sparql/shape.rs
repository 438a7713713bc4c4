//! The shape of a parsed query: the walkers that know every pattern and expression,
//! and the size and reach ([`Shape`]) measured with them.

/// The direct parts of a graph pattern: its sub-patterns and its own expressions
/// (filters, binds, ORDER BY keys, aggregates; an `EXISTS` pattern stays inside its
/// expression). The one place, with [`sub_patterns_mut`], that knows the shape of
/// every pattern, for the walkers that count, check or rewrite.
pub(crate) fn pattern_parts(
    pattern: &spargebra::algebra::GraphPattern,
) -> (
    Vec<&spargebra::algebra::GraphPattern>,
    Vec<&spargebra::algebra::Expression>,
) {
    use spargebra::algebra::{AggregateExpression, GraphPattern as P, OrderExpression};
    match pattern {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => (vec![], vec![]),
        P::Join { left, right }
        | P::Lateral { left, right }
        | P::Union { left, right }
        | P::Minus { left, right } => (vec![left, right], vec![]),
        P::LeftJoin {
            left,
            right,
            expression,
        } => (vec![left, right], expression.iter().collect()),
        P::Filter { expr, inner } => (vec![inner], vec![expr]),
        P::Extend {
            inner, expression, ..
        } => (vec![inner], vec![expression]),
        P::OrderBy { inner, expression } => (
            vec![inner],
            expression
                .iter()
                .map(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
                })
                .collect(),
        ),
        P::Group {
            inner, aggregates, ..
        } => (
            vec![inner],
            aggregates
                .iter()
                .filter_map(|(_, aggregate)| match aggregate {
                    AggregateExpression::FunctionCall { expr, .. } => Some(expr),
                    AggregateExpression::CountSolutions { .. } => None,
                })
                .collect(),
        ),
        P::Graph { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Service { inner, .. } => (vec![inner], vec![]),
    }
}

/// The direct sub-patterns of a graph pattern, to rewrite them in place.
pub(crate) fn sub_patterns_mut(
    pattern: &mut spargebra::algebra::GraphPattern,
) -> Vec<&mut spargebra::algebra::GraphPattern> {
    use spargebra::algebra::GraphPattern as P;
    match pattern {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => vec![],
        P::Join { left, right }
        | P::LeftJoin { left, right, .. }
        | P::Lateral { left, right }
        | P::Union { left, right }
        | P::Minus { left, right } => vec![left, right],
        P::Filter { inner, .. }
        | P::Graph { inner, .. }
        | P::Extend { inner, .. }
        | P::OrderBy { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Group { inner, .. }
        | P::Service { inner, .. } => vec![inner],
    }
}

/// The direct operands of an expression (none for terms, variables and `EXISTS`,
/// whose pattern is not an expression): the one place that knows the shape of every
/// expression, for the walkers that count or collect.
pub(crate) fn sub_expressions(
    expression: &spargebra::algebra::Expression,
) -> Vec<&spargebra::algebra::Expression> {
    use spargebra::algebra::Expression as E;
    match expression {
        E::NamedNode(_) | E::Literal(_) | E::Variable(_) | E::Bound(_) | E::Exists(_) => vec![],
        E::Or(a, b)
        | E::And(a, b)
        | E::Equal(a, b)
        | E::SameTerm(a, b)
        | E::Greater(a, b)
        | E::GreaterOrEqual(a, b)
        | E::Less(a, b)
        | E::LessOrEqual(a, b)
        | E::Add(a, b)
        | E::Subtract(a, b)
        | E::Multiply(a, b)
        | E::Divide(a, b) => vec![a, b],
        E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => vec![a],
        E::In(a, list) => std::iter::once(&**a).chain(list).collect(),
        E::If(a, b, c) => vec![a, b, c],
        E::Coalesce(list) | E::FunctionCall(_, list) => list.iter().collect(),
    }
}

/// The XSD casts spareval evaluates itself (with the `sep-0002` and `calendar-ext`
/// features oxigraph turns on); every other IRI called as a function is unknown.
/// A registered custom function would shadow the cast, so these are never registered.
const EVALUATED_CASTS: &[&str] = &[
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/2001/XMLSchema#boolean",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#time",
    "http://www.w3.org/2001/XMLSchema#dateTime",
    "http://www.w3.org/2001/XMLSchema#duration",
    "http://www.w3.org/2001/XMLSchema#yearMonthDuration",
    "http://www.w3.org/2001/XMLSchema#dayTimeDuration",
    "http://www.w3.org/2001/XMLSchema#gYear",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://www.w3.org/2001/XMLSchema#gMonth",
    "http://www.w3.org/2001/XMLSchema#gMonthDay",
    "http://www.w3.org/2001/XMLSchema#gDay",
];

/// Size and reach of a parsed query, measured in one walk over its algebra.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// Graph patterns, triple patterns, property-path steps and expression nodes.
    pub(crate) nodes: usize,
    pub(crate) uses_service: bool,
    /// IRIs called as functions that the evaluator does not implement.
    pub(crate) unknown_functions: std::collections::BTreeSet<oxigraph::model::NamedNode>,
}

impl Shape {
    pub(crate) fn of(query: &spargebra::Query) -> Shape {
        use spargebra::Query as Q;
        let mut shape = Shape::default();
        match query {
            Q::Select { pattern, .. }
            | Q::Construct { pattern, .. }
            | Q::Describe { pattern, .. }
            | Q::Ask { pattern, .. } => shape.pattern(pattern),
        }
        if let Q::Construct { template, .. } = query {
            shape.nodes += template.len();
        }
        shape
    }

    fn pattern(&mut self, pattern: &spargebra::algebra::GraphPattern) {
        use spargebra::algebra::GraphPattern as P;
        self.nodes += 1;
        match pattern {
            P::Service { .. } => self.uses_service = true,
            P::Bgp { patterns } => self.nodes += patterns.len(),
            P::Path { path, .. } => self.path(path),
            P::Group { aggregates, .. } => self.nodes += aggregates.len(),
            // Rows of VALUES cost linear time, and the query length bounds them.
            _ => {}
        }
        let (patterns, expressions) = pattern_parts(pattern);
        for expression in expressions {
            self.expression(expression);
        }
        for part in patterns {
            self.pattern(part);
        }
    }

    fn path(&mut self, path: &spargebra::algebra::PropertyPathExpression) {
        use spargebra::algebra::PropertyPathExpression as Path;
        self.nodes += 1;
        match path {
            Path::NamedNode(_) => {}
            Path::NegatedPropertySet(set) => self.nodes += set.len(),
            Path::Reverse(inner)
            | Path::ZeroOrMore(inner)
            | Path::OneOrMore(inner)
            | Path::ZeroOrOne(inner) => self.path(inner),
            Path::Sequence(a, b) | Path::Alternative(a, b) => {
                self.path(a);
                self.path(b);
            }
        }
    }

    fn expression(&mut self, expression: &spargebra::algebra::Expression) {
        self.nodes += 1;
        if let spargebra::algebra::Expression::FunctionCall(
            spargebra::algebra::Function::Custom(name),
            _,
        ) = expression
            && !EVALUATED_CASTS.contains(&name.as_str())
        {
            self.unknown_functions.insert(name.clone());
        }
        if let spargebra::algebra::Expression::Exists(pattern) = expression {
            self.pattern(pattern);
        }
        sub_expressions(expression)
            .into_iter()
            .for_each(|e| self.expression(e));
    }
}
