use std::io::Read as _;

use guildhall_core::PersonalData;

use super::prelude::*;

/// Replace all personal data with an exported JSON file. All or nothing: if anything in the
/// file is wrong, nothing changes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exported file.
    file: PathBuf,
}

/// Exports larger than this are not personal data from Guildhall.
const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let file = &args.file;
    let unreadable = || format!("cannot read `{}`", file.display());
    let mut text = String::new();
    std::fs::File::open(file)
        .with_context(unreadable)?
        .take(MAX_IMPORT_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(unreadable)?;
    if text.len() as u64 > MAX_IMPORT_BYTES {
        bail!("`{}` is larger than {} MiB: not a Guildhall export", file.display(), MAX_IMPORT_BYTES >> 20);
    }
    let refused = || format!("`{}` cannot be imported, nothing was changed", file.display());
    let personal = PersonalData::from_json(&text).map_err(Error::from).with_context(refused)?;
    let hub = open_indexed(g, false)?;
    hub.import_personal(&personal).with_context(refused)?;
    writeln!(stdout(), "imported personal data from {}", file.display())?;
    Ok(Outcome::Success)
}
