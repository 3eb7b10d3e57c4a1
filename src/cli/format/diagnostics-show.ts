import type { Json } from '../../core/arch.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import type { ExperimentConfig } from '../../run/config.js';
import { sampleFormatter } from './arch.js';
import { layerOps } from './layer-ops.js';
import { diagnosticsView, type DiagnosticsView } from './layer-diagnostics.js';

/** `nas show <experiment> --trial N --diagnostics --json`: which trial, and its diagnostics per layer (null when they were off). */
export interface ShowDiagnosticsJson {
  readonly storage: string;
  readonly experiment: string;
  readonly trial: { readonly number: number; readonly state: string; readonly arch: string; readonly sample: Json };
  readonly diagnostics: DiagnosticsView | null;
}

/** What `nas show --trial N --diagnostics` prints, from the trial and its stored per-epoch diagnostics. */
export function showDiagnosticsJson(
  storage: string,
  config: ExperimentConfig,
  trial: Trial,
  epochs: readonly DiagnosticEpoch[],
): ShowDiagnosticsJson {
  return {
    storage,
    experiment: config.name,
    trial: {
      number: trial.number,
      state: trial.state,
      arch: sampleFormatter(config)(trial.sample),
      sample: trial.sample,
    },
    diagnostics: diagnosticsView(trial, epochs, layerOps(config, trial.sample)),
  };
}
