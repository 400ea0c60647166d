import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, autosaveLabel, type AutosaveState } from '../src/lib/autosave';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(save: (v: string) => Promise<void>, extra: { isPermanent?: (e: unknown) => boolean } = {}) {
    const states: AutosaveState['status'][] = [];
    const a = new Autosave<string>({ save, delay: 250, retryDelays: [100, 400], onstate: (s) => states.push(s.status), ...extra });
    return { a, states };
  }

  it('waits for a pause in typing and sends only the newest text', async () => {
    const saved: string[] = [];
    const { a, states } = setup(async (v) => void saved.push(v));
    a.change('a');
    await vi.advanceTimersByTimeAsync(200);
    a.change('ab');
    await vi.advanceTimersByTimeAsync(200);
    expect(saved).toEqual([]);
    expect(a.state.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(60);
    expect(saved).toEqual(['ab']);
    expect(a.state.status).toBe('saved');
    expect(a.dirty).toBe(false);
    expect(states).toEqual(['pending', 'pending', 'saving', 'saved']);
  });

  it('never overlaps saves: text typed while saving is saved right after', async () => {
    const calls: string[] = [];
    const pending: Array<ReturnType<typeof deferred>> = [];
    const { a } = setup((v) => {
      calls.push(v);
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    a.change('one');
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toEqual(['one']);
    a.change('two');
    a.change('three');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['one']);
    expect(a.state.status).toBe('saving');
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['one', 'three']);
    expect(a.state.status).toBe('saving');
    pending[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.state.status).toBe('saved');
  });

  it('retries with backoff after a failure, saying so, and keeps the text', async () => {
    let fail = 2;
    const saved: string[] = [];
    const { a } = setup(async (v) => {
      if (fail-- > 0) throw new Error('offline');
      saved.push(v);
    });
    a.change('draft');
    await vi.advanceTimersByTimeAsync(250);
    expect(a.state).toMatchObject({ status: 'retrying', attempt: 1 });
    expect(autosaveLabel(a.state)).toBe('Not saved — retrying');
    expect(a.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.state).toMatchObject({ status: 'retrying', attempt: 2 });
    await vi.advanceTimersByTimeAsync(399);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['draft']);
    expect(autosaveLabel(a.state)).toBe('Saved');
  });

  it('stops on a permanent error until the next change', async () => {
    let calls = 0;
    const gone = new Error('draft deleted');
    const { a } = setup(
      async () => {
        calls++;
        throw gone;
      },
      { isPermanent: (e) => e === gone },
    );
    a.change('x');
    await vi.advanceTimersByTimeAsync(250);
    expect(a.state).toMatchObject({ status: 'failed', error: gone });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(1);
    a.change('xy');
    expect(a.state.status).toBe('pending');
  });

  it('flush saves at once and resolves when stored, or rejects with the error', async () => {
    const saved: string[] = [];
    let ok = true;
    const { a } = setup(async (v) => {
      if (!ok) throw new Error('refused');
      saved.push(v);
    });
    await a.flush();
    expect(saved).toEqual([]);
    a.change('now');
    await a.flush();
    expect(saved).toEqual(['now']);
    ok = false;
    a.change('later');
    await expect(a.flush()).rejects.toThrow('refused');
    expect(a.state.status).toBe('retrying');
    ok = true;
    await a.flush();
    expect(saved).toEqual(['now', 'later']);
  });

  it('flush during a save waits for that save and the one after it', async () => {
    const d = deferred();
    const saved: string[] = [];
    let first = true;
    const { a } = setup(async (v) => {
      if (first) {
        first = false;
        await d.promise;
      }
      saved.push(v);
    });
    a.change('a');
    await vi.advanceTimersByTimeAsync(250);
    a.change('ab');
    let done = false;
    void a.flush().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    d.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['a', 'ab']);
    expect(done).toBe(true);
  });

  it('does nothing after dispose', async () => {
    const save = vi.fn(async () => {});
    const { a } = setup(save);
    a.change('x');
    a.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
  });
});
