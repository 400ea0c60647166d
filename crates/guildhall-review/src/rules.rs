//! Who may approve what: the `[review]` table of `guildhall.toml` and the members' roles.

use std::collections::BTreeMap;

use guildhall_content::{HubConfig, Member};
use serde::{Deserialize, Serialize};

use crate::ReviewError;

/// What a change is, for deciding who may approve it. Policies are guides with
/// `category: policy`; `config` is `guildhall.toml` itself (which holds the roles); `asset` is any
/// other file (images, attachments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeKind {
    Term,
    Pattern,
    CaseStudy,
    Path,
    Guide,
    Policy,
    Config,
    Asset,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Term,
        ChangeKind::Pattern,
        ChangeKind::CaseStudy,
        ChangeKind::Path,
        ChangeKind::Guide,
        ChangeKind::Policy,
        ChangeKind::Config,
        ChangeKind::Asset,
    ];

    /// The name used in `guildhall.toml`, JSON and the CLI: `case-study`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Term => "term",
            ChangeKind::Pattern => "pattern",
            ChangeKind::CaseStudy => "case-study",
            ChangeKind::Path => "path",
            ChangeKind::Guide => "guide",
            ChangeKind::Policy => "policy",
            ChangeKind::Config => "config",
            ChangeKind::Asset => "asset",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Who approves this kind when `guildhall.toml` does not say: mentors and admins approve
    /// case studies, patterns, guides and files; only admins approve glossary terms, policies,
    /// paths and the settings file.
    pub fn default_approvers(self) -> &'static [&'static str] {
        match self {
            ChangeKind::CaseStudy | ChangeKind::Pattern | ChangeKind::Guide | ChangeKind::Asset => &["mentor", "admin"],
            ChangeKind::Term | ChangeKind::Policy | ChangeKind::Path | ChangeKind::Config => &["admin"],
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `[review]` table of `guildhall.toml`:
///
/// ```toml
/// [review]
/// allow_self_approval = false           # a single-person hub may turn this on
/// approvers = { term = ["admin"], case-study = ["mentor", "admin"] }
/// ```
///
/// Kinds not named in `approvers` keep their defaults ([`ChangeKind::default_approvers`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewRules {
    /// Whether the author of a proposal may approve (or reject) it; the history then says
    /// "self-approved".
    pub allow_self_approval: bool,
    /// Roles that may approve each kind of change.
    pub approvers: BTreeMap<String, Vec<String>>,
}

impl ReviewRules {
    /// Reads the `[review]` table from a parsed `guildhall.toml`. A malformed table, an unknown
    /// kind or an unknown role is an error: a typo must never silently widen who may publish.
    pub fn from_config(config: &HubConfig) -> Result<ReviewRules, ReviewError> {
        let Some(value) = config.extra.get("review") else { return Ok(ReviewRules::default()) };
        let rules: ReviewRules = value
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| ReviewError::Config(format!("[review]: {}", e.message())))?;
        for (kind, roles) in &rules.approvers {
            if ChangeKind::parse(kind).is_none() {
                return Err(ReviewError::Config(format!(
                    "[review] approvers: unknown kind `{kind}` (kinds are: {})",
                    ChangeKind::ALL.map(ChangeKind::as_str).join(", ")
                )));
            }
            if let Some(r) = roles.iter().find(|r| !guildhall_content::ROLES.contains(&r.as_str())) {
                return Err(ReviewError::Config(format!("[review] approvers.{kind}: unknown role `{r}`")));
            }
        }
        Ok(rules)
    }

    /// The roles that may approve `kind`.
    pub fn approvers(&self, kind: ChangeKind) -> Vec<String> {
        match self.approvers.get(kind.as_str()) {
            Some(roles) => roles.clone(),
            None => kind.default_approvers().iter().map(|r| (*r).to_string()).collect(),
        }
    }

    /// The first kind among `kinds` that `member` may not approve, with the roles it needs.
    pub fn missing_role(&self, member: &Member, kinds: &[ChangeKind]) -> Option<(ChangeKind, Vec<String>)> {
        kinds.iter().find_map(|&k| {
            let needed = self.approvers(k);
            (!needed.iter().any(|r| member.roles.contains(r))).then_some((k, needed))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> HubConfig {
        let (c, d) = HubConfig::parse(text);
        assert!(d.is_empty(), "{d:?}");
        c
    }

    #[test]
    fn defaults_follow_the_issue() {
        let r = ReviewRules::default();
        let mentor = Member { name: "M".into(), email: "m@x".into(), roles: vec!["mentor".into()] };
        assert_eq!(r.missing_role(&mentor, &[ChangeKind::CaseStudy, ChangeKind::Pattern, ChangeKind::Guide]), None);
        let (k, needed) = r.missing_role(&mentor, &[ChangeKind::Guide, ChangeKind::Policy]).expect("policy");
        assert_eq!((k, needed), (ChangeKind::Policy, vec!["admin".to_string()]));
        assert!(r.missing_role(&mentor, &[ChangeKind::Term]).is_some());
        assert!(r.missing_role(&mentor, &[ChangeKind::Path]).is_some());
    }

    #[test]
    fn the_review_table_overrides_defaults() {
        let r = ReviewRules::from_config(&config(
            "[review]\nallow_self_approval = true\napprovers = { term = [\"mentor\"] }\n",
        ))
        .expect("rules");
        assert!(r.allow_self_approval);
        assert_eq!(r.approvers(ChangeKind::Term), ["mentor"]);
        assert_eq!(r.approvers(ChangeKind::Path), ["admin"]);
    }

    #[test]
    fn typos_are_errors_not_wider_permissions() {
        for bad in [
            "[review]\napprovers = { trem = [\"mentor\"] }\n",
            "[review]\napprovers = { term = [\"wizard\"] }\n",
            "[review]\nallow_self_approvals = true\n",
        ] {
            assert!(matches!(ReviewRules::from_config(&config(bad)), Err(ReviewError::Config(_))), "{bad}");
        }
    }
}
