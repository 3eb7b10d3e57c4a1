import type { Json } from '../../../core/arch.js';
import type { MacroConfig } from './options.js';
import { SETTINGS, isSettingRelevant, legacyValue } from './settings.js';
import { DECISIONS, MISSING, isRelevant, type MacroSample } from './stage.js';

/**
 * What a canonical sample's key is made of: the decisions and settings added after the space's first
 * version are left out where a sample stored before them means the same (irrelevant, or at the value a
 * missing one takes: MISSING, legacyValue), so a stored sample keeps the key it was stored with and
 * equal architectures still have equal keys.
 */
export function macroKeyForm(canonical: MacroSample, cfg: MacroConfig): Json {
  const stages = canonical.stages.map((st) =>
    Object.fromEntries(
      DECISIONS.flatMap((d) => {
        const value = st[d];
        const added = MISSING[d];
        return added !== undefined && (!isRelevant(st, d) || value === added) ? [] : [[d, value]];
      }),
    ),
  );
  const settings = SETTINGS.flatMap((s) => {
    const value = canonical[s];
    return !isSettingRelevant(canonical.stages, s) || value === legacyValue(s, cfg.head) ? [] : [[s, value]];
  });
  return { stages, ...Object.fromEntries(settings) } as Json;
}
