//! The hub team's governance view: who may do what, which policies apply, and which pages are
//! due for review. Read-only and computed from the loaded catalog (the work tree's
//! `guildhall.toml`), so it needs neither git nor the personal store.

use guildhall_content::{Catalog, Date, Document, KindFields, ROLES};
use guildhall_review::{ChangeKind, ReviewRules};
use serde::Serialize;

use crate::views::DocRef;

/// Pages whose review date falls within this many days are "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

/// Roles, approval rules, policies and review dates: what IT and the hub team keep visible.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Governance {
    /// Every member of `guildhall.toml`, in the order written there.
    pub members: Vec<MemberView>,
    /// Every role, with how many members hold it and which kinds of change it may approve.
    pub roles: Vec<RoleView>,
    /// Who approves each kind of change.
    pub approvals: Vec<ApprovalRule>,
    /// Whether authors may approve their own proposals (a single-person hub may allow it).
    pub allow_self_approval: bool,
    /// Why the `[review]` table could not be read, if it could not; approvals then show the
    /// defaults, and publishing is refused until the table is fixed.
    pub rules_error: Option<String>,
    /// Kinds of change that no member can approve: nothing of that kind can be published.
    pub unapprovable: Vec<String>,
    /// Guides with `category: policy`, in title order.
    pub policies: Vec<ReviewedDoc>,
    /// Pages past their `review_by` date, most overdue first.
    pub overdue: Vec<ReviewedDoc>,
    /// Pages whose `review_by` date is within the next 30 days, soonest first.
    pub due_soon: Vec<ReviewedDoc>,
    /// Patterns, guides and case studies with no `owner`: nobody is asked to keep them current.
    pub unowned: Vec<DocRef>,
    /// The date the view was computed for.
    pub today: Date,
}

/// A member of the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
}

/// One role of the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleView {
    /// `citizen-developer`, `mentor`, `it-admin`, `data-steward`, `app-owner` or `admin`.
    pub role: String,
    /// How many members hold it.
    pub members: usize,
    /// The kinds of change it may approve.
    pub approves: Vec<String>,
}

/// Who approves one kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalRule {
    /// `term`, `pattern`, `case-study`, `path`, `guide`, `policy`, `config` or `asset`.
    pub kind: String,
    /// The roles that may approve it.
    pub roles: Vec<String>,
    /// The members who hold one of those roles.
    pub approvers: Vec<String>,
}

/// A page with its owner and review dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedDoc {
    pub doc: DocRef,
    pub owner: Option<String>,
    pub updated: Option<Date>,
    pub review_by: Option<Date>,
    /// Days until `review_by` (negative: overdue by that many days).
    pub days_left: Option<i64>,
}

impl ReviewedDoc {
    fn of(d: &Document, today: Date) -> ReviewedDoc {
        ReviewedDoc {
            doc: DocRef::of(d),
            owner: d.meta.owner.clone(),
            updated: d.meta.updated,
            review_by: d.meta.review_by,
            days_left: d.meta.review_by.map(|r| r.days_since_epoch() - today.days_since_epoch()),
        }
    }
}

fn is_policy(d: &Document) -> bool {
    matches!(&d.fields, KindFields::Guide(g) if g.category.as_deref() == Some("policy"))
}

pub(crate) fn governance(c: &Catalog, today: Date) -> Governance {
    let config = c.config();
    let (rules, rules_error) = match ReviewRules::from_config(config) {
        Ok(r) => (r, None),
        Err(e) => (ReviewRules::default(), Some(e.to_string())),
    };
    let members: Vec<MemberView> = config
        .members
        .iter()
        .map(|m| MemberView { name: m.name.clone(), email: m.email.clone(), roles: m.roles.clone() })
        .collect();
    let approvals: Vec<ApprovalRule> = ChangeKind::ALL
        .iter()
        .map(|&k| {
            let roles = rules.approvers(k);
            let approvers =
                members.iter().filter(|m| m.roles.iter().any(|r| roles.contains(r))).map(|m| m.name.clone()).collect();
            ApprovalRule { kind: k.as_str().to_string(), roles, approvers }
        })
        .collect();
    let roles = ROLES
        .iter()
        .map(|&role| RoleView {
            role: role.to_string(),
            members: members.iter().filter(|m| m.roles.iter().any(|r| r == role)).count(),
            approves: approvals.iter().filter(|a| a.roles.iter().any(|r| r == role)).map(|a| a.kind.clone()).collect(),
        })
        .collect();
    let unapprovable = approvals.iter().filter(|a| a.approvers.is_empty()).map(|a| a.kind.clone()).collect();

    let docs = c.documents();
    let mut policies: Vec<ReviewedDoc> =
        docs.iter().filter(|d| is_policy(d)).map(|d| ReviewedDoc::of(d, today)).collect();
    policies.sort_by_key(|p| p.doc.title.to_lowercase());
    let mut dated: Vec<ReviewedDoc> =
        docs.iter().filter(|d| d.meta.review_by.is_some()).map(|d| ReviewedDoc::of(d, today)).collect();
    dated.sort_by(|a, b| a.days_left.cmp(&b.days_left).then_with(|| a.doc.title.cmp(&b.doc.title)));
    let (overdue, rest): (Vec<_>, Vec<_>) = dated.into_iter().partition(|d| d.days_left.is_some_and(|n| n < 0));
    let due_soon = rest.into_iter().filter(|d| d.days_left.is_some_and(|n| n <= DUE_SOON_DAYS)).collect();
    let unowned = docs
        .iter()
        .filter(|d| matches!(d.fields, KindFields::Pattern(_) | KindFields::Guide(_) | KindFields::CaseStudy(_)))
        .filter(|d| d.meta.owner.as_deref().is_none_or(|o| o.trim().is_empty()))
        .map(DocRef::of)
        .collect();

    Governance {
        members,
        roles,
        approvals,
        allow_self_approval: rules.allow_self_approval,
        rules_error,
        unapprovable,
        policies,
        overdue,
        due_soon,
        unowned,
        today,
    }
}

#[cfg(test)]
mod tests {
    use guildhall_content::{Assets, LoadOptions, SourceFile};

    use super::*;

    fn hub(config: &str, files: &[(&str, &str)]) -> Catalog {
        let sources = files
            .iter()
            .map(|(p, t)| SourceFile { path: (*p).to_string(), bytes: Ok(t.as_bytes().to_vec()) })
            .collect();
        Catalog::build("t", sources, Assets::default(), Some(config), &LoadOptions::default())
    }

    fn today() -> Date {
        Date::new(2026, 11, 23).expect("date")
    }

    const MEMBERS: &str = "[[members]]\nname = \"Ann\"\nemail = \"ann@x\"\nroles = [\"mentor\"]\n\
        [[members]]\nname = \"Ola\"\nemail = \"ola@x\"\nroles = [\"citizen-developer\"]\n";

    #[test]
    fn approvals_name_the_members_who_can_approve_and_flag_kinds_nobody_can() {
        let g = governance(&hub(MEMBERS, &[]), today());
        let case = g.approvals.iter().find(|a| a.kind == "case-study").expect("case-study rule");
        assert_eq!(case.roles, ["mentor", "admin"]);
        assert_eq!(case.approvers, ["Ann"]);
        // Nobody is an admin: glossary terms, policies, paths and settings cannot be published.
        assert_eq!(g.unapprovable, ["term", "path", "policy", "config"]);
        let mentor = g.roles.iter().find(|r| r.role == "mentor").expect("mentor");
        assert_eq!((mentor.members, mentor.approves.contains(&"pattern".to_string())), (1, true));
        assert!(g.rules_error.is_none());
    }

    #[test]
    fn a_malformed_review_table_is_reported_not_widened() {
        let g = governance(&hub(&format!("{MEMBERS}[review]\napprovers = {{ trem = [\"mentor\"] }}\n"), &[]), today());
        assert!(g.rules_error.as_deref().is_some_and(|e| e.contains("trem")), "{:?}", g.rules_error);
        let term = g.approvals.iter().find(|a| a.kind == "term").expect("term");
        assert_eq!(term.roles, ["admin"]);
    }

    #[test]
    fn review_dates_sort_into_overdue_and_due_soon() {
        let g = governance(
            &hub(
                MEMBERS,
                &[
                    ("guides/old.md", "---\ntitle: Old\nowner: Ann\nreview_by: 2026-01-01\n---\nx"),
                    ("guides/older.md", "---\ntitle: Older\nowner: Ann\nreview_by: 2025-01-01\n---\nx"),
                    ("guides/soon.md", "---\ntitle: Soon\nowner: Ann\nreview_by: 2026-12-01\n---\nx"),
                    ("guides/later.md", "---\ntitle: Later\nowner: Ann\nreview_by: 2027-06-01\n---\nx"),
                    (
                        "guides/policy.md",
                        "---\ntitle: Use policy\ncategory: policy\nowner: Ann\nreview_by: 2027-01-01\n---\nx",
                    ),
                    ("patterns/orphan.md", "---\ntitle: Nobody's\n---\nx"),
                ],
            ),
            today(),
        );
        let titles = |v: &[ReviewedDoc]| v.iter().map(|d| d.doc.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&g.overdue), ["Older", "Old"]);
        assert_eq!(g.overdue[1].days_left, Some(-326));
        assert_eq!(titles(&g.due_soon), ["Soon"]);
        assert_eq!(titles(&g.policies), ["Use policy"]);
        assert_eq!(g.unowned.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(), ["Nobody's"]);
    }
}
