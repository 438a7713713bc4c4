//! `pedigree lineage` and `pedigree path`: walks of the lineage index.

use std::process::ExitCode;

use clap::ValueEnum;
use pedigree::lineage::bounded::{BoundedRequest, Bounds, MAX_PICTURE_NODES, PICTURE_NODES};
use pedigree::lineage::render::{self, Views};
use pedigree::lineage::{self, Direction, Filter};
use pedigree::model::{Confidence, PartialDate, Relation, Stage};

use super::{DataArgs, EXIT_FAILURE, EXIT_OK};

/// The filters shared by `lineage` and `path`.
#[derive(Debug, clap::Args)]
struct FilterArgs {
    /// Follow only these relations (repeatable).
    #[arg(long = "relation", value_name = "RELATION", value_enum)]
    relations: Vec<Relation>,
    /// Follow only `trained_on` edges of these training stages (repeatable); edges of
    /// other relations are followed as usual.
    #[arg(long = "stage", value_name = "STAGE", value_enum)]
    stages: Vec<Stage>,
    /// Follow only edges at least this sure.
    #[arg(long, value_enum)]
    min_confidence: Option<Confidence>,
    /// The lineage as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD; a year or month
    /// means its last day): an edge counts from its claim's `from`, else its model's
    /// release, else its first report, until its `until`, ended or not; without it, only
    /// claims with no `until`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<PartialDate>,
    /// Only edges whose earliest source had been published by this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    known_at: Option<PartialDate>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            relations: self.relations.clone(),
            stages: self.stages.clone(),
            min_confidence: self.min_confidence,
            as_of: self.as_of.map(lineage::last_day),
            known_at: self.known_at.map(lineage::last_day),
        }
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct LineageArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The model's id.
    model: String,
    /// Towards bases, towards derivatives, or both ways.
    #[arg(long, value_enum, default_value_t = Direction::Both)]
    direction: Direction,
    /// Follow at most this many edges away from the model.
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, value_enum, default_value_t = LineageFormat::Text)]
    format: LineageFormat,
    /// Most models to draw or list, the closest and best-ranked first; the rest are
    /// folded into counts. The SVG draws 40 by default (at most 400, and at most 8
    /// new models around each); the other formats list everything unless told.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub(super) struct PathArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Id of the first model.
    from: String,
    /// Id of the second model.
    to: String,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, value_enum, default_value_t = PathFormat::Text)]
    format: PathFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LineageFormat {
    Text,
    Json,
    Dot,
    Mermaid,
    Svg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PathFormat {
    Text,
    Json,
}

/// The API's grammar of dates in questions ([`PartialDate::parse_any_year`]), so the
/// CLI answers every question the API answers.
fn parse_date(text: &str) -> Result<PartialDate, String> {
    PartialDate::parse_any_year(text).map_err(|e| e.to_string())
}

pub(super) fn run(args: &LineageArgs) -> anyhow::Result<ExitCode> {
    let kb = match args.data.knowledge_base()? {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let direction = args.direction;
    let limit = args.limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let bounds = match (args.format, limit) {
        (LineageFormat::Svg, limit) => {
            if limit.is_some_and(|n| n > MAX_PICTURE_NODES) {
                eprintln!(
                    "pedigree: --limit for an SVG is at most {MAX_PICTURE_NODES} models (a picture of more is not readable); the other formats take any"
                );
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
            Bounds::picture(limit.unwrap_or(PICTURE_NODES))
        }
        (_, Some(limit)) => Bounds {
            max_nodes: limit,
            per_node: None,
        },
        (_, None) => Bounds::UNBOUNDED,
    };
    let filter = args.filters.filter();
    let request = BoundedRequest {
        root: &args.model,
        also: &[],
        direction,
        filter: &filter,
        max_depth: args.depth,
        bounds,
    };
    let walk = match kb.lineage.walk_bounded(&kb.dataset, &request, &|| false) {
        Ok(walk) => walk,
        Err(error) => return Ok(unknown_model(&kb, &error)),
    };
    let views = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    };
    let view = views.lineage(&walk, direction, &pedigree::site::neighbours_href);
    let text = match args.format {
        LineageFormat::Text => render::text(&view),
        LineageFormat::Json => format!("{}\n", serde_json::to_string_pretty(&view)?),
        LineageFormat::Dot => render::dot(&view),
        LineageFormat::Mermaid => render::mermaid(&view),
        LineageFormat::Svg => pedigree::lineage::svg::render(&view, &pedigree::site::svg_link),
    };
    print!("{text}");
    Ok(ExitCode::from(EXIT_OK))
}

pub(super) fn run_path(args: &PathArgs) -> anyhow::Result<ExitCode> {
    let kb = match args.data.knowledge_base()? {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let path = match kb
        .lineage
        .path(&args.from, &args.to, &args.filters.filter())
    {
        Ok(path) => path,
        Err(error) => return Ok(unknown_model(&kb, &error)),
    };
    let views = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    };
    let Some(path) = path else {
        match args.format {
            PathFormat::Json => println!("null"),
            PathFormat::Text => println!(
                "`{}` and `{}` are not related by lineage",
                args.from, args.to
            ),
        }
        return Ok(ExitCode::from(EXIT_OK));
    };
    let view = views.path(&path);
    match args.format {
        PathFormat::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        PathFormat::Text => {
            // Names come from the data: escaped, so none can act on the terminal.
            let name =
                |node: &pedigree::view::NodeView| pedigree::escape::line(&node.name).into_owned();
            println!("{} ({})", name(&view.nodes[0]), view.nodes[0].id);
            for (step, node) in view.steps.iter().zip(&view.nodes[1..]) {
                // ─▶ "derives from" (towards a base), ◀─ "is a base of".
                let arrow = if step.direction == Direction::Up {
                    "─▶"
                } else {
                    "◀─"
                };
                println!(
                    "  {arrow} {} · {}: {} ({})",
                    step.edge.relation,
                    step.edge.confidence,
                    name(node),
                    node.id
                );
            }
            println!(
                "{} step{}",
                view.length,
                if view.length == 1 { "" } else { "s" }
            );
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// "no model `x`", with suggestions, as a usage error.
pub(super) fn unknown_model(
    kb: &pedigree::kb::KnowledgeBase,
    error: &lineage::LineageError,
) -> ExitCode {
    let lineage::LineageError::UnknownModel(id) = error else {
        eprintln!("pedigree: {error}");
        return ExitCode::from(EXIT_FAILURE);
    };
    let ids = kb.dataset.models.iter().map(|m| m.id.as_str());
    match pedigree::diagnostics::did_you_mean(id, ids) {
        Some(hint) => eprintln!("pedigree: {error}; {hint}"),
        None => eprintln!("pedigree: {error}"),
    }
    ExitCode::from(EXIT_FAILURE)
}
