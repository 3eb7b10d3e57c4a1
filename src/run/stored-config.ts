import type { Json } from '../core/arch.js';
import type { Experiment } from '../backend/storage/index.js';
import { resolveOptions } from '../core/options.js';
import { findSpace } from '../space/spaces/index.js';
import type { ExperimentConfig } from './config.js';

/**
 * Space options whose default changed after experiments were stored with the old one filled in:
 * an old config lacks the option, and must keep meaning what it meant when it was stored.
 */
const EARLIER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  // Attention used to follow the whole block; the residual branch is the default since storage v3.
  macro: { attentionPlacement: ['after'] },
};

/** The config an experiment was stored with, its space options completed with the values it ran under. */
export function storedConfig(experiment: Pick<Experiment, 'config'>): ExperimentConfig {
  const config = experiment.config as unknown as ExperimentConfig;
  const earlier = EARLIER_DEFAULTS[config.space.name];
  if (earlier === undefined) return config;
  const missing = Object.entries(earlier).filter(([option]) => !(option in config.space.options));
  if (missing.length === 0) return config;
  return { ...config, space: { ...config.space, options: { ...Object.fromEntries(missing), ...config.space.options } } };
}

/**
 * The config as a new experiment stores it: the space's options with every default filled in, so
 * that a default changed later never changes what a stored experiment means (see EARLIER_DEFAULTS).
 */
export function configToStore(config: ExperimentConfig): ExperimentConfig {
  const entry = findSpace(config.space.name);
  const options = resolveOptions(entry.options, config.space.options, `search space "${config.space.name}"`) as Record<string, Json>;
  return { ...config, space: { ...config.space, options } };
}
