//! The profile and the hub's meta facts.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{MAX_TEXT_BYTES, Store, StoreError, check_text};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        // The texts are kebab-case of the variant names (a test below checks it). The rename is
        // written out at the enum level rather than as `#[serde(rename = $text)]` per variant:
        // utoipa cannot read a macro fragment there and documented `"Plain"` for `"plain"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The value as written in the database, exports and the content format.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value written `s`, if there is one.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// The person's role in the citizen-development programme (the content format's audiences).
    Role {
        /// Builds apps with low-code tools.
        CitizenDeveloper = "citizen-developer",
        /// Coaches citizen developers.
        Mentor = "mentor",
        /// Runs the platform.
        ItAdmin = "it-admin",
        /// Looks after data quality and access.
        DataSteward = "data-steward",
        /// Is accountable for an app in production.
        AppOwner = "app-owner",
    }
}

text_enum! {
    /// Which glossary definition is shown first.
    GlossaryView {
        /// The one-sentence plain-language definition.
        Plain = "plain",
        /// The engineer's definition.
        Technical = "technical",
    }
}

text_enum! {
    /// The colour theme of the app.
    Theme {
        /// Follow the operating system.
        System = "system",
        /// Light.
        Light = "light",
        /// Dark.
        Dark = "dark",
    }
}

/// The person using this hub. A fresh store holds [`Profile::default`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// The name shown in the app; may be empty (at most [`MAX_TEXT_BYTES`] bytes).
    pub display_name: String,
    /// The programme role, if the person chose one.
    pub role: Option<Role>,
    /// Which glossary definition is shown first.
    pub glossary_view: GlossaryView,
    /// The colour theme.
    pub theme: Theme,
    /// A BCP 47 language tag (at most 64 bytes), or `None` for the hub's default language.
    pub language: Option<String>,
}

impl Default for Profile {
    fn default() -> Profile {
        Profile {
            display_name: String::new(),
            role: None,
            glossary_view: GlossaryView::Plain,
            theme: Theme::System,
            language: None,
        }
    }
}

impl Profile {
    /// What is wrong with this profile as input, if anything: `(field, problem)`.
    pub(crate) fn problem(&self) -> Option<(&'static str, crate::InputProblem)> {
        if let Some(p) = crate::text_problem(&self.display_name, MAX_TEXT_BYTES, true) {
            return Some(("display_name", p));
        }
        let lang = self.language.as_deref()?;
        crate::text_problem(lang, 64, false).map(|p| ("language", p))
    }
}

/// Facts about the hub this store belongs to, written by the caller and carried in exports so a
/// person can tell which hub an export came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubMeta {
    /// The hub's name (from `guildhall.toml`), if known.
    pub name: Option<String>,
    /// The content folder the hub was opened from, if known.
    pub content_path: Option<String>,
}

const META_NAME: &str = "hub_name";
const META_CONTENT_PATH: &str = "content_path";

impl Store {
    /// The profile; the defaults when none was saved.
    pub fn profile(&self) -> Result<Profile, StoreError> {
        read_profile(&self.conn)
    }

    /// Saves the profile, replacing the previous one.
    pub fn set_profile(&mut self, profile: &Profile) -> Result<(), StoreError> {
        if let Some((field, problem)) = profile.problem() {
            return Err(StoreError::InvalidInput { field, problem });
        }
        self.write(|tx| write_profile(tx, profile))
    }

    /// The hub facts saved with [`Store::set_hub_meta`].
    pub fn hub_meta(&self) -> Result<HubMeta, StoreError> {
        let get = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
        };
        Ok(HubMeta { name: get(META_NAME)?, content_path: get(META_CONTENT_PATH)? })
    }

    /// Records which hub this store belongs to (the core calls this at open).
    pub fn set_hub_meta(&mut self, meta: &HubMeta) -> Result<(), StoreError> {
        for (field, value) in [("hub name", &meta.name), ("content path", &meta.content_path)] {
            if let Some(v) = value {
                check_text(field, v, MAX_TEXT_BYTES, false)?;
            }
        }
        self.write(|tx| {
            for (key, value) in [(META_NAME, &meta.name), (META_CONTENT_PATH, &meta.content_path)] {
                match value {
                    Some(v) => tx.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![key, v],
                    )?,
                    None => tx.execute("DELETE FROM meta WHERE key = ?1", [key])?,
                };
            }
            Ok(())
        })
    }
}

pub(crate) fn read_profile(conn: &rusqlite::Connection) -> Result<Profile, StoreError> {
    let row = conn
        .query_row("SELECT display_name, role, glossary_view, theme, language FROM profile WHERE id = 1", [], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    let Some((display_name, role, view, theme, language)) = row else {
        return Ok(Profile::default());
    };
    let bad = |column, value: &str| StoreError::InvalidStoredValue { column, value: value.to_string() };
    let role = match role {
        Some(r) => Some(Role::parse(&r).ok_or_else(|| bad("profile.role", &r))?),
        None => None,
    };
    Ok(Profile {
        display_name,
        role,
        glossary_view: GlossaryView::parse(&view).ok_or_else(|| bad("profile.glossary_view", &view))?,
        theme: Theme::parse(&theme).ok_or_else(|| bad("profile.theme", &theme))?,
        language,
    })
}

pub(crate) fn write_profile(tx: &rusqlite::Transaction<'_>, p: &Profile) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO profile (id, display_name, role, glossary_view, theme, language) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
             glossary_view = excluded.glossary_view, theme = excluded.theme, language = excluded.language",
        params![p.display_name, p.role.map(Role::as_str), p.glossary_view.as_str(), p.theme.as_str(), p.language],
    )?;
    Ok(())
}

#[cfg(test)]
mod wire_names {
    use super::{GlossaryView, Role, Theme};

    fn same<T: serde::Serialize + Copy + std::fmt::Display>(all: &[T]) {
        for v in all {
            assert_eq!(serde_json::to_string(v).expect("serialise"), format!("\"{v}\""));
        }
    }

    #[test]
    fn json_names_are_the_stored_texts() {
        same(Role::ALL);
        same(GlossaryView::ALL);
        same(Theme::ALL);
    }
}
