// Live diagnostics through a real search (driver, isolated pool, worker threads, SQLite): each
// epoch's diagnostics are stored as the trial reports them, a trial stopped by diagnostics.stopOn
// keeps its epochs and flags, and `tensorboard: true` writes one TensorBoard run per trial whose
// values and steps are exactly storage's (read back with the independent reader of
// test/backend/tensorboard).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import type { DiagnosticEpoch } from '../../src/core/trial-diagnostics.js';
import type { EpochMetrics } from '../../src/core/trial.js';
import { openSqliteStorage, type Storage } from '../../src/backend/storage/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { experimentDir } from '../../src/run/model-store.js';
import { startSearch } from '../../src/run/search.js';
import { tensorBoardDir } from '../../src/run/tensorboard-runs.js';
import { readEventFile, type Event } from '../backend/tensorboard/event-reader.js';
import { testConfig } from './helpers.js';

/** 400 synthetic 8×8 images, 320 of them for training: 5 steps an epoch at batch 64. */
const DATA = { name: 'synthetic', options: { trainCount: 400, testCount: 50, classes: 4 }, validationFraction: 0.2 };

function tinySearch(name: string, overrides: Partial<ExperimentConfig>): ExperimentConfig {
  return testConfig({
    name,
    dataset: DATA,
    space: { name: 'nb201', options: { cells: 1, channels: 4 } },
    budget: { trials: 2 },
    workers: 1,
    keepModels: 'none',
    ...overrides,
  });
}

async function withStorage<T>(
  config: ExperimentConfig,
  read: (storage: Storage, experimentId: number) => Promise<T>,
): Promise<T> {
  const storage = await openSqliteStorage(config.storage);
  try {
    const experiment = await storage.getExperiment(config.name);
    return await read(storage, experiment?.id ?? -1);
  } finally {
    await storage.close();
  }
}

/** The diagnostics records a search's events carried, per trial id, in order. */
function reported(events: readonly RunEvent[]): Map<number, DiagnosticEpoch[]> {
  const byTrial = new Map<number, DiagnosticEpoch[]>();
  for (const e of events) {
    if (e.type !== 'trial-progress' || e.progress.kind !== 'diagnostics') continue;
    byTrial.set(e.trialId, [...(byTrial.get(e.trialId) ?? []), e.progress.record]);
  }
  return byTrial;
}

type Point = { tag: string; step: number; value?: number; histogram?: { min: number; max: number; counts: number[] } };

/** What the run of a trial must hold, in the order written: per epoch its diagnostics, then its scalars. */
function expectedPoints(epochs: readonly EpochMetrics[], records: readonly DiagnosticEpoch[]): Point[] {
  const points: Point[] = [];
  const scalar = (tag: string, step: number, value: number) => points.push({ tag, step, value: Math.fround(value) });
  const probeTags = [
    ['mean', 'mean'],
    ['std', 'std'],
    ['zeroFraction', 'zero_fraction'],
    ['deadFraction', 'dead_fraction'],
    ['channelMeanAbs', 'channel_mean_abs'],
    ['channelStd', 'channel_std'],
  ] as const;
  for (const m of epochs) {
    const record = records.find((r) => r.epoch === m.epoch);
    for (const c of record?.checks ?? []) {
      if (c.globalGradNorm !== undefined) scalar('grad_norm/global', c.step, c.globalGradNorm);
      for (const l of c.layers ?? []) scalar(`grad_norm/${l.layer}`, c.step, l.gradNorm);
      for (const p of c.activations ?? [])
        for (const [field, tag] of probeTags)
          if (p[field] !== undefined) scalar(`activations/${p.layer}/${tag}`, c.step, p[field]);
    }
    for (const h of record?.histograms ?? []) {
      const tag = `${{ weight: 'weights', gradient: 'gradients', activation: 'activations' }[h.kind]}/${h.layer}`;
      points.push({ tag, step: m.epoch, histogram: { min: h.min, max: h.max, counts: [...h.counts] } });
    }
    scalar('loss/train', m.epoch, m.trainLoss);
    scalar('loss/val', m.epoch, m.validationLoss);
    scalar('accuracy/train', m.epoch, m.trainAccuracy);
    scalar('accuracy/val', m.epoch, m.validationAccuracy);
    scalar('lr', m.epoch, m.learningRate);
  }
  return points;
}

/** The points of an event file, after its version record. */
function filePoints(events: readonly Event[]): Point[] {
  return events
    .slice(1)
    .flatMap((e) =>
      e.values.map((v): Point =>
        v.histo === undefined
          ? { tag: v.tag, step: e.step, value: v.simpleValue as number }
          : { tag: v.tag, step: e.step, histogram: { min: v.histo.min, max: v.histo.max, counts: v.histo.bucket } },
      ),
    );
}

describe('live diagnostics in a real search', () => {
  it('stores each epoch as reported, and writes one TensorBoard run per trial with storage’s values and steps', async () => {
    const config = tinySearch('live', {
      train: {
        epochs: 2,
        batchSize: 64,
        diagnostics: { every: 2, gradients: true, activations: true, histograms: true },
      },
      tensorboard: true,
    });
    const events: RunEvent[] = [];
    expect(await startSearch(config, { emit: (e) => events.push(e) })).toBe('finished');
    const records = reported(events);
    const runs = tensorBoardDir(experimentDir(config));
    await withStorage(config, async (storage, experimentId) => {
      const trials = await storage.listTrials(experimentId);
      expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
      expect(readdirSync(runs).sort()).toEqual(['trial-0', 'trial-1']);
      for (const trial of trials) {
        const stored = await storage.listDiagnostics(trial.id);
        // One record per epoch, reported live (finishing the trial writes none), and the record keeps the interval and the flags.
        expect(stored.map((r) => r.epoch)).toEqual([1, 2]);
        expect(stored).toStrictEqual(records.get(trial.id));
        expect(stored.map((r) => r.checks.map((c) => c.step))).toEqual([
          [2, 4, 5],
          [6, 8, 10],
        ]);
        expect(trial.outcome?.diagnostics).toStrictEqual({ every: 2, flags: stored.flatMap((r) => r.flags) });
        // The diagnostics of an epoch come before its epoch event.
        const order = events.flatMap((e) =>
          e.type === 'trial-progress' && e.trialId === trial.id && e.progress.kind !== 'batch'
            ? [
                `${e.progress.kind} ${e.progress.kind === 'epoch' ? e.progress.metrics.epoch : e.progress.kind === 'diagnostics' ? e.progress.record.epoch : ''}`,
              ]
            : [],
        );
        expect(order).toEqual(['diagnostics 1', 'epoch 1', 'diagnostics 2', 'epoch 2']);

        const dir = path.join(runs, `trial-${trial.number}`);
        const files = readdirSync(dir);
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\./);
        const { events: written, tail } = readEventFile(path.join(dir, files[0] as string));
        expect(tail).toBe(0);
        expect(written[0]?.fileVersion).toBe('brain.Event:2');
        expect(written.flatMap((e) => e.unknown)).toEqual([]);
        const epochs = await storage.listEpochs(trial.id);
        expect(epochs).toHaveLength(2);
        expect(filePoints(written)).toStrictEqual(expectedPoints(epochs, stored));
        // Each epoch's activation histograms: one per probe of its last check, under activations/<layer>.
        for (const r of stored) {
          const probed = r.checks.at(-1)?.activations?.map((a) => `activations/${a.layer}`) ?? [];
          expect(probed.length).toBeGreaterThan(0);
          const histograms = filePoints(written).filter((p) => p.step === r.epoch && p.histogram !== undefined);
          expect(histograms.filter((p) => p.tag.startsWith('activations/')).map((p) => p.tag)).toEqual(probed);
        }
      }
    });
  });

  it('keeps the epochs and the flags of a trial that diagnostics.stopOn stopped', async () => {
    // Every layer "vanishes" (ratio < 1e9) at every check; after 7 checks in a row (every step), at step 7 in epoch 2, the flags are raised.
    const config = tinySearch('stopped', {
      budget: { trials: 1 },
      train: {
        epochs: 3,
        batchSize: 64,
        diagnostics: {
          every: 1,
          gradients: true,
          thresholds: { vanishingRatio: 1e9, runLength: 7 },
          stopOn: ['vanishing'],
        },
      },
    });
    const events: RunEvent[] = [];
    await startSearch(config, { emit: (e) => events.push(e) });
    await withStorage(config, async (storage, experimentId) => {
      const [trial] = await storage.listTrials(experimentId);
      expect(trial).toMatchObject({ state: 'FAILED', reason: 'diagnostics' });
      expect(trial?.message).toMatch(
        /^DiagnosticsStopError: training stopped by diagnostics\.stopOn: vanishing at layer /,
      );
      expect(trial?.outcome).toBeUndefined();
      const id = trial?.id ?? -1;
      const stored = await storage.listDiagnostics(id);
      expect(stored).toStrictEqual(reported(events).get(id));
      expect(stored.map((r) => [r.epoch, r.checks.map((c) => c.step)])).toEqual([
        [1, [1, 2, 3, 4, 5]],
        [2, [6, 7]],
      ]);
      const flags = stored.flatMap((r) => r.flags);
      expect(flags.length).toBeGreaterThan(0);
      expect(flags.every((f) => f.kind === 'vanishing' && f.firstStep === 1 && f.step === 7)).toBe(true);
      expect(trial?.diagnostics).toStrictEqual({ every: 1, flags });
      expect((await storage.listEpochs(id)).map((m) => m.epoch)).toEqual([1]);
    });
    const finished = events.find((e) => e.type === 'trial-finished');
    expect(finished?.type === 'trial-finished' ? finished.trial.diagnostics?.flags.length : 0).toBeGreaterThan(0);
  });
});
