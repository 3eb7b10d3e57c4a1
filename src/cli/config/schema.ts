import { z } from 'zod';
import { FLAG_KINDS } from '../../core/diagnostics.js';
import { isPostgresUrl, postgresUrlProblem, shownLocation } from '../../backend/storage/index.js';

// The one schema of a config file's structure and value types (UserConfig in types.ts). Registry
// names and options, and the training ranges, are checked after it (registry-checks.ts), against
// the registries themselves. Every message reads "expected …"; problems.ts adds the path and "got …".

const expected = (what: string) => ({ error: `expected ${what}` });

const positiveInt = (what = 'a positive integer') => z.int(expected(what)).positive(expected(what));
const nonNegativeInt = (what = 'an integer ≥ 0') => z.int(expected(what)).nonnegative(expected(what));
const positiveNumber = (what = 'a positive number') => z.number(expected(what)).positive(expected(what));
const bool = () => z.boolean(expected('true or false'));
const text = (what = 'a non-empty string') => z.string(expected(what)).min(1, expected(what));
const options = () => z.record(z.string(), z.unknown(), expected('an object of options')).optional();

const STORAGE = 'a SQLite file path or a PostgreSQL URL (postgres://user:password@host:port/database)';
/** A SQLite file's path, or a PostgreSQL URL that parses; a problem shows the URL without its password. */
const storageLocation = () =>
  z.string(expected(STORAGE)).superRefine((value, context) => {
    const problem = value === '' ? STORAGE : isPostgresUrl(value) ? postgresUrlProblem(value) : undefined;
    if (problem !== undefined)
      context.addIssue({ code: 'custom', message: `expected ${problem}`, input: shownLocation(value) });
  });

/** An object that reports unknown keys (a typo) with the keys it knows. */
function strict<S extends z.ZodRawShape>(shape: S, what = 'an object') {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (known: ${known})` : `expected ${what}`),
  });
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;
const NAME_RULE = '1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit';

const optimizer = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('sgd'),
      momentum: z.number().optional(),
      nesterov: bool().optional(),
      weightDecay: z.number().optional(),
      decoupled: bool().optional(),
      decayOn: z.enum(['kernels', 'all']).optional(),
    }),
    strict({
      kind: z.enum(['adam', 'adamw']),
      beta1: z.number().optional(),
      beta2: z.number().optional(),
      epsilon: z.number().optional(),
      weightDecay: z.number().optional(),
      decayOn: z.enum(['kernels', 'all']).optional(),
    }),
  ],
  expected("an optimizer { kind: 'sgd' | 'adam' | 'adamw', … }"),
);

const schedule = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('constant'), lr: z.number() }),
    strict({
      kind: z.literal('cosine'),
      lrMax: z.number(expected('a number (the peak learning rate)')),
      lrMin: z.number().optional(),
      warmupEpochs: z.number().optional(),
      warmupFrom: z.enum(['zero', 'min']).optional(),
      restart: strict({ t0Epochs: z.number(), tMult: z.number().optional() }).optional(),
    }),
    strict({
      kind: z.literal('one-cycle'),
      lrMax: z.number(),
      lrMin: z.number().optional(),
      riseFraction: z.number().optional(),
      finalFraction: z.number().optional(),
    }),
  ],
  expected("a schedule { kind: 'constant' | 'cosine' | 'one-cycle', … }"),
);

const train = strict({
  epochs: positiveInt().optional(),
  steps: positiveInt().optional(),
  dataFraction: z.number().gt(0, expected('a number in (0, 1]')).lte(1, expected('a number in (0, 1]')).optional(),
  batchSize: positiveInt().optional(),
  dropLast: bool().optional(),
  optimizer: optimizer.optional(),
  schedule: schedule.optional(),
  labelSmoothing: z.number().optional(),
  clipNorm: z.number().optional(),
  evalBatchSize: positiveInt().optional(),
  test: bool().optional(),
  init: z.enum(['he', 'glorot'], expected("'he' or 'glorot'")).optional(),
  engine: z.enum(['compiled', 'eager'], expected("'compiled' or 'eager'")).optional(),
  precision: z.enum(['fp32', 'bf16'], expected("'fp32' or 'bf16'")).optional(),
  checkpointing: strict({
    segments: z.union([positiveInt(), z.literal('sqrt')], expected("a positive integer or 'sqrt'")),
  }).optional(),
  qat: strict({
    epochs: positiveInt().optional(),
    fraction: z
      .number(expected('a number in (0, 1]'))
      .gt(0, expected('a number in (0, 1]'))
      .lte(1, expected('a number in (0, 1]'))
      .optional(),
    momentum: z
      .number(expected('a number in [0, 1)'))
      .gte(0, expected('a number in [0, 1)'))
      .lt(1, expected('a number in [0, 1)'))
      .optional(),
  }).optional(),
  diagnostics: z
    .union(
      [
        z.literal(true),
        strict({
          every: positiveInt().optional(),
          gradients: bool().optional(),
          activations: bool().optional(),
          histograms: bool().optional(),
          thresholds: strict(
            {
              vanishingRatio: z.number().optional(),
              runLength: z.number().optional(),
              explodingNorm: z.number().optional(),
              jumpFactor: z.number().optional(),
              deadFraction: z.number().optional(),
              bnMean: z.number().optional(),
              bnStdFactor: z.number().optional(),
              collapseStd: z.number().optional(),
            },
            'an object of thresholds (docs/training.md, Diagnostics)',
          ).optional(),
          stopOn: z
            .array(
              z.enum(FLAG_KINDS, expected(FLAG_KINDS.map((k) => `'${k}'`).join(', '))),
              expected('a list of flags'),
            )
            .optional(),
        }),
      ],
      expected('true or { every?, gradients?, activations?, histograms?, thresholds?, stopOn? }'),
    )
    .optional(),
});

/** The schema of a config file's default export. */
export const userConfigSchema = strict(
  {
    name: z.string(expected(`a name of ${NAME_RULE}`)).regex(NAME, expected(`a name of ${NAME_RULE}`)),
    seed: z.int(expected('an integer')).optional(),
    dataset: strict({
      name: text('a data set name (`nas list datasets`)'),
      options: options(),
      subset: positiveInt().optional(),
      validationFraction: z
        .number(expected('a number in (0, 1)'))
        .gt(0, expected('a number in (0, 1)'))
        .lt(1, expected('a number in (0, 1)'))
        .optional(),
      augment: strict({
        pad: nonNegativeInt().optional(),
        flip: bool().optional(),
        cutout: nonNegativeInt().optional(),
      }).optional(),
    }),
    space: strict({ name: text('a search space name (`nas list spaces`)'), options: options() }),
    strategy: strict({ name: text('a strategy name (`nas list strategies`)'), options: options(), halving: options() }),
    pruner: strict({
      name: text('a pruner name (docs/strategies.md, "Pruners")'),
      options: options(),
      reportEvery: positiveInt('a positive integer (steps)').optional(),
    }).optional(),
    train: train.optional(),
    objectives: z
      .array(
        strict({ metric: text('a metric name'), direction: z.enum(['max', 'min'], expected("'max' or 'min'")) }),
        expected('a list of objectives'),
      )
      .min(1, expected('at least one objective'))
      .optional(),
    constraints: strict({
      maxMacs: positiveNumber().optional(),
      maxParams: positiveNumber().optional(),
      maxTrainMemoryBytes: positiveNumber().optional(),
    }).optional(),
    budget: strict({ trials: positiveInt(), seconds: positiveNumber().optional() }, 'a budget { trials, seconds? }'),
    workers: positiveInt().optional(),
    trialTimeoutSeconds: positiveNumber().optional(),
    dispatch: strict(
      { queue: text('a Redis URL (redis://host:port)'), inflight: positiveInt().optional() },
      "a dispatch { queue: 'redis://host:port', inflight? }",
    ).optional(),
    measureLatency: bool().optional(),
    tensorboard: bool().optional(),
    keepModels: z
      .union(
        [z.literal('all'), z.literal('none'), strict({ best: positiveInt() })],
        expected("'all', 'none' or { best: k } with k a positive integer"),
      )
      .optional(),
    saveModels: bool().optional(),
    storage: storageLocation().optional(),
    artifacts: text('a folder path').optional(),
    benchmark: strict({ table: text('a file path (a CSV table)'), metric: text('a column of the table') }).optional(),
    enqueue: z.array(z.json(), expected('a list of samples of the space')).optional(),
    warmStart: strict(
      {
        from: z
          .array(text('an experiment name'), expected('a list of experiment names'))
          .min(1, expected('at least one experiment')),
        mode: z.enum(['seed-history', 'reuse-results'], expected("'seed-history' or 'reuse-results'")),
      },
      "a warmStart { from: ['experiment', …], mode: 'seed-history' | 'reuse-results' }",
    ).optional(),
  },
  'a config object (export default defineConfig({...}))',
).superRefine((config, context) => {
  if (config.saveModels !== undefined && config.keepModels !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['saveModels'],
      input: config.saveModels,
      message: "expected keepModels alone (saveModels is its older form: false is keepModels 'none')",
    });
  }
});

/** A config that passed {@link userConfigSchema}. */
export type CheckedConfig = z.infer<typeof userConfigSchema>;
