import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import AuthoringProblem from '../src/components/AuthoringProblem.svelte';

const text = (error: unknown) => (render(AuthoringProblem, { error }).container.textContent ?? '').replace(/\s+/g, ' ');

describe('AuthoringProblem', () => {
  it('explains that authoring needs a hub folder of its own, with the server message', () => {
    const t = text(new ApiError(409, 'no-repository', 'the hub folder `/x/content` is inside the git repository `/x`'));
    expect(t).toContain('Authoring needs a hub folder of its own.');
    expect(t).toContain('inside the git repository `/x`');
    expect(t).toContain('Reading and searching work as before.');
  });

  it('explains how to set the git user and become a member', () => {
    const t = text(new ApiError(403, 'no-identity', 'no git identity: set one with git -C /hub config user.name'));
    expect(t).toContain('Guildhall does not know who you are yet.');
    expect(t).toContain('git config user.email');
    expect(t).toContain('[[members]]');
    expect(t).toContain('git -C /hub config user.name');
  });

  // #13: a git user who is not in [[members]] was told to set their git identity, because the
  // server answered `no-identity` and the UI branched on a `not-a-member` it never sent.
  it('tells a git user who is not listed in [[members]] exactly that, not to set an identity', () => {
    const t = text(
      new ApiError(403, 'not-a-member', 'Dave Stranger <dave@example.org> is not a member of this hub: add a [[members]] entry'),
    );
    expect(t).toContain('You are not a member of this hub yet.');
    expect(t).toContain('dave@example.org> is not a member');
    expect(t).not.toContain('does not know who you are');
    expect(t).not.toContain('git config user.name');
  });

  it('branches only on codes the server sends', () => {
    // @ts-expect-error `forbidden` is not one of the server's codes (ErrorCode is a closed union)
    const unsent = new ApiError(403, 'forbidden', 'x');
    expect(unsent.code).toBe('forbidden');
  });

  it('shows refusals as they are, and says when a server has no authoring at all', () => {
    for (const code of ['permission', 'self-review', 'not-author'] as const) {
      expect(text(new ApiError(403, code, 'permission denied: Hannah cannot approve a term change'))).toContain(
        'You cannot do that. permission denied: Hannah cannot approve a term change',
      );
    }
    expect(text(new ApiError(404, 'not-found', '404 Not Found'))).toContain('This server does not offer authoring.');
    expect(text(new Error('boom'))).toContain('boom');
  });

  it('gives the recovery hint of damaged saved state', () => {
    const e = new ApiError(500, 'damaged', 'damaged proposal metadata `p1.json`', [], [], 'move `p1.json` aside');
    const t = text(e);
    expect(t).toContain('damaged proposal metadata');
    expect(t).toContain('move `p1.json` aside');
  });

  it('is announced as an alert', () => {
    const { container } = render(AuthoringProblem, { error: new ApiError(409, 'no-repository', 'x') });
    expect(container.querySelector('[role="alert"]')).not.toBeNull();
  });
});
