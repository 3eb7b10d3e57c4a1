import { describe, expect, it } from 'vitest';
import type { ArchSpec } from '../../src/core/arch.js';
import { archKey, references } from '../../src/space/index.js';

const spec = (conv: Record<string, unknown>): ArchSpec =>
  ({ version: 1, nodes: [{ id: 'c', op: 'conv', inputs: ['input'], ...conv }], output: 'c' }) as unknown as ArchSpec;

describe('archKey', () => {
  it('ignores key order, defaults written out, and equal-pair spellings', () => {
    const a = archKey(spec({ filters: 8, kernel: 3 }));
    expect(archKey(spec({ kernel: [3, 3], filters: 8 }))).toBe(a);
    expect(
      archKey(spec({ filters: 8, kernel: 3, stride: 1, dilation: [1, 1], groups: 1, bias: true, padding: 0 })),
    ).toBe(a);
    expect(
      archKey(
        spec({
          filters: 8,
          kernel: 3,
          padding: [
            [0, 0],
            [0, 0],
          ],
        }),
      ),
    ).toBe(a);
  });

  it('keeps real differences', () => {
    const a = archKey(spec({ filters: 8, kernel: 3 }));
    expect(archKey(spec({ filters: 8, kernel: 3, padding: 1 }))).not.toBe(a);
    expect(archKey(spec({ filters: 8, kernel: [3, 1] }))).not.toBe(a);
    expect(archKey(spec({ filters: 8, kernel: 3, bias: false }))).not.toBe(a);
    expect(archKey(spec({ filters: 8, kernel: 3, padding: 1 }))).toBe(
      archKey(
        spec({
          filters: 8,
          kernel: 3,
          padding: [
            [1, 1],
            [1, 1],
          ],
        }),
      ),
    );
  });

  it('is stable for the reference networks and differs between them', () => {
    const r18 = references['resnet18']?.build();
    const r34 = references['resnet34']?.build();
    if (r18 === undefined || r34 === undefined) throw new Error('missing references');
    expect(archKey(r18)).toBe(archKey(JSON.parse(JSON.stringify(r18)) as ArchSpec));
    expect(archKey(r18)).not.toBe(archKey(r34));
  });
});
