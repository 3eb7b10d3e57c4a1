import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import { macroPresets } from '../../src/space/spaces/macro/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { configToStore, storedConfig } from '../../src/run/stored-config.js';
import type { ExperimentConfig } from '../../src/run/config.js';

/** A stored config as the run layer keeps it; only the space matters here. */
const stored = (space: { name: string; options: Record<string, Json> }): { config: Json } => ({ config: { name: 'old', seed: 1, space } as unknown as Json });

/** SE after every block of stage 1, as a version before `attentionPlacement` stored it. */
const OLD_SAMPLE = JSON.parse(
  '{"stages":[{"block":"basic","kernel":3,"expansion":1,"width":16,"depth":2,"stride":1,"attention":"se"},' +
    '{"block":"basic","kernel":3,"expansion":1,"width":32,"depth":1,"stride":2,"attention":"none"},' +
    '{"block":"basic","kernel":3,"expansion":1,"width":64,"depth":1,"stride":2,"attention":"none"}]}',
) as Json;

describe('storedConfig: a stored experiment keeps the space it ran in', () => {
  const oldMacro = { name: 'macro', options: { ...macroPresets.cifar } as Record<string, Json> };

  it('a macro config stored before attentionPlacement existed places attention after the block, as it did', () => {
    const config = storedConfig(stored(oldMacro));
    expect(config.space.options.attentionPlacement).toEqual(['after']);
    const space = createSpace(config.space.name, config.space.options);
    expect(space.validate(OLD_SAMPLE)).toEqual([]);
    expect(createSpace('macro', oldMacro.options).validate(OLD_SAMPLE)).not.toEqual([]);
  });

  it('a config that names the option, and other spaces, are read as stored', () => {
    const named = { name: 'macro', options: { ...oldMacro.options, attentionPlacement: ['branch'] } };
    expect(storedConfig(stored(named)).space.options.attentionPlacement).toEqual(['branch']);
    const nb201 = stored({ name: 'nb201', options: {} });
    expect(storedConfig(nb201)).toBe(nb201.config);
  });
});

describe('configToStore: a new experiment stores its space with every default filled in', () => {
  it('so the default of its time is what a later version reads back', () => {
    const given = { name: 'new', seed: 1, space: { name: 'macro', options: { stageWidths: [8, 16] } } } as unknown as ExperimentConfig;
    const options = configToStore(given).space.options;
    expect(options.attentionPlacement).toEqual(['branch']);
    expect(options.stageWidths).toEqual([8, 16]);
    expect(storedConfig({ config: configToStore(given) as unknown as Json }).space.options.attentionPlacement).toEqual(['branch']);
  });
});
