import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers.js';

// input 4×4×1 → conv 3×3 pad 1, 2 filters → ReLU → flatten → dense 3: 119 trainable params, 384 MACs,
// 83 stored activation elements per sample (80 with 2 segments), peak inference 64 (test/space/cost/training-memory.test.ts)
const TINY = {
  version: 1,
  input: { shape: [4, 4, 1] },
  nodes: [
    { id: 'c', op: 'conv', inputs: ['input'], filters: 2, kernel: 3, padding: 1 },
    { id: 'r', op: 'act', inputs: ['c'], fn: 'relu' },
    { id: 'f', op: 'flatten', inputs: ['r'] },
    { id: 'fc', op: 'dense', inputs: ['f'], units: 3 },
  ],
  output: 'fc',
};

/** The tiny ArchSpec above, written to a fresh temp folder; its path. */
export function tinyFile(): string {
  const file = path.join(tempDir('nas-estimate-'), 'tiny.json');
  fs.writeFileSync(file, JSON.stringify(TINY));
  return file;
}
