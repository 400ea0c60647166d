//! Who may post what: a kind's body rule, and the roles of `guildhall.toml` on `main`.

use std::path::Path;

use git2::Repository;
use guildhall_content::{CONFIG_FILE, HubConfig, Member};

use super::{Body, KindSpec};
use crate::{MAIN, Person};

pub(super) fn check_body(spec: &KindSpec, body: &str) -> Result<(), String> {
    match spec.body {
        Body::None if !body.trim().is_empty() => Err(format!("a `{}` event has no body", spec.name)),
        Body::Required if body.trim().is_empty() => Err(format!("a `{}` event needs a body", spec.name)),
        _ => Ok(()),
    }
}

/// Why `who` may not post `spec` (None: they may).
pub(super) fn missing_role(spec: &KindSpec, who: &Person, members: &[Member]) -> Option<String> {
    if spec.roles.is_empty() {
        return None;
    }
    let member = members.iter().find(|m| !m.email.is_empty() && m.email.eq_ignore_ascii_case(&who.email));
    let has = member.is_some_and(|m| m.roles.iter().any(|r| spec.roles.contains(r)));
    (!has).then(|| {
        format!(
            "a `{}` event needs the role {} in guildhall.toml on main, and {who} {}",
            spec.name,
            spec.roles.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" or "),
            if member.is_some() { "does not have it" } else { "is not a member" }
        )
    })
}

/// The members of `guildhall.toml` on `main`, and why none are when it does not parse.
pub(super) fn members_on_main(repo: &Repository) -> (Vec<Member>, Option<String>) {
    let Some(tree) = repo.find_reference(MAIN).ok().and_then(|r| r.peel_to_tree().ok()) else {
        return (Vec::new(), None);
    };
    let Ok(entry) = tree.get_path(Path::new(CONFIG_FILE)) else { return (Vec::new(), None) };
    let Ok(blob) = repo.find_blob(entry.id()) else { return (Vec::new(), None) };
    let text = String::from_utf8_lossy(blob.content());
    let (config, diags) = HubConfig::parse(&text);
    if let Some(d) = diags.first() {
        return (
            Vec::new(),
            Some(format!(
                "guildhall.toml on main does not parse ({d}): nobody holds a role until an admin fixes it directly on main"
            )),
        );
    }
    (config.members, None)
}
