import type { Choice, SampleIssue } from '../../search-space.js';
import {
  SETTINGS,
  type MacroConfig,
  type MacroHead,
  type MacroSettings,
  type MacroStage,
  type Setting,
} from './types.js';

export { SETTINGS, type MacroSettings, type Setting } from './types.js';

/** The option that lists each setting's choices. */
export const SETTING_OPTIONS = {
  dropPath: 'dropPathRates',
  dropout: 'dropoutRates',
  bnMomentum: 'bnMomenta',
  bnEpsilon: 'bnEpsilons',
} as const;

/** Blocks with a residual branch that drop-path can drop (an inverted residual only where it has a shortcut). */
const DROPPABLE: ReadonlySet<string> = new Set(['basic', 'bottleneck', 'inverted_residual']);

/**
 * What a setting is in a sample without it: the network every sample was before the settings were
 * decisions (no drop-path; the head's own dropout, 0.2 in MobileNetV2's head and none in the
 * classifier; the `bn` op's momentum 0.9 and epsilon 1e-5). An empty option list means this value too.
 */
export function legacyValue(s: Setting, head: MacroHead): number {
  switch (s) {
    case 'dropPath':
      return 0;
    case 'dropout':
      return head === 'mobilenetv2' ? 0.2 : 0;
    case 'bnMomentum':
      return 0.9;
    case 'bnEpsilon':
      return 1e-5;
  }
}

/** What a value must be, and whether it is. */
const RANGE: Readonly<Record<Setting, { readonly expected: string; readonly ok: (v: number) => boolean }>> = {
  dropPath: { expected: 'rates in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  dropout: { expected: 'rates in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  bnMomentum: { expected: 'momenta in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  bnEpsilon: { expected: 'positive numbers', ok: (v) => v > 0 },
};

/** The options that list the settings' choices, and the head (whose own dropout is the legacy one). */
export type SettingLists = { readonly head: string } & {
  readonly [S in Setting as (typeof SETTING_OPTIONS)[S]]: readonly number[];
};

/** Each setting's choices from the options (an empty list: the legacy value), and the problems of the lists. */
export function settingChoices(o: SettingLists): {
  choices: Readonly<Record<Setting, readonly number[]>>;
  problems: string[];
} {
  const problems: string[] = [];
  const choices = Object.fromEntries(
    SETTINGS.map((s) => {
      const name = SETTING_OPTIONS[s];
      const values = o[name];
      const { expected, ok } = RANGE[s];
      if (!values.every(ok)) problems.push(`${name}: expected ${expected}, got [${values.join(', ')}]`);
      if (new Set(values).size !== values.length)
        problems.push(`${name}: expected distinct values, got [${values.join(', ')}]`);
      return [s, values.length > 0 ? values : [legacyValue(s, o.head as MacroHead)]];
    }),
  ) as Record<Setting, readonly number[]>;
  return { choices, problems };
}

/** Whether a setting shapes the network: drop-path needs a block with a residual branch; the others always do. */
export function isSettingRelevant(stages: readonly MacroStage[], s: Setting): boolean {
  return s !== 'dropPath' || stages.some((st) => st.depth > 0 && DROPPABLE.has(st.block));
}

/** A sample's value of a setting, a left-out one read as its legacy value. */
export function settingOf(sample: MacroSettings, s: Setting, cfg: MacroConfig): number {
  return sample[s] ?? legacyValue(s, cfg.head);
}

/** Every setting's value, an irrelevant one at its first choice (as irrelevant stage decisions are). */
export function canonicalSettings(
  sample: MacroSettings & { readonly stages: readonly MacroStage[] },
  cfg: MacroConfig,
): Required<MacroSettings> {
  return Object.fromEntries(
    SETTINGS.map((s) => [s, isSettingRelevant(sample.stages, s) ? settingOf(sample, s, cfg) : cfg.settings[s][0]]),
  ) as Required<MacroSettings>;
}

/** Problems of the settings of an untrusted sample (`record`): each given or legacy value must be among its choices. */
export function settingIssues(record: Readonly<Record<string, unknown>>, cfg: MacroConfig): SampleIssue[] {
  return SETTINGS.flatMap((s) => {
    const given = record[s];
    const value = given === undefined ? legacyValue(s, cfg.head) : given;
    const choices = cfg.settings[s];
    if (choices.includes(value as number)) return [];
    const got =
      given === undefined
        ? `nothing, which means ${value} (a sample stored before ${s} was a decision)`
        : JSON.stringify(given);
    return [{ path: s, message: `expected one of ${choices.join(', ')}, got ${got}` }];
  });
}

/** The choices of a setting as a dimension's. */
export const settingDimension = (cfg: MacroConfig, s: Setting): { label: string; choices: readonly Choice[] } => ({
  label: s,
  choices: cfg.settings[s],
});
