import type { OneShotEpoch, OneShotStart, RunEvent } from '../../../src/core/events.js';
import type { SearchSpace } from '../../../src/space/search-space.js';
import { createSpace } from '../../../src/space/spaces/index.js';

/** The DARTS space with its defaults: two cells of 14 edges, 8 ops each (none included). */
export const DARTS = createSpace('darts');

/** NAS-Bench-201: one cell of 6 edges, 5 ops each. */
export const NB201 = createSpace('nb201');

/** The oneshot-started payload of `space` (its real relaxation), 10 epochs from `startEpoch`. */
export function oneShotStart(space: SearchSpace, startEpoch = 1, epochs = 10): OneShotStart {
  const relaxation = space.relaxation?.();
  if (relaxation === undefined) throw new Error('the space has no relaxation');
  return {
    strategy: 'darts',
    order: 'second',
    epochs,
    startEpoch,
    cells: relaxation.cells,
    estimatedMemoryBytes: 3 * 2 ** 30,
  };
}

/** softmax of a row of logits. */
export function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * Weights after `epoch`: on every edge `sep_conv_3x3` (or `nor_conv_3x3`) grows by 0.2 per epoch and
 * `none` by 0.15, except on the first edge of each cell, where `none` grows fastest (strongest, yet
 * never kept by DARTS), and on the second, where `skip_connect` does (a collapse toward skip).
 */
export function weightsAt(start: OneShotStart, epoch: number): OneShotEpoch['weights'] {
  return Object.fromEntries(
    start.cells.map((cell) => [
      cell.name,
      cell.edges.map((edge, i) => {
        const favourite =
          i === 0
            ? 'none'
            : i === 1
              ? 'skip_connect'
              : edge.ops.includes('sep_conv_3x3')
                ? 'sep_conv_3x3'
                : 'nor_conv_3x3';
        const rate = i === 0 ? 0.4 : i === 1 ? 0.3 : 0.2;
        return softmax(
          edge.ops.map((op, j) => (op === favourite ? rate * epoch : op === 'none' ? 0.15 * epoch : j * 0.01)),
        );
      }),
    ]),
  );
}

/** The oneshot-epoch payload of `space` after `epoch`, the derived sample from the space's own `derive`. */
export function oneShotEpoch(space: SearchSpace, start: OneShotStart, epoch: number): OneShotEpoch {
  const weights = weightsAt(start, epoch);
  const derived = space.derive?.(weights);
  if (derived === undefined) throw new Error('the space cannot derive');
  return {
    epoch,
    epochs: start.epochs,
    trainLoss: 2 - epoch / 10,
    trainAccuracy: 0.3 + epoch / 50,
    alphaLoss: 2.1 - epoch / 10,
    validationLoss: 2.2 - epoch / 10,
    validationAccuracy: 0.25 + epoch / 50,
    learningRate: 0.025,
    seconds: 30 + epoch,
    weights,
    derived,
    derivedText: space.format(derived),
    peakMemoryBytes: 2 ** 31,
  };
}

/** The three kinds of one-shot events. */
export const started = (start: OneShotStart, t = 1000): RunEvent => ({ type: 'oneshot-started', t, start });
export const progress = (epoch: number, fraction: number, loss: number, t = 2000): RunEvent => ({
  type: 'oneshot-progress',
  t,
  epoch,
  fraction,
  loss,
});
export const epochDone = (epoch: OneShotEpoch, t = 3000): RunEvent => ({ type: 'oneshot-epoch', t, epoch });
