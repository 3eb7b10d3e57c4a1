// The report's training diagnostics, gathered from storage: the flags of every trial that measured
// them, counted per op, and the per-layer view of the most flagged trials.
import type { DiagnosticFlag } from '../../core/diagnostics.js';
import { trialDiagnostics } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import type { Storage } from '../../backend/storage/index.js';
import type { ExperimentConfig } from '../../run/config.js';
import { readStorage } from '../../run/experiment-data.js';
import { layerOps, type LayerOps } from '../format/layer-ops.js';
import { diagnosticsView, type DiagnosticsView } from '../format/layer-diagnostics.js';
import { flagCounts, type FlagCountRow } from './flag-counts.js';

/** How many trials get their own gradient chart and layer table. */
export const DIAGNOSED_SHOWN = 10;

/** What the report shows of the diagnostics. */
export interface DiagnosticsReport {
  /** Trials that measured diagnostics, and how many of them raised a flag. */
  readonly diagnosed: number;
  readonly flagged: number;
  readonly counts: readonly FlagCountRow[];
  /** The most flagged trials (ties: trial order), at most {@link DIAGNOSED_SHOWN}, each with its per-layer view. */
  readonly trials: readonly { readonly number: number; readonly state: string; readonly view: DiagnosticsView }[];
}

/** The diagnostics of `trials` (experiment `config`, storage location `file`); undefined when no trial measured any. */
export async function loadDiagnosticsReport(
  file: string,
  config: ExperimentConfig,
  trials: readonly Trial[],
): Promise<DiagnosticsReport | undefined> {
  return readStorage(file, async (storage) => {
    const diagnosed: { trial: Trial; flags: readonly DiagnosticFlag[] }[] = [];
    for (const trial of trials) {
      const flags = await flagsOf(storage, trial);
      if (flags !== undefined) diagnosed.push({ trial, flags });
    }
    if (diagnosed.length === 0) return undefined;
    const ops = opsByKey(config);
    const shown = [...diagnosed]
      .sort((a, b) => b.flags.length - a.flags.length || a.trial.number - b.trial.number)
      .slice(0, DIAGNOSED_SHOWN);
    const views = [];
    for (const { trial } of shown) {
      const view = diagnosticsView(trial, await storage.listDiagnostics(trial.id), ops(trial));
      if (view !== null) views.push({ number: trial.number, state: trial.state, view });
    }
    return {
      diagnosed: diagnosed.length,
      flagged: diagnosed.filter((d) => d.flags.length > 0).length,
      counts: flagCounts(diagnosed.map(({ trial, flags }) => ({ number: trial.number, flags, ops: ops(trial) }))),
      trials: views,
    };
  });
}

/** A trial's flags: its record's, else those of the epochs stored while it runs; undefined when it measured no diagnostics. */
async function flagsOf(storage: Storage, trial: Trial): Promise<readonly DiagnosticFlag[] | undefined> {
  const recorded = trialDiagnostics(trial);
  if (recorded !== undefined) return recorded.flags;
  if (trial.state !== 'RUNNING') return undefined;
  const epochs = await storage.listDiagnostics(trial.id);
  return epochs.length === 0 ? undefined : epochs.flatMap((e) => e.flags);
}

/** The op labels of a trial's layers, resolved once per architecture. */
function opsByKey(config: ExperimentConfig): (trial: Trial) => LayerOps | undefined {
  const cache = new Map<string, LayerOps | undefined>();
  return (trial) => {
    if (!cache.has(trial.key)) cache.set(trial.key, layerOps(config, trial.sample));
    return cache.get(trial.key);
  };
}
