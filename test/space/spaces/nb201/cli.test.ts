import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../..');
const nas = (...args: string[]): string =>
  execFileSync(process.execPath, [path.join(root, 'bin/nas.js'), ...args], { cwd: root, encoding: 'utf8' });

describe('nas estimate --space nb201 (the real command)', () => {
  it('prices the benchmark string: 802,426 trainable params for the issue example, the JSON shape of docs/cli.md', () => {
    const out = JSON.parse(
      nas(
        'estimate',
        '--space',
        'nb201',
        '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
        '--json',
      ),
    ) as Record<string, unknown>;
    // three 3×3 conv edges per cell: 73,306 + 5·3·Σ_C (9C² + 2C) over C = 16, 32, 64
    expect(out['params']).toMatchObject({ trainable: 802_426 });
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['params', 'macs', 'flops', 'memory', 'latency', 'layers']),
    );
    expect(out['flops']).toBe(2 * (out['macs'] as number));
  });

  it('takes --classes and --space-options', () => {
    const out = JSON.parse(
      nas(
        'estimate',
        '--space',
        'nb201',
        '|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|',
        '--classes',
        '100',
        '--space-options',
        '{"cells":1}',
        '--json',
      ),
    ) as { params: { trainable: number } };
    // dense 64·100 + 100 instead of 64·10 + 10; one cell per stage with one 1×1 conv edge (C² + 2C)
    expect(out.params.trainable).toBe(73_306 + 65 * 90 + (16 * 18 + 32 * 34 + 64 * 66));
  });

  it('--measure times the eager model and its compiled graph, at batch 1 and --batch', () => {
    const out = JSON.parse(
      nas(
        'estimate',
        '--space',
        'nb201',
        '|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|',
        '--space-options',
        '{"cells":1}',
        '--measure',
        '--batch',
        '4',
        '--json',
      ),
    ) as { latency: Record<string, number> };
    for (const key of ['measured_ms', 'measured_batch_ms', 'compiled_ms', 'compiled_batch_ms', 'measured_peak_flops']) {
      expect(out.latency[key], key).toBeGreaterThan(0);
    }
  });

  it('fails with the problem and a hint on a bad string', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin/nas.js'), 'estimate', '--space', 'nb201', '|none~0|+|none~0|'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('is not a NAS-Bench-201 cell: expected 3 nodes separated by "+", got 2');
  });
});
