// Names for the generated schema types, so screens never spell `components['schemas'][...]`.
import type { components } from './schema';

type S = components['schemas'];
export type Overview = S['Overview'];
export type DocSummary = S['DocSummary'];
export type DocView = S['DocView'];
export type DocRef = S['DocRef'];
export type TermCard = S['TermCard'];
export type GlossaryLookup = S['GlossaryLookup'];
export type Diagnostic = S['Diagnostic'];
export type Kind = S['Kind'];
export type Metric = S['Metric'];
export type Heading = S['Heading'];
export type StepView = S['StepView'];
export type ErrorBody = S['ErrorBody'];

export * from './planned';
