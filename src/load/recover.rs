//! Ids of files that failed to parse, recovered from a lenient second parse or else
//! from the file name, so that references to them do not pile up as spurious
//! "unknown reference" errors.

use std::path::Path;

use serde::Deserialize;

use super::parse::yaml_options;
use super::{Loaded, RecoveredId};
use crate::diagnostics::FileId;
use crate::model::{Id, Kind, Span, Spanned};

/// Just enough of a record to learn its id from a file that failed the strict parse.
#[derive(Deserialize)]
struct IdProbe {
    id: Option<Spanned<Id>>,
}

pub(super) fn recover_ids(loaded: &mut Loaded, kind: Kind, file: FileId) {
    let text = &loaded.files[file.0 as usize].text;
    let probes: Result<Vec<IdProbe>, _> =
        serde_saphyr::from_multiple_with_options(text, yaml_options());
    match probes {
        Ok(probes) => {
            let ids = probes.into_iter().filter_map(|p| p.id);
            let recovered: Vec<RecoveredId> =
                ids.map(|id| RecoveredId { file, kind, id }).collect();
            loaded.recovered.extend(recovered);
        }
        Err(_) => {
            let path = loaded.files[file.0 as usize].path.clone();
            recover_from_file_name(loaded, kind, &path);
        }
    }
}

pub(super) fn recover_from_file_name(loaded: &mut Loaded, kind: Kind, path: &Path) {
    let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return;
    };
    if Id::check(&stem).is_ok() {
        // The id has no place in any file's text; point at the start of the file.
        let file = loaded
            .files
            .iter()
            .rposition(|f| f.path == path)
            .map(|i| FileId(i as u32))
            .unwrap_or(FileId(0));
        loaded.recovered.push(RecoveredId {
            file,
            kind,
            id: Spanned::new(Id::new(stem), Span::default()),
        });
    }
}
