//! The safety rail on mass deletions: publishing a change that deletes more than a tenth of the
//! hub's published documents needs an admin's explicit confirmation (a mistaken "delete folder"
//! or a bad import should not empty the hub on one reviewer's click).

use std::path::Path;

use git2::{ObjectType, Oid, TreeWalkMode, TreeWalkResult};
use guildhall_content::is_markdown;

use crate::{Review, ReviewError};

/// Deleting more than this percentage of the published documents at once needs an admin's
/// confirmation.
pub const MASS_DELETION_PERCENT: usize = 10;

/// How many published documents a proposal deletes, of how many `main` has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletions {
    pub deleted: usize,
    pub published: usize,
}

impl Deletions {
    /// Whether publishing this needs an admin's confirmation.
    pub fn need_confirmation(self) -> bool {
        self.deleted > 0 && self.deleted * 100 > self.published * MASS_DELETION_PERCENT
    }
}

impl Review {
    /// How many published documents (Markdown files on `main`) proposal `id` deletes.
    pub fn deletions(&self, id: &str) -> Result<Deletions, ReviewError> {
        let p = self.proposal(id)?;
        let main = self.main_commit()?.tree()?;
        let proposed = self.repo.find_commit(Oid::from_str(&p.commit)?)?.tree()?;
        let mut published = 0;
        main.walk(TreeWalkMode::PreOrder, |_, entry| {
            if entry.kind() == Some(ObjectType::Blob) && entry.name().is_some_and(is_markdown) {
                published += 1;
            }
            TreeWalkResult::Ok
        })?;
        let deleted = p
            .files
            .iter()
            .filter(|f| is_markdown(f))
            .filter(|f| main.get_path(Path::new(f)).is_ok() && proposed.get_path(Path::new(f)).is_err())
            .count();
        Ok(Deletions { deleted, published })
    }

    /// Refuses to publish proposal `id` when it deletes more than [`MASS_DELETION_PERCENT`] of
    /// the published documents, unless `confirmed` by an admin.
    pub fn check_deletions(&self, id: &str, confirmed: bool) -> Result<Deletions, ReviewError> {
        let d = self.deletions(id)?;
        if !d.need_confirmation() {
            return Ok(d);
        }
        if !confirmed {
            return Err(ReviewError::MassDeletion { id: id.to_string(), deleted: d.deleted, published: d.published });
        }
        let who = self.identity()?;
        if !who.roles.iter().any(|r| r == "admin") {
            return Err(ReviewError::Permission {
                who: who.name,
                action: format!("confirm deleting {} of the hub's {} documents", d.deleted, d.published),
                kind: None,
                roles: vec!["admin".to_string()],
            });
        }
        Ok(d)
    }
}
