import { defineSpace, type SearchSpace } from '../../search-space.js';
import { macroConfig, macroOptions, type MacroOptions } from './options.js';
import { MacroSpace } from './space.js';

/** Builds the space from resolved options; kernels that are not odd, or repeated values, fail here. */
export function createMacro(o: MacroOptions): MacroSpace {
  return new MacroSpace(macroConfig(o));
}

/** The registry entry of the macro space. */
export const macroSpace = defineSpace({
  name: 'macro',
  description:
    'macro space (ResNet / MobileNet style): stages of blocks, per stage block type, kernel, expansion, width, depth, stride, attention and its placement, groups; drop-path, dropout, BatchNorm settings',
  options: macroOptions,
  create: (o): SearchSpace => createMacro(o),
});

export {
  MACRO_ATTENTION,
  MACRO_BLOCKS,
  MACRO_HEADS,
  MACRO_PLACEMENTS,
  MACRO_STEMS,
  macroConfig,
  macroOptions,
  macroPresets,
  type MacroBlock,
  type MacroConfig,
  type MacroOptions,
  type MacroPlacement,
} from './options.js';
export { DECISIONS, MISSING, canonicalMacro, type MacroSample, type MacroStage } from './stage.js';
export { macroNetwork } from './network.js';
export { SETTINGS, legacyValue, type MacroSettings, type Setting } from './settings.js';
export { MacroSpace } from './space.js';
