import type { UserConfig } from './types.js';

/** Returns its argument: it exists so that an editor checks and completes a config file against {@link UserConfig}. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
