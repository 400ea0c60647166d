import { describe, expect, it } from 'vitest';
import { changelogHref, historyHref, parseHash, proposalHref, routeKey, writeHref } from '../src/lib/router';

describe('authoring routes', () => {
  it('parses the editor, the queue and the changelog', () => {
    expect(parseHash('#/write').name).toBe('write');
    expect(parseHash('#/review').name).toBe('review');
    expect(parseHash('#/changelog').name).toBe('changelog');
  });

  it('reads draft, doc and template from the editor address', () => {
    const r = parseHash(writeHref({ draft: 'd-1' }));
    expect(r.name).toBe('write');
    expect(r.params.get('draft')).toBe('d-1');
    expect(parseHash(writeHref({ doc: 'setup/install/readme' })).params.get('doc')).toBe('setup/install/readme');
    expect(writeHref()).toBe('#/write');
    expect(writeHref({ template: 'case-study' })).toBe('#/write?template=case-study');
  });

  it('keeps the editor mounted when a new draft gets its id', () => {
    expect(routeKey(parseHash('#/write'))).toBe(routeKey(parseHash('#/write?draft=abc')));
  });

  it('opens a proposal by id, encoded', () => {
    expect(parseHash(proposalHref('p-42'))).toMatchObject({ name: 'proposal', id: 'p-42' });
    expect(parseHash(proposalHref('a b'))).toMatchObject({ name: 'proposal', id: 'a b' });
    expect(routeKey(parseHash('#/review/x'))).not.toBe(routeKey(parseHash('#/review/y')));
    expect(routeKey(parseHash('#/review/x'))).not.toBe(routeKey(parseHash('#/review')));
  });

  it('opens a history with ids containing / and the two versions to compare', () => {
    const r = parseHash(historyHref('setup/install/readme', { from: 'abc', to: 'def' }));
    expect(r).toMatchObject({ name: 'history', id: 'setup/install/readme' });
    expect(r.params.get('from')).toBe('abc');
    expect(r.params.get('to')).toBe('def');
    expect(historyHref('jitter')).toBe('#/history/jitter');
  });

  it('writes changelog filters', () => {
    const r = parseHash(changelogHref({ kind: 'case-study', person: 'Priya' }));
    expect(r.name).toBe('changelog');
    expect(r.params.get('kind')).toBe('case-study');
    expect(r.params.get('person')).toBe('Priya');
    expect(changelogHref({ kind: '' })).toBe('#/changelog');
  });
});
