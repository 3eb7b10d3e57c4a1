// Kill anywhere: real `nas` runs (node bin/nas.js, JSON-lines reporter) SIGKILLed at moments drawn
// from a seeded generator, then resumed (`nas resume`, or the same `nas export` again), killed
// again, … until they finish. The moments are output events (a trial started or finished, a batch,
// a supernet epoch), wall-clock delays, and pause points inside writes (fixtures/pause-points.cjs:
// a storage transaction, a strategy snapshot, a trial's model files, a DARTS checkpoint, an export's
// files, a compiled network's temporary folder), which no printed event can mark: events are emitted
// after the writes they report. The table of kills is printed and written to kills.md in the test's
// temporary folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Rng } from '../../src/core/rng.js';
import type { Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { derivedCandidates, storedEpochs } from '../../src/run/oneshot.js';
import { startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { completed, lookupEvaluator } from './helpers.js';
import { inspectRun, list, listTree, orphanModelFolders, type RunState, type Where } from './kill-inspect.js';
import { runNas, type Moment } from './kill-runner.js';
import { soak, writeTable, type Row, type Scenario } from './kill-soak.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

const SEED = 20240611;
const dir = tempDir('nas-soak-');
const rows: Row[] = [];

afterAll(() => {
  if (rows.length === 0) return;
  const order = ['table', 'mnist', 'darts', 'export'];
  const sorted = [...rows].sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  const table = writeTable(sorted, path.join(dir, 'kills.md'));
  console.info(`kills and outcomes (${path.join(dir, 'kills.md')}):\n${table}`);
});

/** Where a scenario's experiment lives: its own SQLite file, and its own TMPDIR for the commands. */
function where(name: string): Where {
  const tmp = path.join(dir, `tmp-${name}`);
  fs.mkdirSync(tmp, { recursive: true });
  return { storage: path.join(dir, `${name}.sqlite`), name, tmp };
}

const pause = (point: string, occurrence: number): Moment => ({ kind: 'pause', point, occurrence });
const event = (type: string, occurrence: number): Moment => ({ kind: 'event', type, occurrence });

/**
 * Moments from a plan of kinds, one per kill, shuffled by the seeded generator (the first kept
 * first: it kills the run that creates the experiment). `draw` turns a kind into a moment; a
 * resume writes `interrupt-write` only when the last kill left RUNNING trials, else a trial's record
 * is the moment instead. `later` is a second plan used once `ready(last)` holds (a one-shot
 * search's trial phase).
 */
function planned(
  plan: readonly string[],
  draw: (kind: string, rng: Rng, last: RunState | undefined) => Moment,
  later?: { plan: readonly string[]; ready: (s: RunState) => boolean },
): Scenario['moment'] {
  let first: string[] | undefined;
  let second: string[] | undefined;
  return (_i, rng, last) => {
    first ??= [plan[0] as string, ...rng.shuffle(plan.slice(1))];
    second ??= rng.shuffle([...(later?.plan ?? [])]);
    const useLater = later !== undefined && last !== undefined && later.ready(last) ? second.shift() : undefined;
    const kind = useLater ?? first.shift() ?? (second.shift() as string);
    const running = (last?.trials ?? []).some((t) => t.state === 'RUNNING');
    return draw(kind === 'interrupt-write' && !running ? 'trial-recorded' : kind, rng, last);
  };
}

async function trialsOf(storage: string, name: string): Promise<readonly Trial[]> {
  const s = await openSqliteStorage(storage, { readonly: true });
  try {
    const e = await s.getExperiment(name);
    return e === undefined ? [] : await s.listTrials(e.id);
  } finally {
    await s.close();
  }
}

async function storedConfig(storage: string, name: string): Promise<ExperimentConfig> {
  const s = await openSqliteStorage(storage, { readonly: true });
  try {
    return (await s.getExperiment(name))?.config as unknown as ExperimentConfig;
  } finally {
    await s.close();
  }
}

/** What is wrong with how a killed-and-resumed search ended: not its budget, repeats, a cut-short trial not run again once, stray files. */
function problemsAtEnd(state: RunState, budget: number, modelRoot: string): string[] {
  const problems: string[] = [];
  const complete = state.trials.filter((t) => t.state === 'COMPLETE');
  if (complete.length !== budget) problems.push(`${complete.length} complete trials, budget ${budget}`);
  if (new Set(complete.map((t) => t.key)).size !== complete.length) problems.push('an architecture completed twice');
  if (new Set(state.trials.map((t) => t.number)).size !== state.trials.length)
    problems.push('a trial number used twice');
  for (const t of state.trials.filter((x) => x.state !== 'COMPLETE')) {
    if (t.state !== 'FAILED' || t.reason !== 'interrupted')
      problems.push(`trial #${t.number} is ${t.state} ${t.reason ?? ''}`);
    const reruns = state.trials.filter((x) => x.retryOf === t.number).length;
    if (reruns !== 1) problems.push(`trial #${t.number} was run again ${reruns} times`);
  }
  const strays = orphanModelFolders(state, modelRoot);
  if (strays.length > 0) problems.push(`model folders of trials that did not complete: ${strays.join(', ')}`);
  if (state.temporary.length > 0) problems.push(`temporary files left: ${state.temporary.join(', ')}`);
  return problems;
}

/** The architectures the strategy proposed, in order: the trials that are not re-runs. */
const proposals = (trials: readonly Trial[]) => trials.filter((t) => t.retryOf === undefined).map((t) => t.key);

/** A last row per scenario: how the run ended. */
function endRow(label: string, state: RunState, note: string): Row {
  const failed = state.trials.filter((t) => t.state === 'FAILED').length;
  const complete = state.trials.filter((t) => t.state === 'COMPLETE').length;
  return {
    scenario: label,
    kill: 0,
    moment: 'end',
    at: '',
    found: `${complete} complete, ${failed} interrupted and run again`,
    resumed: note,
  };
}

describe('kill anywhere: SIGKILL at seeded moments, resume until the end', () => {
  it.concurrent(
    'a table-benchmark search (regularized evolution, 1 worker) ends with its budget and proposes what an uninterrupted run proposes',
    async ({ expect }) => {
      const w = where('table');
      const table = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
      const body = (
        name: string,
      ) => `{ name: '${name}', seed: 11, dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' },
         strategy: { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3 } }, benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' },
         objectives: [{ metric: 'acc', direction: 'max' }], budget: { trials: 50 }, workers: 1, storage: './${name}.sqlite' }`;
      const config = writeConfig(dir, 'table.ts', body('table'));
      // The same config uninterrupted, meanwhile, through the same command.
      const reference = runNas(
        ['search', writeConfig(dir, 'table-reference.ts', body('table-reference')), '--reporter', 'json'],
        { tmp: where('table-reference').tmp },
      );
      const plan = [
        'trial-recorded',
        'trial-insert',
        'snapshot-write',
        'finish-write',
        'interrupt-write',
        'trial-finished',
        'trial-started',
        'trial-recorded',
        'snapshot-write',
        'delay',
      ];
      await soak(
        {
          label: 'table',
          first: ['search', config, '--reporter', 'json'],
          again: ['resume', 'table', '--storage', w.storage, '--reporter', 'json'],
          where: w,
          kills: 10,
          rows,
          moment: planned(plan, (kind, rng) => {
            if (kind === 'trial-finished' || kind === 'trial-started') return event(kind, 1 + rng.int(4));
            if (kind === 'delay') return { kind: 'delay', ms: 300 + rng.int(2200) };
            if (kind === 'interrupt-write') return pause(kind, 1);
            return pause(kind, 1 + rng.int(kind === 'snapshot-write' ? 6 : 4));
          }),
        },
        SEED,
      );
      const end = await inspectRun(w);
      expect(problemsAtEnd(end, 50, path.join(dir, 'table'))).toEqual([]);
      expect((await reference).code).toBe(0);
      expect(proposals(end.trials)).toEqual(
        proposals(await trialsOf(path.join(dir, 'table-reference.sqlite'), 'table-reference')),
      );
      rows.push(endRow('table', end, "the 50 proposals equal an uninterrupted run's"));
    },
  );

  it.concurrent(
    'a real MNIST search (random, 2 workers, the isolated pool) ends with its budget, every model whole and none of a trial that did not finish',
    async ({ expect }) => {
      const w = where('mnist');
      const config = writeConfig(
        dir,
        'mnist.ts',
        `{ name: 'mnist', seed: 5, dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset: 600 },
         space: { name: 'macro', options: { stem: 'conv3x3', stemChannels: 4, stageWidths: [4, 8], widthMultipliers: ['1'], depths: [1], expansions: [1, 2], kernels: [3], strides: [2], blocks: ['basic', 'inverted_residual', 'separable'], attention: ['none', 'se'] } },
         strategy: { name: 'random' }, train: { epochs: 1, batchSize: 64 }, measureLatency: false,
         objectives: [{ metric: 'validationAccuracy', direction: 'max' }], budget: { trials: 10 }, workers: 2, storage: './mnist.sqlite' }`,
      );
      const plan = [
        'trial-recorded',
        'model-save',
        'epoch-write',
        'finish-write',
        'compiled-load',
        'trial-progress',
        'trial-finished',
        'delay',
        'trial-started',
        'interrupt-write',
      ];
      await soak(
        {
          label: 'mnist',
          first: ['search', config, '--reporter', 'json'],
          again: ['resume', 'mnist', '--storage', w.storage, '--reporter', 'json'],
          where: w,
          kills: 10,
          rows,
          // Near the end of the budget only moments before the first trial of the run finishes, so every kill comes.
          moment: planned(plan, (kind, rng, last) => {
            const late = (last?.trials.filter((t) => t.state === 'COMPLETE').length ?? 0) >= 7;
            if (kind === 'trial-progress') return event(kind, 1 + rng.int(late ? 1 : 4));
            if (kind === 'trial-finished') return late ? pause('trial-recorded', 1) : event(kind, 1 + rng.int(2));
            if (kind === 'trial-started') return event(kind, 1 + rng.int(late ? 1 : 2));
            if (kind === 'delay') return late ? pause('epoch-write', 1) : { kind: 'delay', ms: 2000 + rng.int(6000) };
            return pause(kind, kind === 'trial-recorded' && !late ? 1 + rng.int(3) : 1);
          }),
        },
        SEED,
      );
      const end = await inspectRun(w);
      const modelRoot = path.join(dir, 'mnist');
      expect(problemsAtEnd(end, 10, modelRoot)).toEqual([]);
      const complete = end.trials.filter((t) => t.state === 'COMPLETE');
      expect(end.modelFolders).toEqual(complete.map((t) => `trial-${t.number}`).sort());
      for (const t of complete)
        expect(list(path.join(modelRoot, `trial-${t.number}`))).toEqual(['model.json', 'weights.bin']);
      expect(complete.every((t) => (t.outcome?.metrics.validationAccuracy ?? -1) >= 0)).toBe(true);
      // Random search proposes from its seed and the keys already tried, whatever the results: an
      // uninterrupted run of the stored config with an in-process evaluator proposes the same.
      const reference = {
        ...(await storedConfig(w.storage, 'mnist')),
        name: 'reference',
        storage: path.join(dir, 'mnist-reference.sqlite'),
      };
      await startSearch(reference, { emit: () => undefined, evaluator: lookupEvaluator(2, () => completed(0.5)) });
      expect(proposals(end.trials)).toEqual(proposals(await trialsOf(reference.storage, 'reference')));
      expect(createSpace('macro', reference.space.options).validate(complete[0]?.sample)).toEqual([]);
      rows.push(
        endRow(
          'mnist',
          end,
          "the 10 proposals equal an uninterrupted run's; models: one whole folder per complete trial",
        ),
      );
    },
  );

  it.concurrent(
    'a DARTS search reaches the α of an uninterrupted run, keeps only its last checkpoint, and an export killed anywhere ends whole',
    async ({ expect }) => {
      const w = where('darts');
      const body = (
        name: string,
      ) => `{ name: '${name}', seed: 7, dataset: { name: 'synthetic', options: { trainCount: 1000, testCount: 100, classes: 4, noise: 0.4 }, validationFraction: 0.2 },
         space: { name: 'nb201', options: { cells: 1, channels: 4 } }, strategy: { name: 'darts', options: { order: 'first', epochs: 6, batchSize: 32, candidates: 2 } },
         train: { epochs: 1, batchSize: 32 }, measureLatency: false, budget: { trials: 2 }, workers: 1, storage: './${name}.sqlite' }`;
      const config = writeConfig(dir, 'darts.ts', body('darts'));
      // The same config uninterrupted, meanwhile, with its own storage and temporary folder.
      const reference = runNas(
        ['search', writeConfig(dir, 'darts-reference.ts', body('darts-reference')), '--reporter', 'json'],
        { tmp: where('darts-reference').tmp },
      );
      const supernet = [
        'oneshot-progress',
        'checkpoint-rename',
        'oneshot-record',
        'oneshot-recorded',
        'oneshot-epoch',
        'delay',
      ];
      const trials = ['trial-recorded', 'model-save', 'finish-write', 'trial-started'];
      await soak(
        {
          label: 'darts',
          first: ['search', config, '--reporter', 'json'],
          again: ['resume', 'darts', '--storage', w.storage, '--reporter', 'json'],
          where: w,
          kills: 10,
          rows,
          moment: planned(
            supernet,
            (kind, rng) => {
              if (kind === 'oneshot-progress') return event(kind, 1 + rng.int(2));
              if (kind === 'oneshot-epoch' || kind === 'trial-started') return event(kind, 1);
              if (kind === 'delay') return { kind: 'delay', ms: 3000 + rng.int(8000) };
              return pause(kind, 1);
            },
            { plan: trials, ready: (s) => s.epochs.length === 6 },
          ),
        },
        SEED,
      );
      const end = await inspectRun(w);
      expect(problemsAtEnd(end, 2, path.join(dir, 'darts'))).toEqual([]);
      expect(end.epochs).toEqual([1, 2, 3, 4, 5, 6]);
      expect(end.checkpoints).toEqual(['epoch-6.ckpt']);

      const stored = await openSqliteStorage(w.storage, { readonly: true });
      const epochs = await stored
        .getExperiment('darts')
        .then((e) => storedEpochs(stored, e?.id ?? -1))
        .finally(() => stored.close());
      const space = createSpace('nb201', { cells: 1, channels: 4 });
      expect(end.trials.filter((t) => t.state === 'COMPLETE').map((t) => t.key)).toEqual(
        derivedCandidates(space, epochs, 2).map((s) => space.key(s)),
      );
      // The uninterrupted run: the same α after every epoch.
      expect((await reference).code).toBe(0);
      const again = await openSqliteStorage(path.join(dir, 'darts-reference.sqlite'), { readonly: true });
      const straight = await again
        .getExperiment('darts-reference')
        .then((e) => storedEpochs(again, e?.id ?? -1))
        .finally(() => again.close());
      expect(epochs.map((e) => e.weights)).toEqual(straight.map((e) => e.weights));
      rows.push(
        endRow('darts', end, "α of all 6 epochs equal an uninterrupted run's; oneshot/ holds epoch-6.ckpt only"),
      );

      // `nas export` of the best trial, killed anywhere and run again until it ends.
      const out = path.join(dir, 'export');
      const exportWhere = { ...w, exportDir: out };
      const args = [
        'export',
        'darts',
        '--best',
        '--out',
        out,
        '--format',
        'tfjs-layers,saved-model,saved-model-int8',
        '--calibration',
        '64',
        '--storage',
        w.storage,
      ];
      const exported = await soak(
        {
          label: 'export',
          first: args,
          again: args,
          where: exportWhere,
          kills: 6,
          rows,
          // An export takes a few seconds, most of it starting up: the delay lands in the first second or two.
          moment: planned(
            ['export-file', 'compiled-load', 'export-variants', 'export-record', 'export-recorded', 'delay'],
            (kind, rng) => (kind === 'delay' ? { kind: 'delay', ms: 300 + rng.int(1500) } : pause(kind, 1)),
          ),
        },
        SEED,
      );
      const after = await inspectRun(exportWhere);
      const listed = (/: (.*)$/m.exec(exported.final.stdout)?.[1] ?? '').split(', ').filter((f) => !f.endsWith('/'));
      expect(after.exportFiles).toEqual([...listed].sort());
      expect(after.temporary).toEqual([]);
      expect(after.exports).toBeGreaterThanOrEqual(1);
      const variants = JSON.parse(fs.readFileSync(path.join(out, 'variants.json'), 'utf8')) as {
        variants: { format: string }[];
      };
      expect(variants.variants.map((v) => v.format)).toEqual(['tfjs-layers', 'saved-model', 'saved-model-int8']);
      expect(listTree(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      rows.push({
        scenario: 'export',
        kill: 0,
        moment: 'end',
        at: '',
        found: `${after.exportFiles.length} files, ${after.exports} exports recorded`,
        resumed: 'the folder holds exactly the files the last export listed; no temporary folder left',
      });
    },
  );
});
