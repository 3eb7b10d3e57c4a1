// Kill -9 in the middle of a pruned search and of an ASHA search with continuation (real `nas`
// runs on MNIST, the isolated pool, 2 workers), at seeded moments (the kill-anywhere harness:
// kill-soak.ts), resumed until they finish: each ends with exactly its budget of counted trials,
// none lost and none repeated, and every promotion trained on from the state its parent saved (found
// on disk after the kills; none fell back to training from the first epoch).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { EpochMetrics, Trial } from '../../src/core/trial.js';
import { trialStateFile } from '../../src/run/model-store.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { inspectRun, type RunState, type Where } from './kill-inspect.js';
import type { Moment } from './kill-runner.js';
import { soak, writeTable, type Row } from './kill-soak.js';

const SEED = 20261203;
const dir = tempDir('nas-kill-budget-');
const rows: Row[] = [];

afterAll(() => {
  if (rows.length > 0) console.info(`kills and outcomes:\n${writeTable(rows, path.join(dir, 'kills.md'))}`);
});

function where(name: string): Where {
  const tmp = path.join(dir, `tmp-${name}`);
  fs.mkdirSync(tmp, { recursive: true });
  return { storage: path.join(dir, `${name}.sqlite`), name, tmp };
}

const MACRO = `{ stem: 'conv3x3', stemChannels: 4, stageWidths: [4, 8], widthMultipliers: ['1'], depths: [1], expansions: [1, 2], kernels: [3], strides: [2], blocks: ['basic', 'inverted_residual', 'separable'], attention: ['none', 'se'] }`;

const configBody = (name: string, search: string) =>
  `{ name: '${name}', seed: 9, dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset: 600 },
     space: { name: 'macro', options: ${MACRO} }, ${search}, train: { epochs: 3, batchSize: 64 }, measureLatency: false,
     objectives: [{ metric: 'validationAccuracy', direction: 'max' }], budget: { trials: 10 }, workers: 2, storage: './${name}.sqlite' }`;

/** Moments spread over the run: events of trials, and pauses inside the writes of records, epochs and states. */
function moment(kinds: readonly string[]): (i: number) => Moment {
  return (i) => {
    const kind = kinds[i % kinds.length] as string;
    const [name, occurrence] = kind.split('#') as [string, string];
    const k = Number(occurrence);
    return name.startsWith('event:')
      ? { kind: 'event', type: name.slice('event:'.length), occurrence: k }
      : { kind: 'pause', point: name, occurrence: k };
  };
}

/** What is wrong with the end of a killed and resumed search: its counted trials against the budget, repeats, a cut-short trial not run again once. */
function budgetProblems(state: RunState, budget: number): string[] {
  const problems: string[] = [];
  const counted = state.trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
  if (counted.length !== budget) problems.push(`${counted.length} counted trials, budget ${budget}`);
  const runs = counted.map((t) => `${t.key}@${t.fidelity?.epochs ?? ''}`);
  if (new Set(runs).size !== runs.length) problems.push('an architecture ran twice at one fidelity');
  if (new Set(state.trials.map((t) => t.number)).size !== state.trials.length) problems.push('a number used twice');
  for (const t of state.trials.filter((x) => x.state !== 'COMPLETE' && x.state !== 'PRUNED')) {
    if (t.state !== 'FAILED' || t.reason !== 'interrupted')
      problems.push(`#${t.number} is ${t.state} ${t.reason ?? ''}`);
    const reruns = state.trials.filter((x) => x.retryOf === t.number).length;
    if (reruns !== 1) problems.push(`#${t.number} was run again ${reruns} times`);
  }
  return problems;
}

const figures = (epochs: readonly EpochMetrics[] | undefined) => epochs?.map(({ seconds: _s, ...rest }) => rest);

describe('kill -9 in a pruned search and in an ASHA search with continuation, resumed to the end', () => {
  it('the median-pruned evolution search ends with exactly its budget, pruned trials counted once', async ({
    expect,
  }) => {
    const w = where('pruned');
    const search = `strategy: { name: 'regularized-evolution', options: { populationSize: 4, sampleSize: 2 } }, pruner: { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 1 } }`;
    const config = writeConfig(dir, 'pruned.ts', configBody('pruned', search));
    await soak(
      {
        label: 'pruned',
        first: ['search', config, '--reporter', 'json'],
        again: ['resume', 'pruned', '--storage', w.storage, '--reporter', 'json'],
        where: w,
        kills: 5,
        rows,
        moment: moment([
          'event:trial-progress#3',
          'finish-write#2',
          'epoch-write#4',
          'trial-recorded#2',
          'event:trial-finished#1',
        ]),
      },
      SEED,
    );
    const end = await inspectRun(w);
    expect(budgetProblems(end, 10)).toEqual([]);
    expect(end.trials.filter((t) => t.state === 'PRUNED').length).toBeGreaterThan(0);
    for (const t of end.trials.filter((x) => x.state === 'COMPLETE'))
      expect(t.outcome?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });

  it('the ASHA search with continuation ends with exactly its budget, every promotion continued from a state found on disk', async ({
    expect,
  }) => {
    const w = where('asha');
    const search = `strategy: { name: 'random', options: {}, halving: { min: 1, max: 3, eta: 3 } }`;
    const config = writeConfig(dir, 'asha.ts', configBody('asha', search));
    const { runs } = await soak(
      {
        label: 'asha',
        first: ['search', config, '--reporter', 'json'],
        again: ['resume', 'asha', '--storage', w.storage, '--reporter', 'json'],
        where: w,
        kills: 5,
        rows,
        moment: moment([
          'event:trial-finished#2',
          'checkpoint-rename#1',
          'finish-write#1',
          'event:trial-started#2',
          'checkpoint-rename#2',
        ]),
      },
      SEED,
    );
    const end = await inspectRun(w);
    expect(budgetProblems(end, 10)).toEqual([]);
    const complete = end.trials.filter((t) => t.state === 'COMPLETE');
    const byNumber = new Map(end.trials.map((t) => [t.number, t]));
    const promoted = complete.filter((t) => t.continues !== undefined);
    expect(promoted.length).toBeGreaterThan(0);
    for (const t of promoted) {
      const parent = byNumber.get(t.continues as number) as Trial;
      expect([parent.state, parent.key, parent.fidelity?.epochs]).toEqual(['COMPLETE', t.key, 1]);
      expect(t.outcome?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      expect(figures(t.outcome?.epochs.slice(0, 1))).toEqual(figures(parent.outcome?.epochs));
    }
    const notes = runs.flatMap((r) => r.events).filter((e) => JSON.stringify(e).includes('left no training state'));
    expect(notes).toEqual([]);
    // On disk: the states still to be continued, whole, and nothing else (spent states and half writes removed).
    const continued = new Set(promoted.map((t) => t.continues));
    const waiting = complete.filter((t) => t.fidelity?.scheduleEpochs !== undefined && !continued.has(t.number));
    const states = path.dirname(trialStateFile(w, 0));
    expect(fs.readdirSync(states).sort()).toEqual(waiting.map((t) => `trial-${t.number}.ckpt`).sort());
  });
});
