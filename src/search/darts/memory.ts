import type { Shape } from '../../core/arch.js';
import { UserError } from '../../core/errors.js';
import { costOf, optimizerName, type SegmentSpec } from '../../space/cost/index.js';
import type { ResolvedArch } from '../../space/resolve.js';
import type { SearchSpace } from '../../space/search-space.js';
import { supernetSize, type DartsOptions } from './options.js';
import { supernetArch } from './supernet.js';

type DataShape = { readonly inputShape: Shape; readonly classes: number };
type Size = { readonly batchSize: number; readonly channels: number; readonly layers: number };

const MiB = 2 ** 20;
const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** How a supernet trains: the architecture step's order, the engine (src/search/darts/engine.ts) and w's optimizer. */
export type SupernetTraining = {
  readonly order: DartsOptions['order'];
  readonly engine: 'compiled' | 'eager';
  /** w's SGD momentum (`strategy.options.momentum`): one buffer per weight when above 0. */
  readonly momentum: number;
  /** Gradient checkpointing's segments (the compiled supernet's `checkpointSegments`). */
  readonly segments?: SegmentSpec;
};

/**
 * What the backend holds beyond the cost model's stored activations while a supernet trains, as a
 * multiple of them. Peak resident memory over two steps, minus the process before them, divided by
 * the stored activations, measured by `bench/darts.ts` at several sizes:
 * - eager: tfjs's tape keeps every op's intermediates (explicit padding, the mixed op's weighted
 *   copies, BatchNorm's saved statistics): 4.3–4.6 first order, 5.2 second order (which also keeps
 *   the unrolled weights' tape);
 * - compiled: TensorFlow's executor frees each intermediate after its last use: 0.83–1.07 first
 *   order, 1.85 second order (its four forward and backward passes are one graph).
 */
export const TAPE_FACTOR = { eager: { first: 4.6, second: 5.2 }, compiled: { first: 1.1, second: 1.9 } } as const;

/**
 * Training memory of a supernet: weights, gradients and w's SGD state (a momentum buffer, or none
 * without momentum) by the cost model, and its stored activations of one batch times
 * {@link TAPE_FACTOR} (the architecture and weight steps run one after the other, so one batch's tape
 * is alive at a time). The second order keeps three more copies of w: the saved weights, ∇w′ L_val
 * and ∇w L_train. α and its Adam moments are not counted (α is not in the cost model's parameters).
 */
export function supernetMemoryBytes(arch: ResolvedArch, batchSize: number, how: SupernetTraining): number {
  const optimizer = optimizerName({ kind: 'sgd', momentum: how.momentum });
  const m = costOf(arch, {
    batch: batchSize,
    optimizer,
    ...(how.segments === undefined ? {} : { segments: how.segments }),
  }).memory;
  const extra = how.order === 'second' ? 3 * m.gradients : 0;
  return m.weights + m.gradients + m.optimizerState + extra + TAPE_FACTOR[how.engine][how.order] * m.trainActivations;
}

/** The memory of one setting, or undefined when the space cannot build it (too few cells, odd sizes). */
function memoryAt(space: SearchSpace, data: DataShape, size: Size, how: SupernetTraining): number | undefined {
  try {
    const arch = supernetArch(space, supernetSize(size), data);
    return supernetMemoryBytes(arch, size.batchSize, how);
  } catch {
    return undefined;
  }
}

/**
 * The supernet of the options, checked against the memory limit (bytes). Above it, a {@link UserError}
 * names the estimate, the limit and, for batch size, channels and cells separately, the largest
 * smaller setting that fits.
 */
export function checkedSupernet(
  space: SearchSpace,
  o: DartsOptions,
  engine: SupernetTraining['engine'],
  data: DataShape,
  limitBytes: number,
  spaceSize: { channels: number; layers: number },
): { arch: ResolvedArch; bytes: number } {
  const arch = supernetArch(space, supernetSize(o), data);
  const how = {
    order: o.order,
    engine,
    momentum: o.momentum,
    ...(engine === 'compiled' && o.checkpointSegments > 0 ? { segments: o.checkpointSegments } : {}),
  };
  const bytes = supernetMemoryBytes(arch, o.batchSize, how);
  if (bytes <= limitBytes) return { arch, bytes };
  const current: Size = {
    batchSize: o.batchSize,
    channels: o.channels || spaceSize.channels,
    layers: o.layers || spaceSize.layers,
  };
  const fits: string[] = [];
  const largest = (key: keyof Size, candidates: number[]): void => {
    for (const value of candidates) {
      const need = memoryAt(space, data, { ...current, [key]: value }, how);
      if (need !== undefined && need <= limitBytes) {
        fits.push(`${key} ${value} (${gib(need)})`);
        return;
      }
    }
  };
  const below = (n: number): number[] => Array.from({ length: n - 1 }, (_, i) => n - 1 - i);
  // Memory is affine in the batch size: the largest batch that fits follows from two points.
  const fixed = supernetMemoryBytes(arch, 0, how);
  const batch = Math.min(
    o.batchSize - 1,
    Math.floor((limitBytes - fixed) / (supernetMemoryBytes(arch, 1, how) - fixed)),
  );
  if (batch >= 1) fits.push(`batchSize ${batch} (${gib(supernetMemoryBytes(arch, batch, how))})`);
  largest('channels', below(current.channels));
  largest('layers', below(current.layers));
  const setting = `batchSize ${current.batchSize}, channels ${current.channels}, layers ${current.layers}, ${o.order} order, ${engine} engine`;
  throw new UserError(
    'SUPERNET_MEMORY',
    `the ${space.id} supernet needs about ${gib(bytes)} to train (cost model at ${setting}), above the limit of ${gib(limitBytes)} (strategy.options.maxMemoryMiB = ${Math.round(limitBytes / MiB)})`,
    fits.length > 0
      ? `settings that fit, each changed alone: ${fits.join('; ')}; or raise maxMemoryMiB`
      : 'no smaller batch, channel or cell count fits alone; combine them or raise maxMemoryMiB',
  );
}
