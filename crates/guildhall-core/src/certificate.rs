//! Completion certificates: a self-contained, print-friendly HTML page and an Open Badges 3.0
//! style JSON credential, both built from the person's recorded completion and the path as it is
//! in the hub. Neither is signed: they are self-reported records and say so.

use guildhall_content::{Kind, escape, fnv1a64};
use guildhall_store::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Error, Hub, path_version};

/// The W3C Verifiable Credentials Data Model 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context (the version that goes with the VC 2.0 data model).
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// What the certificate says about its own trustworthiness, in both formats.
pub const UNSIGNED_NOTICE: &str = "Self-reported and unsigned: this record was produced by the person's own copy of \
     Guildhall from their local progress. It carries no cryptographic proof, and nobody has verified it.";

/// The two certificate formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CertificateFormat {
    /// A self-contained HTML page (inline CSS, no scripts, no remote resources), print-friendly.
    Html,
    /// An Open Badges 3.0 style credential (JSON-LD, unsigned).
    Json,
}

impl CertificateFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            CertificateFormat::Html => "html",
            CertificateFormat::Json => "json",
        }
    }

    /// The media type, with its charset.
    pub fn media_type(self) -> &'static str {
        match self {
            CertificateFormat::Html => "text/html; charset=utf-8",
            CertificateFormat::Json => "application/json",
        }
    }
}

/// One step of the completed path, for the criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateStep {
    /// The step's document id.
    pub id: String,
    /// The document's title (its id when the document is gone).
    pub title: String,
}

/// Everything a certificate states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    /// The hub's name (the issuer).
    pub hub_name: String,
    /// A stable identifier of the hub: a hash of its name.
    pub hub_key: String,
    /// The person's display name from their profile, if they gave one.
    pub holder: Option<String>,
    pub path_id: String,
    pub path_title: String,
    pub path_summary: Option<String>,
    /// When the person completed the path (the latest completion).
    pub completed_at: Timestamp,
    /// The path's content version the completion was recorded against.
    pub content_version: String,
    /// Whether the path has changed since (its version now differs).
    pub path_changed_since: bool,
    /// The path's steps, in order.
    pub steps: Vec<CertificateStep>,
}

/// A certificate as a file to save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateFile {
    /// A file name to suggest: `<path id>-certificate.<html|json>`.
    pub filename: String,
    /// `text/html; charset=utf-8` or `application/json`.
    pub media_type: String,
    /// The whole file.
    pub content: String,
}

impl CertificateFile {
    /// Writes the file into `dir` (created if needed) under its suggested name, or `name (2).ext`,
    /// `name (3).ext`, ... when that exists: an existing file is never overwritten. Returns the
    /// path written.
    pub fn save_new_in(&self, dir: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
        use std::io::Write as _;
        std::fs::create_dir_all(dir)?;
        let (stem, ext) = self.filename.rsplit_once('.').unwrap_or((self.filename.as_str(), ""));
        for n in 1..1000 {
            let name = if n == 1 { self.filename.clone() } else { format!("{stem} ({n}).{ext}") };
            let path = dir.join(name);
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    f.write_all(self.content.as_bytes())?;
                    f.sync_all()?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("too many copies of {}", self.filename)))
    }
}

impl Hub {
    /// The certificate of a completed path. [`Error::NotCompleted`] when the person has no
    /// completion of it; [`Error::UnknownDocument`] when there is no such path.
    pub fn certificate(&self, id: &str) -> Result<Certificate, Error> {
        let catalog = self.catalog();
        let doc = catalog.get(id).filter(|d| d.kind() == Kind::Path).ok_or_else(|| self.unknown(id))?;
        let (completion, profile) = {
            let store = self.store.as_ref().map(crate::lock).ok_or(Error::NoStore)?;
            (store.path_completions(id)?.pop(), store.profile()?)
        };
        let completion = completion.ok_or_else(|| Error::NotCompleted { id: id.to_string() })?;
        let steps = doc
            .path_fields()
            .map(|p| {
                p.steps
                    .iter()
                    .map(|s| CertificateStep {
                        id: s.target.clone(),
                        title: catalog.get(&s.target).map_or_else(|| s.target.clone(), |d| d.title.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let hub_name = catalog.name().to_string();
        Ok(Certificate {
            hub_key: format!("{:016x}", fnv1a64(hub_name.as_bytes())),
            hub_name,
            holder: Some(profile.display_name.trim().to_string()).filter(|n| !n.is_empty()),
            path_id: doc.id.clone(),
            path_title: doc.title.clone(),
            path_summary: doc.meta.summary.clone(),
            completed_at: completion.completed_at,
            path_changed_since: path_version(doc) != completion.content_version,
            content_version: completion.content_version,
            steps,
        })
    }

    /// The certificate of a completed path as a file in `format`.
    pub fn certificate_file(&self, id: &str, format: CertificateFormat) -> Result<CertificateFile, Error> {
        let c = self.certificate(id)?;
        let content = match format {
            CertificateFormat::Html => c.to_html(),
            CertificateFormat::Json => serde_json::to_string_pretty(&c.to_credential()).unwrap_or_default() + "\n",
        };
        Ok(CertificateFile { filename: c.filename(format), media_type: format.media_type().to_string(), content })
    }
}

/// `2026-11-23T10:00:00.000Z` -> `23 November 2026`.
fn human_date(t: Timestamp) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let s = t.to_string();
    let (y, m, d) = (
        s.get(..4).unwrap_or_default(),
        s.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1),
        s.get(8..10).unwrap_or_default().trim_start_matches('0'),
    );
    format!("{d} {} {y}", MONTHS[m.clamp(1, 12) - 1])
}

impl Certificate {
    /// A file name to suggest, safe on every system.
    pub fn filename(&self, format: CertificateFormat) -> String {
        let stem: String =
            self.path_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        format!("{stem}-certificate.{}", format.extension())
    }

    /// The criteria as plain text: what completing the path meant.
    pub fn criteria(&self) -> String {
        let mut s = format!("Marked every step of the training path “{}” as done:", self.path_title);
        for (i, step) in self.steps.iter().enumerate() {
            s.push_str(&format!("\n{}. {}", i + 1, step.title));
        }
        s
    }

    /// The Open Badges 3.0 style credential: a VC 2.0 `OpenBadgeCredential` whose issuer is the
    /// hub and whose subject holds the achievement (the path). No `proof`: it is unsigned and its
    /// `description` says so.
    pub fn to_credential(&self) -> serde_json::Value {
        use serde_json::json;
        let mut subject = json!({
            "type": ["AchievementSubject"],
            "achievement": {
                "id": format!("urn:guildhall:hub:{}:path:{}", self.hub_key, self.path_id),
                "type": ["Achievement"],
                "achievementType": "LearningProgram",
                "name": self.path_title,
                "description": self.path_summary.clone().unwrap_or_else(|| format!("The training path “{}”.", self.path_title)),
                "criteria": { "narrative": self.criteria() },
                "version": self.content_version,
                "creator": { "id": format!("urn:guildhall:hub:{}", self.hub_key), "type": ["Profile"], "name": self.hub_name },
            },
        });
        if let (Some(name), Some(obj)) = (&self.holder, subject.as_object_mut()) {
            obj.insert(
                "identifier".to_string(),
                json!([{ "type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": name }]),
            );
        }
        json!({
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": format!("urn:guildhall:hub:{}:completion:{}:{}", self.hub_key, self.path_id, self.completed_at.as_millis()),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": format!("Completed: {}", self.path_title),
            "description": UNSIGNED_NOTICE,
            "issuer": { "id": format!("urn:guildhall:hub:{}", self.hub_key), "type": ["Profile"], "name": self.hub_name },
            "validFrom": self.completed_at.to_string(),
            "credentialSubject": subject,
        })
    }

    /// A self-contained HTML page: inline CSS, no script, no remote resource, laid out for
    /// printing ("Print / Save as PDF" gives the PDF). Every value is escaped.
    pub fn to_html(&self) -> String {
        let e = |s: &str| escape(s);
        let holder = self.holder.as_deref().map_or_else(
            || "<p class=\"who\">This certifies that the holder of this record</p>".to_string(),
            |n| format!("<p class=\"who\">This certifies that</p>\n<p class=\"name\">{}</p>", e(n)),
        );
        let steps: String = self.steps.iter().map(|s| format!("<li>{}</li>\n", e(&s.title))).collect();
        let changed = if self.path_changed_since {
            "<p class=\"small\">The path has changed since it was completed; the steps listed are as they are now.</p>\n"
        } else {
            ""
        };
        let summary =
            self.path_summary.as_deref().map(|s| format!("<p class=\"summary\">{}</p>\n", e(s))).unwrap_or_default();
        format!(
            "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Certificate: {title}</title>
<style>
@page {{ size: A4 portrait; margin: 18mm; }}
* {{ box-sizing: border-box; }}
html {{ color-scheme: light; }}
body {{ margin: 0; background: #fff; color: #1a1a1a; font-family: Georgia, 'Times New Roman', serif; line-height: 1.5; }}
main {{ max-width: 46rem; margin: 2rem auto; padding: 3rem; border: 6px double #2f4f7f; text-align: center; }}
h1 {{ font-size: 2rem; margin: 0 0 0.5rem; letter-spacing: 0.02em; }}
.kicker {{ text-transform: uppercase; letter-spacing: 0.2em; font-size: 0.85rem; color: #2f4f7f; margin: 0 0 1.5rem; }}
.who {{ margin: 1.5rem 0 0.25rem; }}
.name {{ font-size: 1.6rem; font-weight: bold; margin: 0; }}
.path {{ font-size: 1.4rem; font-weight: bold; margin: 0.25rem 0; }}
.summary {{ font-style: italic; }}
ol {{ text-align: left; display: inline-block; margin: 0.5rem auto 1.5rem; padding-left: 1.5rem; }}
.small, footer {{ font-size: 0.85rem; color: #444; }}
footer {{ margin-top: 2rem; border-top: 1px solid #999; padding-top: 1rem; }}
@media print {{ main {{ margin: 0 auto; border-color: #000; }} }}
</style>
</head>
<body>
<main>
<p class=\"kicker\">Certificate of completion</p>
<h1>{hub}</h1>
{holder}
<p>completed the training path</p>
<p class=\"path\">{title}</p>
{summary}<p>on <time datetime=\"{iso}\">{date}</time>, by marking each of these steps as done:</p>
<ol>
{steps}</ol>
{changed}<footer>
<p>Path <code>{id}</code>, content version <code>{version}</code>.</p>
<p>{notice}</p>
</footer>
</main>
</body>
</html>
",
            title = e(&self.path_title),
            hub = e(&self.hub_name),
            iso = e(&self.completed_at.to_string()),
            date = e(&human_date(self.completed_at)),
            id = e(&self.path_id),
            version = e(&self.content_version),
            notice = e(UNSIGNED_NOTICE),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_never_overwrites_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = CertificateFile {
            filename: "p-certificate.html".into(),
            media_type: "text/html".into(),
            content: "new".into(),
        };
        std::fs::write(dir.path().join("p-certificate.html"), "old").expect("write");
        let saved = file.save_new_in(&dir.path().join("sub")).expect("save");
        assert_eq!(saved, dir.path().join("sub/p-certificate.html"));
        let again = file.save_new_in(dir.path()).expect("save");
        assert_eq!(again, dir.path().join("p-certificate (2).html"));
        assert_eq!(std::fs::read_to_string(dir.path().join("p-certificate.html")).expect("read"), "old");
        assert_eq!(std::fs::read_to_string(again).expect("read"), "new");
    }

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(human_date(Timestamp::from_millis(0)), "1 January 1970");
        assert_eq!(human_date(Timestamp::parse_rfc3339("2026-11-23T23:59:59Z").expect("time")), "23 November 2026");
    }
}
