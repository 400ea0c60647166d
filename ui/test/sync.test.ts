import { describe as group, expect, it } from 'vitest';
import { describe, summarise } from '../src/lib/sync.svelte';
import type { SyncOutcome, SyncView } from '../src/api/types';

const NOW = 1_800_000_000_000;
const view = (v: Partial<SyncView>): SyncView => ({
  shared: true,
  remote: 'https://git.example.org/hub.git',
  ahead: 0,
  behind: 0,
  outbox: 0,
  last_sync: null,
  last_error: null,
  paused: false,
  running: false,
  ...v,
});
const outcome = (o: Partial<SyncOutcome>): SyncOutcome => ({
  fetched: true,
  fast_forwarded: false,
  files_changed: 0,
  rescued: null,
  pushed: 0,
  needs_update: [],
  error: null,
  status: view({}),
  ...o,
});

group('sync status line', () => {
  it('says nothing for a hub that is not shared', () => {
    expect(describe(view({ shared: false }), NOW)).toBe('');
  });
  it('says when it last synced and what waits', () => {
    expect(describe(view({}), NOW)).toBe('Not synced yet');
    expect(describe(view({ last_sync: NOW / 1000 - 10 }), NOW)).toBe('Synced just now');
    expect(describe(view({ last_sync: NOW / 1000 - 600, outbox: 3 }), NOW)).toBe('Synced 10 min ago · 3 changes waiting to sync');
    expect(describe(view({ last_sync: NOW / 1000 - 7200, outbox: 1 }), NOW)).toBe('Synced 2 h ago · 1 change waiting to sync');
    expect(describe(view({ running: true }), NOW)).toBe('Syncing…');
  });
});

group('what a sync did', () => {
  it('in words, error first', () => {
    expect(summarise(outcome({}))).toBe('Synced: everything was up to date.');
    expect(summarise(outcome({ fast_forwarded: true, files_changed: 1, pushed: 2 }))).toBe('Synced: 1 page updated, 2 changes sent.');
    expect(summarise(outcome({ error: { code: 'unreachable', message: 'cannot reach the hub' } }))).toBe(
      'Sync stopped: cannot reach the hub',
    );
  });
});
