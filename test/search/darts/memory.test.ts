import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { checkOptions } from '../../../src/core/options.js';
import { dartsOptions, supernetArch, type DartsOptions } from '../../../src/search/darts/index.js';
import { TAPE_FACTOR, checkedSupernet, supernetMemoryBytes } from '../../../src/search/darts/memory.js';
import { costOf } from '../../../src/space/cost/index.js';
import { createSpace } from '../../../src/space/spaces/index.js';

const CIFAR = { inputShape: [32, 32, 3], classes: 10 } as const;
const space = createSpace('nb201', { cells: 2, channels: 16 });
const options = (given: Record<string, unknown>): DartsOptions =>
  checkOptions(dartsOptions, given).values as DartsOptions;
const FIRST = { order: 'first', engine: 'compiled', momentum: 0.9 } as const;

describe('the supernet memory check', () => {
  it('prices weights, gradients, momentum and the tape of one batch; the second order keeps three more copies of w', () => {
    const arch = supernetArch(space, {}, CIFAR);
    const m = costOf(arch, { batch: 64, optimizer: 'momentum' }).memory;
    for (const engine of ['compiled', 'eager'] as const) {
      expect(supernetMemoryBytes(arch, 64, { order: 'first', engine, momentum: 0.9 })).toBe(
        m.weights + 2 * m.gradients + TAPE_FACTOR[engine].first * m.trainActivations,
      );
      expect(supernetMemoryBytes(arch, 64, { order: 'second', engine, momentum: 0.9 })).toBe(
        m.weights + 5 * m.gradients + TAPE_FACTOR[engine].second * m.trainActivations,
      );
    }
  });

  it("w's optimizer is the search's: no momentum, no buffer", () => {
    const arch = supernetArch(space, {}, CIFAR);
    const m = costOf(arch, { batch: 64, optimizer: 'sgd' }).memory;
    expect(m.optimizerState).toBe(0);
    expect(supernetMemoryBytes(arch, 64, { ...FIRST, momentum: 0 })).toBe(
      m.weights + m.gradients + TAPE_FACTOR.compiled.first * m.trainActivations,
    );
    expect(supernetMemoryBytes(arch, 64, { ...FIRST, momentum: 0 })).toBe(
      supernetMemoryBytes(arch, 64, FIRST) - m.gradients,
    );
  });

  it('with checkpointing segments, the tape factor multiplies the checkpointed activations', () => {
    const arch = supernetArch(space, {}, CIFAR);
    const m = costOf(arch, { batch: 64, segments: 'sqrt' }).memory;
    expect(m.trainActivations).toBeLessThan(costOf(arch, { batch: 64 }).memory.trainActivations);
    expect(supernetMemoryBytes(arch, 64, { ...FIRST, segments: 'sqrt' })).toBe(
      m.weights + 2 * m.gradients + TAPE_FACTOR.compiled.first * m.trainActivations,
    );
  });

  it("the check prices the options' momentum", () => {
    const { bytes } = checkedSupernet(space, options({ momentum: 0 }), 'compiled', CIFAR, 64 * 2 ** 30, {
      channels: 16,
      layers: 2,
    });
    expect(bytes).toBe(supernetMemoryBytes(supernetArch(space, {}, CIFAR), 64, { ...FIRST, momentum: 0 }));
  });

  it('passes a supernet under the limit', () => {
    const o = options({});
    const { bytes } = checkedSupernet(space, o, 'compiled', CIFAR, 64 * 2 ** 30, { channels: 16, layers: 2 });
    expect(bytes).toBe(supernetMemoryBytes(supernetArch(space, {}, CIFAR), 64, FIRST));
  });

  it('refuses one above it, naming the estimate, the limit and, one at a time, the largest smaller settings that fit', () => {
    const o = options({ batchSize: 64 });
    const need = supernetMemoryBytes(supernetArch(space, {}, CIFAR), 64, FIRST);
    const limit = Math.floor(need / 3);
    let error: unknown;
    try {
      checkedSupernet(space, o, 'compiled', CIFAR, limit, { channels: 16, layers: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const { message, hint } = error as UserError;
    expect(message).toContain(
      `needs about ${(need / 2 ** 30).toFixed(2)} GiB to train (cost model at batchSize 64, channels 16, layers 2, first order, compiled engine)`,
    );
    expect(message).toContain(`above the limit of ${(limit / 2 ** 30).toFixed(2)} GiB`);
    const batch = Number(/batchSize (\d+)/.exec(hint ?? '')?.[1]);
    const channels = Number(/channels (\d+)/.exec(hint ?? '')?.[1]);
    const at = (size: { channels?: number; layers?: number }, b: number) =>
      supernetMemoryBytes(supernetArch(space, size, CIFAR), b, FIRST);
    expect(at({}, batch)).toBeLessThanOrEqual(limit);
    expect(at({}, batch + 1)).toBeGreaterThan(limit);
    expect(at({ channels }, 64)).toBeLessThanOrEqual(limit);
    expect(at({ channels: channels + 1 }, 64)).toBeGreaterThan(limit);
    expect(hint).toContain('or raise maxMemoryMiB');
  });
});
