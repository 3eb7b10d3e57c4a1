import { resolveOptions } from '../../core/options.js';
import type { Trial } from '../../core/trial.js';
import type { ExperimentConfig } from '../../run/config.js';
import { halvingOptions, rungs } from '../../search/halving.js';

/** The rungs of a successive-halving run (strategy.halving): what they vary and each rung's value, lowest first. */
export interface Rungs {
  readonly fidelity: string;
  readonly levels: readonly number[];
}

/** The rungs of a config whose strategy is wrapped in successive halving; undefined without `strategy.halving`. */
export function rungsFromConfig(config: ExperimentConfig): Rungs | undefined {
  const halving = config.strategy.halving;
  if (halving === undefined) return undefined;
  const options = resolveOptions(halvingOptions, halving, 'strategy.halving');
  return { fidelity: options.fidelity, levels: rungs(options) };
}

/** The rung a trial runs at: the index of its fidelity among the rungs' values; undefined when it is none of them. */
export function rungOf(trial: Pick<Trial, 'fidelity'>, rungs: Rungs | undefined): number | undefined {
  const value = trial.fidelity?.[rungs?.fidelity ?? ''];
  const rung = value === undefined ? -1 : (rungs?.levels.indexOf(value) ?? -1);
  return rung < 0 ? undefined : rung;
}

/**
 * A trial's fidelity in a few words: "rung 1 (epochs 3)" when it is one of the rungs, "epochs 3"
 * when the rungs are not known, "… from #4" when it continued trial 4; undefined for a trial
 * without one. Only what a rung varies is said (`halvingOptions.fidelity`), not the fidelity's other entries.
 */
export function fidelityText(
  trial: Pick<Trial, 'fidelity' | 'continues'>,
  rungs: Rungs | undefined,
): string | undefined {
  const varied: readonly string[] = halvingOptions.fidelity.choices;
  const entries = Object.entries(trial.fidelity ?? {}).filter(([name]) => varied.includes(name));
  if (entries.length === 0) return undefined;
  const values = entries.map(([name, value]) => `${name} ${Number(value.toPrecision(3))}`).join(', ');
  const rung = rungOf(trial, rungs);
  const from = trial.continues === undefined ? '' : ` from #${trial.continues}`;
  return `${rung === undefined ? values : `rung ${rung} (${values})`}${from}`;
}
