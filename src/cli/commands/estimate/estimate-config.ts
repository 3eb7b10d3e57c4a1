import fs from 'node:fs';
import path from 'node:path';
import type { Shape } from '../../../core/arch.js';
import { UserError } from '../../../core/errors.js';
import {
  costOf,
  type CostOptions,
  type CostReport,
  type OptimizerName,
  type Precision,
  type SegmentSpec,
} from '../../../space/cost/index.js';
import { reference, references } from '../../../space/reference/index.js';
import { createSpace } from '../../../space/spaces/index.js';
import { assertArch } from '../../../space/validate.js';
import { buildModel } from '../../../eval/build/build-model.js';
import { measureLatencyMs, measurePeakFlops } from '../../../eval/latency.js';
import { compileFromModel } from '../../../eval/compile/index.js';
import { compiledLatency } from '../../../eval/train-model.js';

export type EstimateRequest = {
  /** A path to an ArchSpec JSON file, or the name of a reference network; with `space`, a sample in the space's text form. */
  readonly target: string;
  /** A registered search space: `target` is then one of its samples (NB201's benchmark string, JSON elsewhere). */
  readonly space?: string;
  /** Options of that space (defaults filled in). */
  readonly spaceOptions?: Readonly<Record<string, unknown>>;
  readonly inputShape?: Shape;
  readonly classes?: number;
  readonly batch: number;
  /** The cost model's defaults otherwise: 'momentum' (the default training optimizer), 'fp32', no checkpointing. */
  readonly optimizer?: OptimizerName;
  readonly precision?: Precision;
  readonly segments?: SegmentSpec;
  readonly peakFlops?: number;
  readonly efficiency?: number;
  /** Build the model and time it (batch 1 and batch B); the estimate then uses the measured peak. */
  readonly measure: boolean;
};

export type EstimateResult = {
  readonly report: CostReport;
  readonly measured?: MeasuredLatency;
};

function readSpec(
  target: string,
  inputShape: Shape | undefined,
  classes: number | undefined,
): { spec: unknown; inputShape?: Shape; classes?: number } {
  const ref = reference(target);
  if (ref !== undefined && !fs.existsSync(target)) {
    const spec = ref.build({ ...(inputShape ? { inputShape } : {}), ...(classes ? { classes } : {}) });
    return { spec, inputShape: inputShape ?? spec.input?.shape ?? [224, 224, 3], classes: classes ?? 1000 };
  }
  if (!fs.existsSync(target)) {
    throw new UserError(
      'ARCH_NOT_FOUND',
      `${target} is neither a file nor a reference network`,
      `give an ArchSpec JSON file or one of: ${Object.keys(references).join(', ')}`,
    );
  }
  let spec: unknown;
  try {
    spec = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (cause) {
    throw new UserError(
      'ARCH_JSON',
      `${path.resolve(target)} is not valid JSON: ${(cause as Error).message}`,
      'fix the file; docs/architecture-json.md describes the format',
      { cause },
    );
  }
  return { spec, ...(inputShape ? { inputShape } : {}), classes: classes ?? 10 };
}

/** A sample of a registered space, frozen; shapes default to CIFAR's 32×32×3 and 10 classes. */
function readSample(request: EstimateRequest & { space: string }): {
  spec: unknown;
  inputShape: Shape;
  classes: number;
} {
  const space = createSpace(request.space, request.spaceOptions ?? {});
  const sample = space.parse(request.target);
  const issues = space.validate(sample);
  if (issues.length > 0) {
    const lines = issues.map((i) => `\n  • ${i.path}: ${i.message}`).join('');
    throw new UserError(
      'SAMPLE',
      `not a sample of space "${request.space}" (${issues.length} problem${issues.length === 1 ? '' : 's'}):${lines}`,
      'docs/spaces.md shows the text form of each space',
    );
  }
  return { spec: space.freeze(sample), inputShape: request.inputShape ?? [32, 32, 3], classes: request.classes ?? 10 };
}

/** Latency measured on the built model (eager tfjs) and on its compiled graph, and the machine's peak. */
export type MeasuredLatency = {
  readonly batch1Ms: number;
  readonly batchMs: number;
  readonly compiledBatch1Ms: number;
  readonly compiledBatchMs: number;
  readonly batch: number;
  readonly peakFlops: number;
};

/** The cost model's figures for an architecture (and, with `measure`, its measured latency). */
export async function estimate(request: EstimateRequest): Promise<EstimateResult> {
  const { space } = request;
  const { spec, inputShape, classes } =
    space === undefined
      ? readSpec(request.target, request.inputShape, request.classes)
      : readSample({ ...request, space });
  const arch = assertArch(spec, { ...(inputShape ? { inputShape } : {}), ...(classes ? { classes } : {}) });
  const options: CostOptions = {
    batch: request.batch,
    ...(request.optimizer === undefined ? {} : { optimizer: request.optimizer }),
    ...(request.precision === undefined ? {} : { precision: request.precision }),
    ...(request.segments === undefined ? {} : { segments: request.segments }),
    ...(request.peakFlops ? { peakFlops: request.peakFlops } : {}),
    ...(request.efficiency ? { efficiency: request.efficiency } : {}),
  };
  if (!request.measure) return { report: costOf(arch, options) };
  const peakFlops = request.peakFlops ?? measurePeakFlops();
  const model = buildModel(arch, { seed: 0 });
  const compiled = await compileFromModel(arch, model);
  try {
    const atBatch = { batch: request.batch, warmup: 1, repeats: 5 };
    const measured = {
      batch1Ms: measureLatencyMs(model, 1),
      batchMs: measureLatencyMs(model, request.batch, atBatch),
      compiledBatch1Ms: compiledLatency(compiled, arch, { batch: 1 }),
      compiledBatchMs: compiledLatency(compiled, arch, atBatch),
      batch: request.batch,
      peakFlops,
    };
    const report = costOf(arch, { ...options, peakFlops });
    return { report, measured };
  } finally {
    compiled.dispose();
    model.dispose();
  }
}
