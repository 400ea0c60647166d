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

  it('shows refusals as they are, and says when a server has no authoring at all', () => {
    expect(text(new ApiError(403, 'forbidden', 'permission denied: Hannah cannot approve a term change'))).toContain(
      'You cannot do that. permission denied: Hannah cannot approve a term change',
    );
    expect(text(new ApiError(404, 'not-found', '404 Not Found'))).toContain('This server does not offer authoring.');
    expect(text(new Error('boom'))).toContain('boom');
  });

  it('is announced as an alert', () => {
    const { container } = render(AuthoringProblem, { error: new ApiError(409, 'no-repository', 'x') });
    expect(container.querySelector('[role="alert"]')).not.toBeNull();
  });
});
