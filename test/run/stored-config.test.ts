import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import { UserError } from '../../src/core/errors.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { macroPresets } from '../../src/space/spaces/macro/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { configJson, configToStore, storedConfig } from '../../src/run/stored-config.js';
import { resumeSearch } from '../../src/run/search.js';
import { loadExperiment } from '../../src/run/experiment-data.js';
import { testConfig } from './helpers.js';

/** An experiment "old" as storage returns it, its config the test config with `space` and `changes`. */
const stored = (
  space: { name: string; options: Record<string, Json> },
  changes: Record<string, Json> = {},
): { name: string; config: Json } => ({
  name: 'old',
  config: { ...configJson(testConfig({ name: 'old', space })), ...changes },
});

/** The error storedConfig throws for `experiment` (failing the test when it throws none). */
function storedConfigError(experiment: { name: string; config: Json }): UserError {
  try {
    storedConfig(experiment);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the stored config was read without an error');
}

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
    expect(storedConfig(nb201)).toEqual(nb201.config);
  });

  it('keeps keys this version does not know (a field of an older or newer nas)', () => {
    const experiment = stored({ name: 'nb201', options: {} }, { retired: { since: 2 } });
    expect(storedConfig(experiment)).toEqual(experiment.config);
    expect((storedConfig(experiment) as unknown as { retired: Json }).retired).toEqual({ since: 2 });
  });
});

describe('storedConfig: a stored config that no longer parses', () => {
  it('is a STORED_CONFIG error naming the experiment and every field: what was expected, what is stored', () => {
    const experiment = stored(
      { name: 'nb201', options: {} },
      {
        budget: { trials: 'ten' },
        objectives: [{ metric: 'validationAccuracy', direction: 'up' }],
        workers: 0,
        keepModels: 'some',
      },
    );
    const { workers: _workers, ...withoutWorkers } = experiment.config as Record<string, Json>;
    const error = storedConfigError({ name: 'old', config: { ...withoutWorkers, measureLatency: 'yes' } });
    expect(error.code).toBe('STORED_CONFIG');
    expect(error.message).toBe(
      [
        'the config stored with experiment "old" no longer parses (5 problems)',
        '  • objectives[0].direction: expected one of "max", "min", got "up"',
        '  • budget.trials: expected a number, got "ten"',
        '  • workers: expected a number, got nothing',
        '  • measureLatency: expected a boolean, got "yes"',
        '  • keepModels: expected "all", "none" or { best: k }, got "some"',
      ].join('\n'),
    );
    expect(error.hint).toBe(
      'it was written by another version of nas: read it with that version, or start the experiment again with `nas search`',
    );
  });

  it('checks the training settings with the trainer: each problem under train.', () => {
    const error = storedConfigError(
      stored({ name: 'nb201', options: {} }, { train: { batchSize: 0, engine: 'turbo' } }),
    );
    expect(error.message).toBe(
      [
        'the config stored with experiment "old" no longer parses (2 problems)',
        '  • train.batchSize: expected a positive integer, got 0',
        "  • train.engine: expected 'compiled' or 'eager', got \"turbo\"",
      ].join('\n'),
    );
    expect(storedConfigError(stored({ name: 'nb201', options: {} }, { train: 5 })).message).toBe(
      'the config stored with experiment "old" no longer parses (1 problem)\n  • train: expected an object, got 5',
    );
  });

  it('is not an object at all', () => {
    expect(storedConfigError({ name: 'old', config: [1, 2] }).message).toBe(
      'the config stored with experiment "old" no longer parses (1 problem)\n  • (config): expected an object, got [1,2]',
    );
  });

  it('stops a resume, and the readers of a storage file (export, report), before anything is written', async () => {
    const config = testConfig();
    const storage = await openSqliteStorage(config.storage);
    let created;
    try {
      created = await storage.createExperiment({
        name: 'exp',
        config: { ...configJson(config), budget: { trials: -3 } },
        seed: config.seed,
      });
      const failed = await loadExperiment(storage, config.storage, 'exp').catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(UserError);
      expect((failed as UserError).message).toBe(
        'the config stored with experiment "exp" no longer parses (1 problem)\n  • budget.trials: expected a value > 0, got -3',
      );
    } finally {
      await storage.close();
    }
    await expect(resumeSearch(config.storage, 'exp', { emit: () => undefined })).rejects.toMatchObject({
      code: 'STORED_CONFIG',
    });
    const after = await openSqliteStorage(config.storage);
    try {
      expect(await after.getExperiment('exp')).toEqual(created);
      expect(await after.listTrials(created.id)).toEqual([]);
    } finally {
      await after.close();
    }
  });
});

describe('configToStore: a new experiment stores its space with every default filled in', () => {
  it('so the default of its time is what a later version reads back', () => {
    const given = testConfig({ name: 'new', space: { name: 'macro', options: { stageWidths: [8, 16] } } });
    const options = configToStore(given).space.options;
    expect(options.attentionPlacement).toEqual(['branch']);
    expect(options.stageWidths).toEqual([8, 16]);
    expect(
      storedConfig({ name: 'new', config: configJson(configToStore(given)) }).space.options.attentionPlacement,
    ).toEqual(['branch']);
  });
});
