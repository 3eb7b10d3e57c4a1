import { describe, expect, it } from 'vitest';
import { listOps, ops } from '../../../src/space/index.js';

describe('op catalog', () => {
  it('lists every op once with a summary', () => {
    const list = listOps();
    expect(list.map((o) => o.name)).toEqual(Object.keys(ops));
    for (const o of list) expect(o.summary.length).toBeGreaterThan(10);
    expect(
      list
        .filter((o) => o.kind === 'block')
        .map((o) => o.name)
        .sort(),
    ).toEqual(['basic', 'bottleneck', 'cbam', 'factorized_reduce', 'fpn', 'inverted_residual', 'se']);
  });

  it('every attribute default passes its own check', () => {
    for (const def of Object.values(ops)) {
      for (const [key, spec] of Object.entries(def.attrs)) {
        if (spec.default !== undefined) expect(spec.ok(spec.default), `${def.op}.${key}`).toBe(true);
      }
    }
  });
});
