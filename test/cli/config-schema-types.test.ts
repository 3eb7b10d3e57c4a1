import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { RegisteredDataset } from '../../src/backend/data/registry.js';
import type { userConfigSchema } from '../../src/cli/config/schema.js';
import type { UserConfig } from '../../src/cli/config/types.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import type { RegisteredPruner } from '../../src/search/pruners/registry.js';
import type { RegisteredStrategy } from '../../src/search/registry.js';
import type { RegisteredSpace } from '../../src/space/spaces/index.js';

// The config shape is written twice on purpose: the zod schema (src/cli/config/schema.ts) checks a
// file at run time, `UserConfig` (types.ts) types it in an editor. `npx tsc --noEmit` checks this
// file, so the two cannot drift apart: outside the registry sections they are the same type, and
// there every typed config is one the schema's structure accepts (names and options are then
// checked against the registries, from whose lists those sections are typed).

/** Readonly everywhere, `undefined` dropped from optional fields, `string & {}` read as string (zod's input marks neither). */
type Norm<T> = T extends string
  ? string extends T
    ? string
    : T
  : T extends readonly (infer E)[]
    ? readonly Norm<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Norm<Exclude<T[K], undefined>> }
      : T;

type Schema = Norm<z.input<typeof userConfigSchema>>;
type Typed = Norm<UserConfig>;
type Registry = 'dataset' | 'space' | 'strategy' | 'pruner';

describe('the config schema and UserConfig', () => {
  it('have the same fields', () => {
    expectTypeOf<keyof Typed>().toEqualTypeOf<keyof Schema>();
  });

  it('are the same type outside the registry sections (train, objectives, budget, keepModels, …)', () => {
    expectTypeOf<Omit<Typed, Registry>>().toEqualTypeOf<Omit<Schema, Registry>>();
  });

  it('agree on the registry sections: the same fields, and every typed entry has the structure the schema checks', () => {
    expectTypeOf<keyof Typed['dataset']>().toEqualTypeOf<keyof Schema['dataset']>();
    expectTypeOf<Omit<Typed['dataset'], 'name' | 'options'>>().toEqualTypeOf<
      Omit<Schema['dataset'], 'name' | 'options'>
    >();
    expectTypeOf<keyof Typed['space']>().toEqualTypeOf<keyof Schema['space']>();
    expectTypeOf<keyof Typed['strategy']>().toEqualTypeOf<keyof Schema['strategy']>();
    expectTypeOf<keyof NonNullable<Typed['pruner']>>().toEqualTypeOf<keyof NonNullable<Schema['pruner']>>();
    expectTypeOf<Typed>().toExtend<Schema>();
  });

  it('type the registry sections from the registries: every registered name, options from its schema', () => {
    expectTypeOf<UserConfig['dataset']['name']>().toEqualTypeOf<RegisteredDataset['name']>();
    expectTypeOf<UserConfig['space']['name']>().toEqualTypeOf<RegisteredSpace['name']>();
    expectTypeOf<UserConfig['strategy']['name']>().toEqualTypeOf<RegisteredStrategy['name']>();
    expectTypeOf<NonNullable<UserConfig['pruner']>['name']>().toEqualTypeOf<RegisteredPruner['name']>();
    expectTypeOf<Extract<UserConfig['strategy'], { name: 'random' }>['options']>().toEqualTypeOf<
      Record<string, never> | undefined
    >();
    type Cifar10Options = Norm<Extract<UserConfig['dataset'], { name: 'cifar10' }>['options']>;
    expectTypeOf<Cifar10Options>().toEqualTypeOf<{ readonly dir: string; readonly recordsPerFile?: number }>();
    expectTypeOf<{ readonly name: 'cifar10' }>().not.toExtend<UserConfig['dataset']>();
    expectTypeOf<Norm<NonNullable<Extract<UserConfig['space'], { name: 'nb201' }>['options']>>>().toEqualTypeOf<{
      readonly cells?: number;
      readonly channels?: number;
    }>();
  });

  it('resolve into ExperimentConfig, whose shared parts are the same types', () => {
    expectTypeOf<NonNullable<UserConfig['train']>>().toEqualTypeOf<ExperimentConfig['train']>();
    expectTypeOf<NonNullable<UserConfig['constraints']>>().toEqualTypeOf<
      NonNullable<ExperimentConfig['constraints']>
    >();
    expectTypeOf<UserConfig['budget']>().toEqualTypeOf<ExperimentConfig['budget']>();
    expectTypeOf<NonNullable<UserConfig['keepModels']>>().toEqualTypeOf<NonNullable<ExperimentConfig['keepModels']>>();
    expectTypeOf<NonNullable<UserConfig['benchmark']>>().toEqualTypeOf<NonNullable<ExperimentConfig['benchmark']>>();
    expectTypeOf<NonNullable<UserConfig['dataset']['augment']>>().toEqualTypeOf<
      NonNullable<ExperimentConfig['dataset']['augment']>
    >();
  });
});
