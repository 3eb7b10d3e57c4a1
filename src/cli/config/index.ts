// The public entry of nas for config files: `import { defineConfig } from 'nas'`. Types and one
// identity function only, so that loading a config file loads nothing else. The CLI imports the
// loader from ./loader.js.
export { defineConfig } from './define.js';
export type {
  DatasetConfig,
  MetricName,
  ObjectiveConfig,
  SpaceConfig,
  StrategyConfig,
  TrainSettings,
  UserConfig,
} from './types.js';
export type { OptionsInput } from './option-input.js';
