import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { RunEvent } from '../../src/core/events.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import type { Evaluator, TrialTaskOutcome } from '../../src/run/evaluator.js';
import type { TrialTask } from '../../src/run/worker/trial-task.js';

/** A fresh temp folder for a SQLite file. */
export function tempDb(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nas-run-')), 'nas.sqlite');
}

/** A small experiment on the NB201 space (evaluated in-process in these tests). */
export function testConfig(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    name: 'exp',
    seed: 7,
    dataset: { name: 'synthetic', options: {}, validationFraction: 0.2 },
    space: { name: 'nb201', options: {} },
    strategy: { name: 'random', options: {} },
    train: { epochs: 1, batchSize: 32 },
    objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
    budget: { trials: 12 },
    workers: 2,
    measureLatency: false,
    storage: tempDb(),
    ...overrides,
  };
}

/** A deterministic stand-in "accuracy" of an architecture: a hash of its key in [0, 1). */
export function fakeAccuracy(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/**
 * An in-process evaluator (docs/conventions.md, *Testable against a lookup*: strategies and the
 * driver are testable in milliseconds against a lookup): the outcome of a task is `decide(task)`,
 * after `delayMs`.
 */
export function lookupEvaluator(
  concurrency: number,
  decide: (task: TrialTask) => TrialTaskOutcome,
  delayMs: (task: TrialTask) => number = () => 0,
): Evaluator {
  return {
    concurrency,
    run: (task) =>
      new Promise((resolve) => {
        setTimeout(() => resolve(decide(task)), delayMs(task));
      }),
    close: async () => undefined,
  };
}

/** A COMPLETE outcome whose validation accuracy is `accuracy`. */
export function completed(accuracy: number): TrialTaskOutcome {
  const value = {
    metrics: { validationAccuracy: accuracy },
    cost: { params: 1, paramsTotal: 1, macs: 1, trainMemoryBytes: 1, inferenceMemoryBytes: 1, estimatedLatencyMs: 1 },
    epochs: [],
    seconds: 0,
  };
  return { ok: true, value };
}

/** Collects events. */
export function eventLog(): { events: RunEvent[]; emit: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}

/** The trials stored for the config's experiment (none before it exists), read with a fresh connection. */
export async function storedTrials(config: Pick<ExperimentConfig, 'storage' | 'name'>) {
  const storage = await openSqliteStorage(config.storage);
  try {
    const experiment = await storage.getExperiment(config.name);
    return experiment === undefined ? [] : await storage.listTrials(experiment.id);
  } finally {
    await storage.close();
  }
}
