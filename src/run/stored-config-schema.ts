// The shape of a config as an experiment stores it (ExperimentConfig), for reading it back. Loose
// objects: a key this version does not know (an older field, or a newer one) is kept, not refused;
// every field the run layer reads is checked. The config file's own schema (src/cli/config) is
// stricter and checks what a user writes; this one checks what a stored experiment still means.
import { z } from 'zod';
import { TrainConfigError } from '../eval/train/errors.js';
import { resolveTrainConfig, type TrainConfig } from '../eval/train/config.js';

const name = () => z.string().min(1);
const positiveInt = () => z.int().positive();
const positiveNumber = () => z.number().positive();
const options = () => z.record(z.string(), z.json());

/** A registry entry and its resolved options (space, strategy, pruner). */
const entry = () => z.looseObject({ name: name(), options: options() });

/**
 * `train` as stored: an object that the trainer's own check (resolveTrainConfig) accepts, typed as
 * that check's input; each of its problems (a whole message: "expected …, got …") under `train.`.
 */
const train = z
  .looseObject({})
  .pipe(z.custom<Omit<TrainConfig, 'seed'>>())
  .superRefine((value, context) => {
    for (const problem of trainProblems(value)) context.addIssue({ code: 'custom', ...problem, input: value });
  });

/** The problems resolveTrainConfig finds in stored training settings, each with its path under `train`. */
function trainProblems(value: Omit<TrainConfig, 'seed'>): { path: string[]; message: string }[] {
  try {
    resolveTrainConfig({ ...value, seed: 0 });
    return [];
  } catch (error) {
    if (!(error instanceof TrainConfigError))
      return [{ path: [], message: `expected training settings the trainer takes (${String(error)})` }];
    return error.problems.map((line) => {
      const at = line.indexOf(': ');
      return at < 0 ? { path: [], message: line } : { path: line.slice(0, at).split('.'), message: line.slice(at + 2) };
    });
  }
}

/** A stored experiment config; its output is an ExperimentConfig (plus any keys this version does not know). */
export const storedConfigSchema = z.looseObject({
  name: name(),
  seed: z.int(),
  dataset: z.looseObject({
    name: name(),
    options: options(),
    validationFraction: z.number().gt(0).lt(1),
    subset: positiveInt().exactOptional(),
    augment: z
      .looseObject({
        pad: z.int().nonnegative().exactOptional(),
        flip: z.boolean().exactOptional(),
        cutout: z.int().nonnegative().exactOptional(),
      })
      .exactOptional(),
  }),
  space: entry(),
  strategy: z.looseObject({ name: name(), options: options(), halving: options().exactOptional() }),
  train,
  objectives: z.array(z.looseObject({ metric: name(), direction: z.enum(['max', 'min']) })).min(1),
  constraints: z
    .looseObject({
      maxMacs: positiveNumber().exactOptional(),
      maxParams: positiveNumber().exactOptional(),
      maxTrainMemoryBytes: positiveNumber().exactOptional(),
    })
    .exactOptional(),
  budget: z.looseObject({ trials: positiveInt(), seconds: positiveNumber().exactOptional() }),
  workers: positiveInt(),
  trialTimeoutSeconds: positiveNumber().exactOptional(),
  dispatch: z.looseObject({ queue: name(), inflight: positiveInt().exactOptional() }).exactOptional(),
  measureLatency: z.boolean(),
  tensorboard: z.boolean().exactOptional(),
  keepModels: z
    .union([z.literal('all'), z.literal('none'), z.looseObject({ best: positiveInt() })], {
      error: 'expected "all", "none" or { best: k }',
    })
    .exactOptional(),
  saveModels: z.boolean().exactOptional(),
  storage: name(),
  artifacts: name().exactOptional(),
  pruner: z
    .looseObject({ name: name(), options: options(), reportEvery: positiveInt().exactOptional() })
    .exactOptional(),
  benchmark: z.looseObject({ table: name(), metric: name() }).exactOptional(),
  enqueue: z.array(z.json()).exactOptional(),
  warmStart: z
    .looseObject({ from: z.array(name()).min(1), mode: z.enum(['seed-history', 'reuse-results']) })
    .exactOptional(),
});
