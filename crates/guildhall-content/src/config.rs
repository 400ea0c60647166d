//! `guildhall.toml`: hub settings. The file is optional; every field has a default.

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, LineIndex};

/// The name of the settings file at the root of a hub.
pub const CONFIG_FILE: &str = "guildhall.toml";

/// Hub settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HubConfig {
    /// The hub's display name; default: the folder name.
    pub name: Option<String>,
    /// The language of pages without a `lang` field (BCP 47, e.g. `en-GB`).
    pub default_lang: Option<String>,
    /// The people of the hub and their roles.
    pub members: Vec<Member>,
    /// Settings Guildhall does not know (yet), kept as written.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// A person of the hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Member {
    /// The display name.
    pub name: String,
    /// The e-mail address; matched against the local git identity.
    pub email: String,
    /// `citizen-developer`, `mentor`, `it-admin`, `data-steward`, `app-owner`, `admin`.
    pub roles: Vec<String>,
}

/// The roles a member may have.
pub const ROLES: [&str; 6] = ["citizen-developer", "mentor", "it-admin", "data-steward", "app-owner", "admin"];

impl HubConfig {
    /// Parses `guildhall.toml`. A malformed file gives the defaults and a diagnostic.
    pub fn parse(text: &str) -> (HubConfig, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let config = match toml::from_str::<HubConfig>(text) {
            Ok(c) => c,
            Err(e) => {
                let (line, col) = e.span().map_or((1, 1), |s| LineIndex::new(text).line_col(text, s.start));
                diags.push(
                    Diagnostic::error(Code::Config, CONFIG_FILE, e.message().to_string())
                        .at(line, col)
                        .with_hint("see docs/content-format.md for the settings Guildhall reads"),
                );
                return (HubConfig::default(), diags);
            }
        };
        for m in &config.members {
            for r in &m.roles {
                if !ROLES.contains(&r.as_str()) {
                    let line = find_line(text, r);
                    diags.push(
                        Diagnostic::error(
                            Code::Config,
                            CONFIG_FILE,
                            format!("member `{}` has unknown role `{r}`", m.name),
                        )
                        .at(line, 1)
                        .with_hint(format!("roles are: {}", ROLES.join(", "))),
                    );
                }
            }
        }
        (config, diags)
    }
}

fn find_line(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).map_or(1, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_members_and_keeps_unknown_settings() {
        let (c, d) = HubConfig::parse(
            "name = \"Hub\"\nfuture = 1\n[[members]]\nname = \"A\"\nemail = \"a@x\"\nroles = [\"mentor\"]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.members[0].roles, ["mentor"]);
        assert!(c.extra.contains_key("future"));
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let (_, d) = HubConfig::parse("name = \"Hub\"\nbroken = \n");
        assert_eq!(d[0].code, Code::Config);
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn unknown_role_is_reported() {
        let (_, d) = HubConfig::parse("[[members]]\nname = \"A\"\nroles = [\"wizard\"]\n");
        assert_eq!(d[0].line, 3);
    }
}
