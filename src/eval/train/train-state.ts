/**
 * A run's training state at the end of an epoch: every variable the steps read and write (weights,
 * BatchNorm statistics, optimizer slots, quantization-aware ranges), the step count and the epochs'
 * metrics so far. A run given this state continues exactly where the first one stopped: the data
 * order, augmentation and dropout of an epoch come from streams derived from the epoch's number
 * (loop.ts), and the schedule is a function of the step. Stored as a checkpoint file (one per trial
 * at a rung of successive halving with continuation: docs/strategies.md).
 */
import type { EpochMetrics } from '../../core/trial.js';
import { readCheckpoint, writeCheckpoint, type NamedArray } from '../checkpoint-file.js';

export type TrainState = {
  /** The run's seed (data order, augmentation, dropout): a continuation trains on with it. */
  readonly seed: string;
  /** Epochs trained (the next run starts at epoch + 1). */
  readonly epoch: number;
  /** Steps taken (the schedule's position). */
  readonly step: number;
  /** The metrics of epochs 1 … epoch. */
  readonly epochs: readonly EpochMetrics[];
  /** The engine's variables by name: `<layer>/<weight>`, `<layer>/<weight>/<slot>`, `optimizer/step`. */
  readonly arrays: readonly NamedArray[];
};

const KIND = 'train-state/1';

type Meta = {
  kind: string;
  seed: string;
  epoch: number;
  step: number;
  epochs: Record<keyof EpochMetrics, number | null>[];
};

/** Writes `state` to `file` atomically (a temporary name, then a rename). */
export async function writeTrainState(file: string, state: TrainState): Promise<void> {
  // JSON has no NaN: a missing validation figure is stored as null and read back as NaN.
  const meta: Meta = {
    kind: KIND,
    seed: state.seed,
    epoch: state.epoch,
    step: state.step,
    epochs: state.epochs.map(finiteOrNull),
  };
  await writeCheckpoint(file, meta, state.arrays);
}

/** Reads a state written by {@link writeTrainState}; another checkpoint kind is an error naming the file. */
export async function readTrainState(file: string): Promise<TrainState> {
  const { meta, arrays } = await readCheckpoint(file);
  const m = meta as Meta; // checked by its kind just below
  if (m?.kind !== KIND) throw new Error(`${file} is not a training state (kind ${String(m?.kind)}, expected ${KIND})`);
  return { seed: m.seed, epoch: m.epoch, step: m.step, epochs: m.epochs.map(nanForNull), arrays: [...arrays.values()] };
}

/** The array of a variable from a training state, checked against the variable's shape. */
export function arrayNamed(
  arrays: ReadonlyMap<string, NamedArray>,
  name: string,
  shape: readonly number[],
): NamedArray {
  const array = arrays.get(name);
  if (array === undefined) throw new Error(`the training state has no variable ${name}`);
  if (array.shape.join('x') !== shape.join('x'))
    throw new Error(`the training state's ${name} has shape [${array.shape}], the network's is [${shape}]`);
  return array;
}

function finiteOrNull(e: EpochMetrics): Record<keyof EpochMetrics, number | null> {
  const out = {} as Record<keyof EpochMetrics, number | null>;
  for (const [key, value] of Object.entries(e)) out[key as keyof EpochMetrics] = Number.isFinite(value) ? value : null;
  return out;
}

function nanForNull(e: Record<keyof EpochMetrics, number | null>): EpochMetrics {
  const out = {} as Record<keyof EpochMetrics, number>;
  for (const [key, value] of Object.entries(e)) out[key as keyof EpochMetrics] = value ?? Number.NaN;
  return out;
}
