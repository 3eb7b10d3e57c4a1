import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { UserError } from '../../src/core/errors.js';
import type { OwnerTakeover } from '../../src/core/events.js';
import { resumeSearch } from '../../src/run/search.js';
import { eventLog, tempDb } from './helpers.js';
import {
  BUDGET,
  byKey,
  contents,
  driverProcess,
  gatedEvaluator,
  stoppedExperiment,
  untilDriving,
} from './lease-helpers.js';

const HOST = os.hostname();
const root = path.resolve(import.meta.dirname, '../..');

async function stored(db: string) {
  const storage = await openSqliteStorage(db);
  try {
    const experiment = (await storage.getExperiment('exp'))!;
    return {
      experiment,
      trials: await storage.listTrials(experiment.id),
      takeovers: (await storage.listEvents(experiment.id, { type: 'owner-takeover' })).map(
        (e) => e.payload as unknown as OwnerTakeover,
      ),
      lease: await storage.readLease(experiment.id),
    };
  } finally {
    await storage.close();
  }
}

/** The end of every run here: the budget exactly, each architecture once, numbers 0..n-1, no lease left. */
async function expectBudgetExact(db: string) {
  const { experiment, trials, lease } = await stored(db);
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  expect(experiment.status).toBe('finished');
  expect(complete).toHaveLength(BUDGET);
  expect(new Set(complete.map((t) => t.key)).size).toBe(BUDGET);
  expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
  expect(lease).toBeUndefined();
  return trials;
}

async function rejectionOf(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('one owner per experiment (real processes, real SQLite files)', () => {
  it('two resumes of a stopped experiment at once: one drives it, the other is refused', async () => {
    const db = tempDb();
    const gate = `${db}.gate`;
    await stoppedExperiment(db);
    const before = (await stored(db)).trials;
    const children = [driverProcess('resume', db, gate), driverProcess('resume', db, gate)];
    const first = await Promise.race(children.map((c, i) => c.exited.then((r) => ({ ...r, i }))));
    const winner = children[1 - first.i]!;
    expect(first.code).toBe(1);
    expect(winner.process.exitCode).toBeNull();
    const refused = JSON.parse(first.stdout) as { code: string; message: string };
    expect(refused.code).toBe('EXPERIMENT_BUSY');
    expect(refused.message).toContain(
      `experiment "exp" is driven by another nas process: pid ${winner.process.pid} on host ${HOST}, driving since `,
    );

    expect(await untilDriving(db, winner)).toBe(winner.process.pid);
    writeFileSync(gate, '');
    const won = await winner.exited;
    expect(JSON.parse(won.stdout)).toEqual({ status: 'finished' });
    const trials = await expectBudgetExact(db);
    for (const t of before) expect(trials[t.number]).toEqual(t);
    expect(trials.filter((t) => t.state !== 'COMPLETE')).toEqual([]);
    expect((await stored(db)).takeovers).toEqual([]);
  });

  it('`nas resume` of an experiment another process drives exits 1 naming the owner, and writes nothing', async () => {
    const db = tempDb();
    const gate = `${db}.gate`;
    await stoppedExperiment(db);
    const owner = driverProcess('resume', db, gate);
    await untilDriving(db, owner);
    const held = await contents(db);

    const cli = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin/nas.js'), 'resume', 'exp', '--storage', db, '--reporter', 'json'],
      { cwd: root },
    ).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(cli?.code).toBe(1);
    expect(cli?.stdout).toBe('');
    const [message, hint] = cli!.stderr.trim().split('\n');
    expect(message).toMatch(
      new RegExp(
        `^nas: experiment "exp" is driven by another nas process: pid ${owner.process.pid} on host ${HOST}, driving since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, last heartbeat \\d+\\.\\d s ago; nothing was written$`,
      ),
    );
    expect(hint).toBe(
      `  what to do: wait for it to end (\`nas ls\` shows its progress), or stop it (Ctrl-C where it runs, or \`kill ${owner.process.pid}\` on ${HOST}) and run \`nas resume exp\`; ` +
        'if it died on another machine, `nas resume exp` takes it over once its heartbeat is 30.0 s old',
    );
    expect(await contents(db)).toEqual(held);

    writeFileSync(gate, '');
    expect(JSON.parse((await owner.exited).stdout)).toEqual({ status: 'finished' });
    await expectBudgetExact(db);
  });

  it('a SIGKILLed owner on this host is taken over at once (its pid is gone), with the takeover in the log', async () => {
    const db = tempDb();
    const owner = driverProcess('start', db, `${db}.gate`);
    const pid = await untilDriving(db, owner);
    const killed = await stored(db);
    owner.process.kill('SIGKILL');
    expect((await owner.exited).signal).toBe('SIGKILL');

    const log = eventLog();
    expect(await resumeSearch(db, 'exp', { emit: log.emit, evaluator: byKey() })).toBe('finished');
    const { takeovers } = await stored(db);
    expect(takeovers).toHaveLength(1);
    const takeover = takeovers[0]!;
    expect(takeover).toStrictEqual({
      previous: { host: HOST, pid, startedAt: killed.lease!.startedAt, heartbeatAt: takeover.previous.heartbeatAt },
      why: 'owner-dead',
      heartbeatAgeMs: takeover.heartbeatAgeMs,
      timeoutMs: 30_000,
      owner: { host: HOST, pid: process.pid },
    });
    expect(takeover.heartbeatAgeMs).toBeLessThan(30_000);
    expect(log.events.filter((e) => e.type === 'owner-takeover')).toEqual([
      { type: 'owner-takeover', t: expect.any(Number), experiment: 'exp', takeover },
    ]);

    const trials = await expectBudgetExact(db);
    const running = killed.trials.filter((t) => t.state === 'RUNNING');
    expect(running).toHaveLength(2);
    for (const t of running) {
      expect(trials[t.number]).toMatchObject({ state: 'FAILED', reason: 'interrupted' });
      expect(trials.filter((x) => x.retryOf === t.number).map((x) => [x.key, x.state])).toEqual([[t.key, 'COMPLETE']]);
    }
  });

  it('an owner on another host is taken over only once its heartbeat is older than the timeout', async () => {
    const db = tempDb();
    const lease = { heartbeatMs: 100, timeoutMs: 2000 };
    const owner = driverProcess('start', db, `${db}.gate`, { ...lease, host: 'another-machine' });
    const pid = await untilDriving(db, owner);
    owner.process.kill('SIGKILL');
    await owner.exited;
    const left = await contents(db);

    const hooks = { emit: () => undefined, evaluator: byKey(), lease };
    const busy = await rejectionOf(resumeSearch(db, 'exp', hooks));
    expect(busy.code).toBe('EXPERIMENT_BUSY');
    expect(busy.message).toContain(`pid ${pid} on host another-machine`);
    expect(busy.hint).toContain('takes it over once its heartbeat is 2.0 s old');
    expect(await contents(db)).toEqual(left);

    let status: string | undefined;
    for (let i = 0; i < 100 && status === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await resumeSearch(db, 'exp', hooks).catch((e: unknown) => {
        if ((e as UserError).code !== 'EXPERIMENT_BUSY') throw e;
        return undefined;
      });
    }
    expect(status).toBe('finished');
    const [takeover] = (await stored(db)).takeovers;
    expect(takeover).toMatchObject({
      previous: { host: 'another-machine', pid },
      why: 'heartbeat-timeout',
      timeoutMs: 2000,
      owner: { host: HOST, pid: process.pid },
    });
    expect(takeover!.heartbeatAgeMs).toBeGreaterThanOrEqual(2000);
    await expectBudgetExact(db);
  });

  it('a driver whose lease was taken over stops at its next heartbeat and writes nothing more', async () => {
    const db = tempDb();
    await stoppedExperiment(db);
    const log = eventLog();
    const running = resumeSearch(db, 'exp', {
      emit: log.emit,
      evaluator: gatedEvaluator(`${db}.gate`),
      lease: { heartbeatMs: 50, timeoutMs: 60_000 },
    });
    await untilDriving(db);
    const before = await contents(db, { leases: false });

    const thief = await openSqliteStorage(db);
    const experiment = (await thief.getExperiment('exp'))!;
    const claim = await thief.acquireLease(
      experiment.id,
      { host: 'thief-host', pid: 4242, token: 'thief' },
      { staleAfterMs: 1 },
    );
    expect(claim).toMatchObject({
      acquired: true,
      takenOver: { previous: { host: HOST, pid: process.pid }, why: 'heartbeat-timeout' },
    });

    const lost = await rejectionOf(running);
    expect(lost.code).toBe('EXPERIMENT_TAKEN_OVER');
    expect(lost.message).toMatch(
      /^this process lost experiment "exp": pid 4242 on host thief-host, driving since .* took it over, .*; it stopped and wrote nothing more$/,
    );
    expect(log.events.filter((e) => e.type === 'stopping').map((e) => (e as { why: string }).why)).toEqual([
      lost.message,
      lost.message,
    ]);
    expect(await contents(db, { leases: false })).toEqual(before);
    expect((await thief.readLease(experiment.id))?.token).toBe('thief');
    await thief.close();
  });
});
