//! Binding the parameters of a canned query (`VALUES ?name { UNDEF }` declarations).

use super::QueryError;

/// Binds query parameters: each `VALUES ?name { UNDEF }` declaration in `text` becomes
/// `VALUES ?name { "value" }`. This is the convention of `queries/` (see
/// [`crate::queries`]): a textual rewrite of that one exact declaration, with the
/// value written as an escaped SPARQL literal, so nothing else in the query changes.
pub fn bind_parameters(text: &str, params: &[(String, String)]) -> Result<String, QueryError> {
    // Every declaration is found in the query's own text first, and the values are
    // spliced in one pass afterwards: a value is never searched again, so a value
    // that spells another declaration stays inside its literal.
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    for (position, (name, value)) in params.iter().enumerate() {
        if params[..position]
            .iter()
            .any(|(earlier, _)| earlier == name)
        {
            return Err(QueryError::BadParameter(format!(
                "the parameter `{name}` is given more than once; give each parameter one value"
            )));
        }
        let declaration = format!("VALUES ?{name} {{ UNDEF }}");
        let literal = oxigraph::model::Literal::new_simple_literal(value);
        let binding = format!("VALUES ?{name} {{ {literal} }}");
        let before = splices.len();
        splices.extend(
            text.match_indices(&declaration)
                .map(|(start, found)| (start, start + found.len(), binding.clone())),
        );
        if splices.len() == before {
            return Err(QueryError::BadParameter(format!(
                "the query has no parameter `{name}` (a parameter is declared as `{declaration}`)"
            )));
        }
    }
    splices.sort_by_key(|&(start, _, _)| start);
    let mut bound = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end, binding) in splices {
        // Declarations of different variables cannot overlap (each ends with `}`).
        bound.push_str(&text[copied..start]);
        bound.push_str(&binding);
        copied = end;
    }
    bound.push_str(&text[copied..]);
    Ok(bound)
}
