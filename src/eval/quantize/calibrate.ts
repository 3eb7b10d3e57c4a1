/**
 * Calibration: the float inference graph runs on a sample of batches; its `activations` signature
 * gives every node's output, and one observer per activation the plan quantizes turns the stream of
 * values into a range.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { CompiledModel } from '../compile/compiled-model.js';
import type { InferenceGraph } from '../compile/quantized.js';
import type { Range, RangeObserver } from './observers/observer.js';

/**
 * The range of each of `points` (INPUT_ID or node ids) over `batches`, through `model` loaded from
 * `graph` (a float graph: what is measured is the float network's activations). `batches` yields
 * image tensors; calibrate disposes nothing of them.
 */
export function calibrate(
  model: CompiledModel,
  graph: InferenceGraph,
  points: readonly string[],
  batches: Iterable<Tensor4D>,
  observer: () => RangeObserver,
): Map<string, Range> {
  const tf = loadTf();
  const observers = new Map(points.map((p) => [p, observer()]));
  const keys = points.map((p) => {
    const key = graph.activationKeys.get(p);
    if (key === undefined) throw new Error(`the graph has no activation "${p}"`);
    return key;
  });
  let seen = 0;
  for (const x of batches) {
    const out = model.outputs('activations', { x });
    try {
      points.forEach((p, i) =>
        (observers.get(p) as RangeObserver).observe((out[keys[i] as string] as Tensor).dataSync() as Float32Array),
      );
    } finally {
      tf.dispose(Object.values(out));
    }
    seen++;
  }
  if (seen === 0) throw new Error('calibration needs at least one batch');
  return new Map([...observers].map(([p, o]) => [p, o.range()]));
}
