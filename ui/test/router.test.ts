import { describe, expect, it } from 'vitest';
import { docHref, parseHash, pathHref, routeKey, searchHref } from '../src/lib/router';

describe('hash router', () => {
  it('parses every screen', () => {
    expect(parseHash('').name).toBe('home');
    expect(parseHash('#/').name).toBe('home');
    for (const s of ['search', 'glossary', 'patterns', 'case-studies', 'paths', 'settings']) {
      expect(parseHash(`#/${s}`).name).toBe(s);
    }
    expect(parseHash('#/nowhere')).toMatchObject({ name: 'not-found', path: '/nowhere' });
  });

  it('keeps `/` in document ids and reads the section', () => {
    const r = parseHash('#/doc/setup/install/readme?section=gh-step-2');
    expect(r).toMatchObject({ name: 'doc', id: 'setup/install/readme' });
    expect(r.params.get('section')).toBe('gh-step-2');
    expect(parseHash('#/doc/a%20b')).toMatchObject({ id: 'a b' });
  });

  it('opens the path player at #/path/<id> and #/paths/<id>, with an optional step', () => {
    expect(parseHash('#/path/start-here')).toMatchObject({ name: 'path', id: 'start-here' });
    expect(parseHash('#/paths/start-here/')).toMatchObject({ name: 'path', id: 'start-here' });
    expect(parseHash('#/paths').name).toBe('paths');
    const r = parseHash(pathHref('start-here', 'low-code-policy'));
    expect(r).toMatchObject({ name: 'path', id: 'start-here' });
    expect(r.params.get('step')).toBe('low-code-policy');
    expect(routeKey(parseHash('#/path/a?step=x'))).toBe(routeKey(parseHash('#/path/a?step=y')));
    expect(routeKey(parseHash('#/path/a'))).not.toBe(routeKey(parseHash('#/doc/a')));
  });

  it('reads search parameters', () => {
    const r = parseHash('#/search?q=try+again+later&kind=pattern');
    expect(r.name).toBe('search');
    expect(r.params.get('q')).toBe('try again later');
    expect(r.params.get('kind')).toBe('pattern');
  });

  it('writes hrefs that parse back', () => {
    expect(docHref('setup/install/readme', 'gh-x')).toBe('#/doc/setup/install/readme?section=gh-x');
    expect(parseHash(docHref('a b/c'))).toMatchObject({ name: 'doc', id: 'a b/c' });
    expect(searchHref('retry', { kind: 'pattern', tag: undefined })).toBe('#/search?q=retry&kind=pattern');
    expect(searchHref('')).toBe('#/search');
  });

  it('keys routes by screen and document, not by query', () => {
    expect(routeKey(parseHash('#/search?q=a'))).toBe(routeKey(parseHash('#/search?q=b')));
    expect(routeKey(parseHash('#/doc/a?section=x'))).toBe(routeKey(parseHash('#/doc/a')));
    expect(routeKey(parseHash('#/doc/a'))).not.toBe(routeKey(parseHash('#/doc/b')));
  });
});
