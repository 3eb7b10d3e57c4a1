import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { IsolatedPool } from '../../../src/backend/pool/isolated-pool.js';
import type { EntryOf, TaskOutcome } from '../../../src/backend/pool/protocol.js';
import type run from './fixtures/tasks.js';
import type { Payload, Step } from './fixtures/tasks.js';

type Result = Readonly<Record<string, unknown>> | null;
type TestPool = IsolatedPool<Payload, Result, Step>;

const entry: EntryOf<typeof run> = { url: new URL('./fixtures/tasks.ts', import.meta.url).href };
let pool: TestPool | undefined;

function start(workers = 2, stopGraceMs?: number): TestPool {
  pool = new IsolatedPool({
    workerEntry: entry,
    workers,
    threads: { intraOp: 1, interOp: 1 },
    ...(stopGraceMs === undefined ? {} : { stopGraceMs }),
  });
  return pool;
}

/** The thread an echo task ran on and how many tasks that thread has started, itself included. */
async function whereEchoRuns(p: TestPool): Promise<{ thread: unknown; started: unknown }> {
  const echo = await p.run({ do: 'echo' });
  if (!echo.ok || echo.value === null) throw new Error(`echo failed: ${JSON.stringify(echo)}`);
  return { thread: echo.value.thread, started: echo.value.started };
}

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('IsolatedPool', () => {
  it('runs tasks on worker threads of a child process, with the native backend and the thread plan', async () => {
    const p = start(2);
    const [a, b, tf] = await Promise.all([
      p.run({ do: 'echo', value: 1 }),
      p.run({ do: 'echo', value: 2 }),
      p.run({ do: 'tf' }),
    ]);
    expect(a).toMatchObject({ ok: true, value: { value: 1 } });
    expect(b).toMatchObject({ ok: true, value: { value: 2 } });
    expect(a.ok && a.value?.pid).not.toBe(process.pid);
    expect(tf).toEqual({ ok: true, value: { backend: 'tensorflow', intraOp: '1' } });
  });

  it('fails a throwing task alone, keeping its reason, while the others complete', async () => {
    const p = start(2);
    const [bad, good] = await Promise.all([p.run({ do: 'throw', value: 7 }), p.run({ do: 'echo', value: 8 })]);
    expect(bad).toMatchObject({
      ok: false,
      kind: 'error',
      error: { message: 'task 7 failed on purpose', reason: 'diverged' },
    });
    expect(good).toMatchObject({ ok: true, value: { value: 8 } });
  });

  it('records a task that aborts the process as crashed; the tasks that shared the process complete', async () => {
    const p = start(2);
    const results = await Promise.all([
      p.run({ do: 'sleep', ms: 400 }),
      p.run({ do: 'abort', ms: 100 }),
      p.run({ do: 'echo', value: 3 }),
    ]);
    expect(results[1]).toMatchObject({ ok: false, kind: 'crashed' });
    expect(results[0]).toEqual({ ok: true, value: { slept: 400 } });
    expect(results[2]).toMatchObject({ ok: true, value: { value: 3 } });
    expect(p.starts).toBeGreaterThanOrEqual(2);
    expect(await p.run({ do: 'echo', value: 4 })).toMatchObject({ ok: true, value: { value: 4 } });
  });

  it('replaces a worker thread that exits and goes on in the same process', async () => {
    const p = start(1);
    const dead = await p.run({ do: 'exit-thread' });
    expect(dead).toMatchObject({ ok: false, kind: 'error' });
    expect(await p.run({ do: 'echo', value: 6 })).toMatchObject({ ok: true, value: { value: 6 } });
    expect(p.starts).toBe(1);
  });

  it('times a task out and goes on', async () => {
    const p = start(1);
    const slow = await p.run({ do: 'sleep', ms: 5000 }, { timeoutMs: 300 });
    expect(slow).toMatchObject({ ok: false, kind: 'timeout' });
    expect(await p.run({ do: 'echo', value: 5 })).toMatchObject({ ok: true });
  });

  it('cancels a running task through an AbortSignal', async () => {
    const p = start(1);
    const controller = new AbortController();
    const pending = p.run({ do: 'sleep', ms: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ ok: false, kind: 'cancelled' });
  });

  it('stops a cancelled task that checks its stops inside its thread, which then takes the next task', async () => {
    const p = start(1, 60_000); // a terminated thread would leave the test waiting a minute
    const before = await whereEchoRuns(p);
    const controller = new AbortController();
    const pending = p.run({ do: 'until-stopped' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ ok: false, kind: 'cancelled', error: { name: 'TaskStopped' } });
    expect(await whereEchoRuns(p)).toEqual({ thread: before.thread, started: Number(before.started) + 2 });
  });

  it('times out a task that checks its stops the same way: the thread lives on', async () => {
    const p = start(1, 60_000);
    const before = await whereEchoRuns(p);
    const slow = await p.run({ do: 'until-stopped' }, { timeoutMs: 300 });
    expect(slow).toMatchObject({ ok: false, kind: 'timeout', error: { name: 'TaskStopped' } });
    expect(await whereEchoRuns(p)).toEqual({ thread: before.thread, started: Number(before.started) + 2 });
  });

  it('terminates the thread of a task that does not end within the grace period after its stop', async () => {
    const p = start(1, 300);
    const before = await whereEchoRuns(p);
    const controller = new AbortController();
    const stuck = p.run({ do: 'spin', ms: 60_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await stuck).toMatchObject({ ok: false, kind: 'cancelled' });
    const hard = await p.run({ do: 'spin', ms: 60_000 }, { timeoutMs: 200 });
    expect(hard).toMatchObject({ ok: false, kind: 'timeout' });
    const after = await whereEchoRuns(p);
    expect(after.thread).not.toBe(before.thread);
    expect(after.started).toBe(1);
    expect(p.starts).toBe(1);
  });

  it('forwards progress messages from the worker', async () => {
    const p = start(1);
    const seen: number[] = [];
    const result = await p.run({ do: 'progress' }, { onProgress: (progress) => seen.push(progress.step) });
    expect(result).toEqual({ ok: true, value: { done: true } });
    expect(seen).toEqual([0, 1, 2]);
  });

  it("is typed by its worker module's default export: the payloads it takes, the progress and values it gives", async () => {
    const p = new IsolatedPool({ workerEntry: entry, workers: 1, threads: { intraOp: 1, interOp: 1 } });
    pool = p;
    expectTypeOf(p).toEqualTypeOf<TestPool>();
    expectTypeOf(p.run).parameter(0).toEqualTypeOf<Payload>();
    expectTypeOf(p.run).returns.resolves.toEqualTypeOf<TaskOutcome<Result>>();
    // @ts-expect-error: a payload the module does not take does not compile
    const refused = () => p.run({ do: 'fly' });
    expect(typeof refused).toBe('function');
    const echoed = await p.run({ do: 'echo', value: 9 });
    expect(echoed.ok && echoed.value?.value).toBe(9);
  });
});
