// Names for the generated schema types, so screens never spell `components['schemas'][...]`.
// Every type the UI exchanges with the server is one of these: nothing is written by hand.
import type { components, operations } from './schema';

type S = components['schemas'];
export type Overview = S['Overview'];
export type MemberRef = S['MemberRef'];
export type DocSummary = S['DocSummary'];
export type DocView = S['DocView'];
export type DocRef = S['DocRef'];
export type TermCard = S['TermCard'];
export type GlossaryLookup = S['GlossaryLookup'];
export type Diagnostic = S['Diagnostic'];
export type Kind = S['Kind'];
export type Audience = S['Audience'];
export type Metric = S['Metric'];
export type Heading = S['Heading'];
export type StepView = S['StepView'];
export type Step = S['Step'];
export type Checkpoint = S['Checkpoint'];
export type ErrorBody = S['ErrorBody'];
/** Every code the server may answer: a closed union, so a branch on a code it never sends is a type error. */
export type ErrorCode = S['ErrorCode'];

export type SearchResponse = S['SearchResponse'];
export type SearchHit = S['Hit'];
/** The query string of GET /api/search. */
export type SearchParams = NonNullable<operations['search']['parameters']['query']>;

export type Profile = S['Profile'];
export type Role = S['Role'];
export type GlossaryView = S['GlossaryView'];
export type Theme = S['Theme'];

export type BookmarkView = S['BookmarkView'];
export type RecentItem = S['RecentItem'];
export type Note = S['Note'];

export type PathCard = S['PathCard'];
export type PathProgressView = S['PathProgressView'];
export type PathStepView = S['PathStepView'];
export type StepStatus = S['StepStatus'];
export type CheckState = S['CheckState'];
export type CheckResult = S['CheckResult'];
export type CertificateFormat = 'html' | 'json';

export type ContentGap = S['ContentGap'];
/** The body of POST /api/search/settled. */
export type SettledSearch = S['SettledSearch'];

export type Governance = S['Governance'];
export type ReviewedDoc = S['ReviewedDoc'];
export type PersonalData = S['PersonalData'];

export type Template = S['Template'];
export type TemplateKind = S['TemplateKind'];
export type Draft = S['Draft'];
export type NewDraft = S['NewDraft'];
export type DraftUpdate = S['DraftUpdate'];
export type PreviewRequest = S['PreviewRequest'];
export type Preview = S['Preview'];
export type IdentityView = S['IdentityView'];
export type ChangeKind = S['ChangeKind'];
export type Proposal = S['Proposal'];
export type ProposalStatus = S['Status'];
export type Person = S['Person'];
export type Comment = S['Comment'];
export type ProposalView = S['ProposalView'];
export type ProposalFile = S['ProposalFile'];
export type FileChangeKind = S['FileChangeKind'];
export type Published = S['Published'];
export type Version = S['Version'];
export type ChangelogEntry = S['ChangelogEntry'];
export type RollbackOutcome = S['RollbackOutcome'];
export type CommentBody = S['CommentBody'];
export type RollbackBody = S['RollbackBody'];
export type DiffView = S['DiffView'];

export type SyncView = S['SyncView'];
export type SyncOutcome = S['SyncOutcome'];
export type SyncProblem = S['SyncProblem'];
