// The example of docs/spaces.md ("Example: groups and settings"): its options make a space, its
// sample parses, formats back to the same text and freezes to a valid network that uses them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertArch } from '../../../../src/space/index.js';
import { macroPresets } from '../../../../src/space/spaces/macro/index.js';
import { macro } from './helpers.js';

const doc = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/spaces.md'),
  'utf8',
);
const section = doc.slice(doc.indexOf('**Example: groups and settings**'));
const [options, sample] = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].slice(0, 2).map((m) => m[1] as string);

describe('docs/spaces.md: the macro example of groups and settings', () => {
  it('its options make a space and its sample parses, formats back and freezes', () => {
    const space = macro({ ...macroPresets.cifar, ...(JSON.parse(options as string) as Record<string, unknown>) });
    const parsed = space.parse(sample as string);
    expect(space.format(parsed)).toBe(sample);
    const arch = assertArch(space.freeze(parsed), { inputShape: [32, 32, 3], classes: 10 });
    expect(arch.spec.batchNorm).toEqual({ momentum: 0.99 });
    expect(arch.nodes.filter((n) => n.node.op === 'conv' && n.node.groups === 4).map((n) => n.id)).toEqual([
      'layer2.0/conv2',
      'layer2.1/conv2',
    ]);
    expect(arch.nodes.filter((n) => n.node.op === 'drop_path').length).toBe(5);
    expect(arch.nodes.find((n) => n.node.op === 'dropout')?.node).toMatchObject({ rate: 0.2 });
  });
});
