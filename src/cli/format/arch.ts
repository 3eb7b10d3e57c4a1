import type { Json } from '../../core/arch.js';
import type { ExperimentConfig } from '../../run/config.js';
import { createSpace } from '../../space/spaces/index.js';

/**
 * How an experiment's samples read: its space's `format` (NAS-Bench-201's `|op~0|+|…|`, JSON
 * elsewhere); compact JSON when the space cannot be built any more (renamed, options changed).
 */
export function sampleFormatter(config: ExperimentConfig): (sample: Json) => string {
  try {
    const space = createSpace(config.space.name, config.space.options);
    return (sample) => {
      try {
        return space.format(sample);
      } catch {
        return JSON.stringify(sample);
      }
    };
  } catch {
    return (sample) => JSON.stringify(sample);
  }
}

/** `text` cut to `width` characters with an ellipsis. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
