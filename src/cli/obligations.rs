//! `pedigree obligations`: what a model owes along its lineage, and its findings.

use std::fmt::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use pedigree::dataset::RecordRef;
use pedigree::escape::line;
use pedigree::lineage::LineageError;
use pedigree::model::Bearing;
use pedigree::obligations::view::{ClauseView, ObligationView, ObligationsView};

use super::{DataArgs, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct ObligationsArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The model's id.
    model: String,
    #[arg(long, value_enum, default_value_t = ObligationsFormat::Text)]
    format: ObligationsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ObligationsFormat {
    Text,
    Json,
}

pub(super) fn run(args: &ObligationsArgs) -> anyhow::Result<ExitCode> {
    let kb = match args.data.knowledge_base()? {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let Some(RecordRef::Model(position)) = kb.dataset.get(&args.model) else {
        let error = LineageError::UnknownModel(args.model.clone());
        return Ok(super::lineage::unknown_model(&kb, &error));
    };
    let view = kb.obligations().view(position as usize);
    match args.format {
        ObligationsFormat::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        ObligationsFormat::Text => print!("{}", text(&view)),
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// What the clause asks (its one wording), with the policy it names.
fn what(clause: &ClauseView) -> String {
    match &clause.policy {
        Some(policy) => format!("{} ({policy})", clause.summary()),
        None => clause.summary(),
    }
}

fn origin(o: &ObligationView) -> String {
    if o.own {
        return "its own licence".to_owned();
    }
    let steps: Vec<String> = o
        .chain
        .iter()
        .map(|e| format!("{} ({})", e.relation, e.confidence))
        .collect();
    let member = o
        .member
        .as_ref()
        .map(|m| format!(", its member {} (checkpoint not known)", m.id))
        .unwrap_or_default();
    format!("from {}{member} through {}", o.from.id, steps.join(" → "))
}

/// The answer as text, grouped as the model page groups it. Everything from the data
/// is escaped (see [`line`]), so no record can act on the terminal.
fn text(view: &ObligationsView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", line(&view.model.name), view.model.id);
    let declared: Vec<String> = view
        .declared
        .iter()
        .map(|l| format!("{} ({})", line(&l.name), l.spdx))
        .collect();
    let _ = writeln!(
        out,
        "declares: {}",
        if declared.is_empty() {
            "no licence recorded".to_owned()
        } else {
            declared.join(", ")
        }
    );
    if !view.findings.is_empty() {
        let _ = writeln!(out, "\nfindings");
        for f in &view.findings {
            let _ = writeln!(
                out,
                "  {} {} [{}]: {}",
                f.code,
                f.name,
                f.obligation.certainty,
                line(&f.message)
            );
        }
    }
    for (bearing, title) in [
        (Bearing::Obligation, "what you must do"),
        (Bearing::Restriction, "what you may not do"),
        (Bearing::Permission, "what you may do"),
    ] {
        let list: Vec<&ObligationView> = view
            .obligations
            .iter()
            .filter(|o| o.bearing == bearing)
            .collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for o in list {
            let _ = writeln!(
                out,
                "  - {} [{}]\n    {} {}, {}\n    “{}”\n    {}",
                line(&what(&o.clause)),
                o.certainty,
                line(&o.license.name),
                line(&o.clause.section),
                origin(o),
                line(&o.clause.quote),
                line(&o.clause.url),
            );
        }
    }
    if view.obligations.is_empty() {
        let _ = writeln!(
            out,
            "\nno licence on this model or up its lineage has clauses that reach it"
        );
    }
    out
}
