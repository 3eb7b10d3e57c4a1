import type { Shape } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { costOf } from '../../../src/space/cost/index.js';
import type { SearchSpace } from '../../../src/space/search-space.js';
import { assertArch } from '../../../src/space/validate.js';

/** What one training step of a frozen sample showed. */
export interface StepResult {
  readonly loss: number;
  /** tfjs `countParams()` of the built model, and the cost model's total for the same arch. */
  readonly countParams: number;
  readonly costTotal: number;
  /** Trainable scalars of the built model, and the cost model's trainable count (PyTorch convention). */
  readonly modelTrainable: number;
  readonly costTrainable: number;
  /** Largest absolute change of any trainable weight in the step. */
  readonly maxWeightChange: number;
  /** Live tensors after the step minus before (a leak when > 0). */
  readonly leakedTensors: number;
}

/**
 * Slow-tier half of the space kit: freezes `sample`, builds it on the native backend, and trains one
 * SGD step (softmax cross-entropy on the logits) on seeded random data (batch 4), disposing everything it made.
 */
export async function trainOneStep(
  space: SearchSpace,
  sample: Parameters<SearchSpace['freeze']>[0],
  inputShape: Shape = [32, 32, 3],
  classes = 10,
): Promise<StepResult> {
  const tf = loadTf();
  const arch = assertArch(space.freeze(sample), { inputShape, classes });
  const cost = costOf(arch, { batch: 4 });
  const before = tf.memory().numTensors;
  const model = buildModel(arch, { seed: 1 });
  const rng = new Rng('train-step');
  const xs = tf.tensor(
    Float32Array.from({ length: 4 * inputShape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    [4, ...inputShape],
  );
  const ys = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        [0, 1, 2, 3].map((i) => i % classes),
        'int32',
      ),
      classes,
    ),
  );
  let step: Omit<StepResult, 'leakedTensors'>;
  try {
    model.compile({
      optimizer: tf.train.sgd(0.1),
      loss: (yTrue, logits) => tf.losses.softmaxCrossEntropy(yTrue, logits),
    });
    const weightsBefore = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
    const loss = (await model.trainOnBatch(xs, ys)) as number;
    const maxWeightChange = model.trainableWeights.reduce((m, w, i) => {
      const was = weightsBefore[i] as Float32Array;
      return Float32Array.from(w.read().dataSync()).reduce(
        (mm, v, j) => Math.max(mm, Math.abs(v - (was[j] as number))),
        m,
      );
    }, 0);
    step = {
      loss,
      countParams: model.countParams(),
      costTotal: cost.params.total,
      modelTrainable: model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0),
      costTrainable: cost.params.trainable,
      maxWeightChange,
    };
  } finally {
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([xs, ys]);
  }
  return { ...step, leakedTensors: tf.memory().numTensors - before };
}
