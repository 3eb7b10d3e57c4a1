import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import { loadTf, planThreads } from '../../src/backend/tf.js';

describe('the native TensorFlow backend', () => {
  it("is the 'tensorflow' backend in the main thread", () => {
    const tf = loadTf();
    expect(tf.getBackend()).toBe('tensorflow');
    expect(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).arraySync())).toEqual([[11]]);
  });

  it("is the 'tensorflow' backend inside a worker thread", async () => {
    const pool = new Piscina({
      filename: new URL('./fixtures/backend-probe.mjs', import.meta.url).href,
      maxThreads: 1,
    });
    try {
      const result = await pool.run(null);
      expect(result).toMatchObject({ backend: 'tensorflow', conv: 9 });
    } finally {
      await pool.destroy();
    }
  });

  it('returns the same module on every call', () => {
    expect(loadTf()).toBe(loadTf());
  });
});

describe('planThreads', () => {
  it('splits the cores between workers without oversubscribing', () => {
    expect(planThreads(1, 2)).toEqual({ intraOp: 2, interOp: 2 });
    expect(planThreads(2, 2)).toEqual({ intraOp: 1, interOp: 2 });
    expect(planThreads(3, 8)).toEqual({ intraOp: 2, interOp: 8 });
    expect(planThreads(4, 2)).toEqual({ intraOp: 1, interOp: 2 });
  });

  it('rejects a worker count that is not a positive integer', () => {
    expect(() => planThreads(0, 2)).toThrow('workers must be a positive integer, got 0');
    expect(() => planThreads(1.5, 2)).toThrow('got 1.5');
  });
});

describe('setThreadPlan', () => {
  it('refuses to run once TensorFlow is loaded, since the thread pools already exist', async () => {
    const { setThreadPlan } = await import('../../src/backend/tf.js');
    loadTf();
    expect(() => setThreadPlan({ intraOp: 1, interOp: 1 })).toThrow('must be called before loadTf()');
  });
});
