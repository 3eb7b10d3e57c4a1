// The design checklist of the design document's part 7, walked for one trial with the engine's
// figures: each item's values, from the trial's frozen architecture, the experiment's config and the
// machine. What is wrong with them is warnings.ts's.
import type { Shape } from '../../core/arch.js';
import { ArchError, UserError } from '../../core/errors.js';
import type { Trial } from '../../core/trial.js';
import { findDataset, resolveDatasetOptions } from '../../backend/data/index.js';
import { planThreads } from '../../backend/tf.js';
import { resolveTrainConfig, type ResolvedTrainConfig } from '../../eval/train/config.js';
import type { AugmentConfig, ExperimentConfig } from '../../run/config.js';
import { trainCostOptions } from '../../run/train-cost.js';
import { costOf, type MemoryReport, type OptimizerName, type Precision } from '../../space/cost/index.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { createSpace } from '../../space/spaces/index.js';
import { assertArch } from '../../space/validate.js';
import { graphFacts } from './graph-facts.js';
import type { Machine } from './machine.js';
import {
  designFeatures,
  nearestReference,
  referenceFeatures,
  type NearestReference,
  type ReferenceFeatures,
} from './nearest-reference.js';
import { part7Latency, part7Memory, type Part7Latency, type Part7Memory } from './part7.js';
import { resolutionPlan, type FilterStage, type Resolution, type StrideDrop } from './resolution.js';

/** The four parts of the checklist and their items, in the design's order. */
export const CHECKLIST = [
  { title: 'Initial design', items: ['input', 'base', 'budget'] },
  { title: 'Detailed design', items: ['filters', 'strides', 'shortcuts', 'attention'] },
  { title: 'Optimization', items: ['regularization', 'normalization', 'initialization', 'schedule'] },
  { title: 'Implementation', items: ['memory', 'parallelism', 'precision'] },
] as const;
export type ItemKey = (typeof CHECKLIST)[number]['items'][number];

/** A constraint of the experiment and the trial's figure it bounds. */
export interface ConstraintCheck {
  readonly name: 'maxParams' | 'maxMacs' | 'maxTrainMemoryBytes';
  readonly limit: number;
  readonly value: number;
}

/** Every item's figures (JSON: `nas review --json`, docs/cli.md). */
export interface Checklist {
  readonly input: {
    readonly dataset: string;
    readonly height: number;
    readonly width: number;
    readonly channels: number;
    readonly classes: number;
  };
  readonly base: NearestReference | null;
  readonly budget: {
    readonly params: number;
    readonly paramsTotal: number;
    readonly macs: number;
    readonly flops: number;
    readonly latency: Part7Latency;
    readonly constraints: readonly ConstraintCheck[];
  };
  readonly filters: readonly FilterStage[];
  /** `collapsed`: the map is 1×1 from `at` on, and these k×k windows still look at it. */
  readonly strides: {
    readonly input: Resolution;
    readonly drops: readonly StrideDrop[];
    readonly collapsed: { readonly at: string; readonly windows: readonly string[] } | null;
  };
  readonly shortcuts: {
    readonly additions: number;
    readonly concatenations: number;
    readonly depth: number;
    readonly weightLayers: number;
  };
  readonly attention: { readonly se: number; readonly cbam: number };
  readonly regularization: {
    readonly weightDecay: number;
    readonly decoupled: boolean;
    readonly decayOn: string;
    readonly dropout: readonly number[];
    readonly dropPath: number;
    readonly labelSmoothing: number;
    /** The data set's augmentation, null when it changes nothing. */
    readonly augment: AugmentConfig | null;
  };
  readonly normalization: { readonly batchNorm: number; readonly weightLayers: number };
  readonly initialization: { readonly init: 'he' | 'glorot' };
  readonly schedule: {
    readonly optimizer: ResolvedTrainConfig['optimizer'];
    readonly schedule: ResolvedTrainConfig['schedule'];
    readonly budget: ResolvedTrainConfig['budget'];
    readonly batchSize: number;
  };
  readonly memory: {
    readonly part7: Part7Memory;
    /** The cost model's figure in the setting the trial trained in (as its recorded trainMemoryBytes). */
    readonly costModel: MemoryReport & {
      readonly optimizer: OptimizerName;
      readonly precision: Precision;
      readonly segments: number | null;
    };
    readonly workers: number;
    readonly machineBytes: number;
  };
  readonly parallelism: {
    readonly workers: number;
    readonly cores: number;
    readonly intraOpThreads: number;
    readonly interOpThreads: number;
    readonly engine: { readonly asked: string; readonly used: string | null; readonly fallback: string | null };
  };
  readonly precision: {
    readonly asked: string;
    readonly used: string | null;
    readonly reason: string | null;
    readonly bf16Fast: boolean;
    readonly why: string | null;
  };
}

/** What every trial of one experiment is reviewed against: its config, input, machine and the reference networks at its input. */
export interface ReviewContext {
  readonly config: ExperimentConfig;
  readonly inputShape: Shape;
  readonly classes: number;
  readonly train: ResolvedTrainConfig;
  readonly machine: Machine;
  readonly references: readonly ReferenceFeatures[];
}

export function reviewContext(config: ExperimentConfig, machine: Machine): ReviewContext {
  const dataset = findDataset(config.dataset.name);
  const options = resolveDatasetOptions(config.dataset.name, config.dataset.options);
  const [inputShape, classes] = [dataset.shape(options), dataset.numClasses(options)];
  const train = resolveTrainConfig({ ...config.train, seed: config.seed });
  return { config, inputShape, classes, train, machine, references: referenceFeatures(inputShape, classes) };
}

/** The trial's architecture resolved at the experiment's input; one that does not resolve is a {@link UserError}. */
function trialArch(context: ReviewContext, trial: Trial): ResolvedArch {
  const { config, inputShape, classes } = context;
  try {
    return assertArch(createSpace(config.space.name, config.space.options).freeze(trial.sample as never), {
      inputShape,
      classes,
    });
  } catch (error) {
    if (!(error instanceof ArchError)) throw error;
    throw new UserError(
      'INVALID_ARCH',
      `trial ${trial.number} of "${config.name}" has no valid architecture to review: ${error.message}`,
      'review another trial (--trial N) or the best one (--best)',
    );
  }
}

export function checklist(context: ReviewContext, trial: Trial): Checklist {
  const { config, train, machine } = context;
  const arch = trialArch(context, trial);
  const engine = trial.outcome?.engine;
  const cost = costOf(arch, trainCostOptions(train, engine));
  const facts = graphFacts(arch);
  const plan = resolutionPlan(cost.layers);
  const into1x1 = plan.drops.find((d) => d.to[0] === 1 && d.to[1] === 1);
  const threads = planThreads(config.workers, machine.cores);
  const [height, width, channels] = context.inputShape as [number, number, number];
  const o = train.optimizer;
  return {
    input: { dataset: config.dataset.name, height, width, channels, classes: context.classes },
    base: nearestReference(designFeatures(arch), context.references),
    budget: {
      params: cost.params.trainable,
      paramsTotal: cost.params.total,
      macs: cost.macs,
      flops: cost.flops,
      latency: part7Latency(cost.flops),
      constraints: constraintChecks(context, arch),
    },
    filters: plan.stages,
    strides: {
      input: plan.input,
      drops: plan.drops,
      collapsed:
        facts.windowsOn1x1.length === 0
          ? null
          : { at: into1x1 === undefined ? 'input' : (into1x1.block ?? into1x1.at), windows: facts.windowsOn1x1 },
    },
    shortcuts: {
      additions: facts.additions,
      concatenations: facts.concatenations,
      depth: facts.depth,
      weightLayers: facts.weightLayers,
    },
    attention: facts.attention,
    regularization: {
      weightDecay: o.weightDecay,
      decoupled: o.kind === 'adamw' || (o.kind === 'sgd' && o.decoupled),
      decayOn: o.decayOn,
      dropout: facts.dropout,
      dropPath: facts.dropPath,
      labelSmoothing: train.labelSmoothing,
      augment: augmenting(config.dataset.augment) ? (config.dataset.augment ?? null) : null,
    },
    normalization: { batchNorm: facts.batchNorm, weightLayers: facts.weightLayers },
    initialization: { init: train.init },
    schedule: { optimizer: o, schedule: train.schedule, budget: train.budget, batchSize: train.batchSize },
    memory: {
      part7: part7Memory(arch, train.batchSize, cost.params.trainable),
      costModel: {
        ...cost.memory,
        optimizer: cost.training.optimizer,
        precision: cost.training.precision,
        segments: cost.checkpointing?.segments ?? null,
      },
      workers: config.workers,
      machineBytes: machine.memoryBytes,
    },
    parallelism: {
      workers: config.workers,
      cores: machine.cores,
      intraOpThreads: threads.intraOp,
      interOpThreads: threads.interOp,
      engine: { asked: train.engine, used: engine?.name ?? null, fallback: engine?.fallback ?? null },
    },
    precision: {
      asked: train.precision,
      used: train.precision === 'fp32' ? 'fp32' : (engine?.precision?.used ?? null),
      reason: engine?.precision?.reason ?? null,
      bf16Fast: machine.bf16.fast,
      why: machine.bf16.why,
    },
  };
}

/** Whether an augmentation config changes any image: padded crops, flips or cutout. */
function augmenting(a: AugmentConfig | undefined): boolean {
  return a !== undefined && ((a.pad ?? 0) > 0 || a.flip === true || (a.cutout ?? 0) > 0);
}

/** The experiment's constraints and the figures they bound, priced as the constrained space prices a sample (the config's setting, compiled engine). */
function constraintChecks(context: ReviewContext, arch: ResolvedArch): ConstraintCheck[] {
  const limits = context.config.constraints ?? {};
  const cost = costOf(arch, trainCostOptions(context.train));
  const figures = {
    maxParams: cost.params.trainable,
    maxMacs: cost.macs,
    maxTrainMemoryBytes: cost.memory.trainTotal,
  } as const;
  return (['maxParams', 'maxMacs', 'maxTrainMemoryBytes'] as const).flatMap((name) => {
    const limit = limits[name];
    return limit === undefined ? [] : [{ name, limit, value: figures[name] }];
  });
}
