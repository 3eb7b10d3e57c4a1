import type { Dataset } from '../core/data.js';
import { Rng } from '../core/rng.js';
import { loadTf } from '../backend/tf.js';
import { buildBaselineCnn } from './baseline-cnn.js';
import { toTensors } from './tensors.js';

/** What one baseline training run measured. */
export type BaselineResult = {
  readonly dataset: string;
  readonly trainImages: number;
  readonly testImages: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly params: number;
  readonly trainSeconds: number;
  readonly imagesPerSecond: number;
  readonly finalTrainLoss: number;
  readonly testAccuracy: number;
  readonly backend: string;
};

export type BaselineOptions = {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: string | number;
  readonly trainLimit?: number;
  /** Called after each epoch with its index (from 0) and mean training loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
};

/** Trains the baseline CNN on the data set's training part and measures its test accuracy. */
export async function fitBaseline(data: Dataset, options: BaselineOptions): Promise<BaselineResult> {
  const tf = loadTf();
  const rng = new Rng(options.seed);
  const count = Math.min(options.trainLimit ?? data.train.count, data.train.count);
  const order = rng.derive('data-order').permutation(data.train.count).subarray(0, count);
  const model = buildBaselineCnn(data.train.shape, data.numClasses, rng.derive('init').int32());
  const train = toTensors(data.train, data.numClasses, order);
  const test = toTensors(data.test, data.numClasses);
  try {
    let finalTrainLoss = Number.NaN;
    const started = performance.now();
    await model.fit(train.x, train.y, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: (epoch, logs) => {
          finalTrainLoss = logs?.loss ?? Number.NaN;
          options.onEpoch?.(epoch, finalTrainLoss);
        },
      },
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const testAccuracy = tf.tidy(() => {
      const predicted = (model.predict(test.x, { batchSize: 1000 }) as typeof test.y).argMax(-1);
      return predicted.equal(test.y.argMax(-1)).mean().dataSync()[0] as number;
    });
    return {
      dataset: data.name,
      trainImages: count,
      testImages: data.test.count,
      epochs: options.epochs,
      batchSize: options.batchSize,
      params: model.countParams(),
      trainSeconds,
      imagesPerSecond: (count * options.epochs) / trainSeconds,
      finalTrainLoss,
      testAccuracy,
      backend: tf.getBackend(),
    };
  } finally {
    tf.dispose([train.x, train.y, test.x, test.y]);
    model.optimizer.dispose();
    model.dispose();
  }
}
