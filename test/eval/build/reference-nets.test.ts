import type { Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { assertArch, references } from '../../../src/space/index.js';
import { costTotal, costTrainable, modelTrainable } from './helpers.js';

const tf = loadTf();

describe('reference networks at 224×224×3, 1000 classes, built', () => {
  it.each([
    // name, published (torchvision) trainable count, total with BN moving statistics
    ['resnet18', 11_689_512, 11_699_112],
    ['resnet50', 25_557_032, 25_610_152],
    ['mobilenetv2', 3_504_872, 3_538_984],
    // A public implementation's count; CBAM in every bottleneck (nested blocks, the shared MLP built once): ResNet-50's BN statistics + 16 one-channel spatial BNs.
    ['cbam_resnet50', 28_089_624, 28_089_624 + 53_120 + 16 * 2],
  ])('%s: countParams() is the cost model total and one forward pass gives [1, 1000]', (name, published, total) => {
    const ref = references[name];
    if (ref === undefined) throw new Error(`no reference network ${name}`);
    const arch = assertArch(ref.build({ inputShape: [224, 224, 3], classes: 1000 }));
    expect(costTrainable(arch)).toBe(published);
    expect(costTotal(arch)).toBe(total);

    const before = tf.memory().numTensors;
    const model = buildModel(arch, { seed: name });
    try {
      expect(model.countParams()).toBe(costTotal(arch));
      expect(modelTrainable(model)).toBe(published);
      const out = tf.tidy(() => {
        const y = model.predict(tf.randomNormal([1, 224, 224, 3], 0, 1, 'float32', 7)) as Tensor;
        return { shape: y.shape, finite: (y.dataSync() as Float32Array).every(Number.isFinite) };
      });
      expect(out).toEqual({ shape: [1, 1000], finite: true });
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
