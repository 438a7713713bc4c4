//! The BOM route: `/api/models/{id}/bom`, a model's AI bill of materials as CycloneDX
//! 1.6 JSON or SPDX 3.0.1 JSON-LD (`crate::bom` builds both).
//!
//! What the format could not carry is never dropped silently: the document's answer
//! says how many kinds of fact were not carried in its `Pedigree-Not-Carried` header,
//! with the address of their list (`3;list="/api/models/x/bom?format=spdx&with=losses"`,
//! an RFC 8941 structured item), and `with=losses` answers the document and the list
//! together in one JSON object. The document itself stays exactly what the format
//! defines, so a BOM tool can read the plain answer as it is.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::not_found;
use crate::bom::{self, BomError, Format, Loss};
use crate::model::Kind;
use crate::server::blocking::run_limited;
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;

/// The header that counts what the document's format could not carry.
pub const NOT_CARRIED_HEADER: &str = "pedigree-not-carried";

/// A BOM with what its format could not carry (`with=losses`).
#[derive(Debug, Serialize, ToSchema)]
pub struct BomWithLosses {
    pub format: Format,
    /// The document, exactly as the plain answer gives it.
    #[schema(value_type = Object)]
    pub bom: serde_json::Value,
    /// One entry per kind of fact the format has no place for; empty when nothing
    /// was lost.
    pub not_carried: Vec<Loss>,
}

/// A model's AI bill of materials: the model and every model and dataset it derives
/// from (the claims that hold now, every relation), with each edge's relation,
/// confidence and sources.
#[utoipa::path(
    get,
    path = "/api/models/{id}/bom",
    params(
        ("id" = String, Path, description = "Model id"),
        ("format" = Option<Format>, Query, description = "cyclonedx (CycloneDX 1.6 JSON, the default) or spdx (SPDX 3.0.1 JSON-LD)"),
        ("with" = Option<String>, Query, pattern = "^losses$", description = "`losses`: answer a JSON object with the document (`bom`) and what its format could not carry (`not_carried`)"),
    ),
    responses(
        (status = 200, description = "The BOM. The `Pedigree-Not-Carried` header counts the kinds of fact the format could not carry and gives the address of their list (`N;list=\"…&with=losses\"`); with `with=losses`, a BomWithLosses", content(
            (Object = "application/vnd.cyclonedx+json"),
            (Object = "application/spdx+json"),
            (BomWithLosses = "application/json"),
        ), headers(
            ("Pedigree-Not-Carried" = String, description = "How many kinds of fact the format could not carry, and where they are listed: `2;list=\"/api/models/{id}/bom?format=spdx&with=losses\"`"),
        )),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "No such model; `did_you_mean` lists close ids"),
    ),
    tag = "models"
)]
pub(in crate::server) async fn bom(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Params::parse(&uri, &["format", "with"])?;
    let format = params
        .word::<Format>("format")?
        .unwrap_or(Format::Cyclonedx);
    let with_losses = params
        .parsed("with", |v| (v == "losses").then_some(()), "losses")?
        .is_some();
    let snapshot = state.snapshot();
    run_limited(&state, move |_guard| {
        let kb = &snapshot.kb;
        let bom = bom::build(&kb.dataset, &kb.lineage, &kb.iris, &id, format)
            .map_err(|BomError::UnknownModel(id)| not_found(&kb.dataset, Kind::Model, &id))?;
        if with_losses {
            return Ok(Json(BomWithLosses {
                format,
                bom: bom.document,
                not_carried: bom.not_carried,
            })
            .into_response());
        }
        // Ids are validated (letters, digits, `.`, `-`), so the path needs no escaping
        // and the header value is plain ASCII.
        let list = format!("/api/models/{id}/bom?format={format}&with=losses");
        let count = format!("{};list=\"{list}\"", bom.not_carried.len());
        let count = HeaderValue::from_str(&count).map_err(ApiError::internal)?;
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(format.media_type()),
                ),
                (HeaderName::from_static(NOT_CARRIED_HEADER), count),
            ],
            bom.to_json(),
        )
            .into_response())
    })
    .await
}
