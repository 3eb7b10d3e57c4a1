import type { DiagnosticFlag } from '../../core/diagnostics.js';
import type { DiagnosticsView, Trend } from './layer-diagnostics.js';

/** The row of the global gradient norm. */
export const GLOBAL_ROW = '(global)';

/** One row of a per-layer diagnostics table as text, shared by `nas show` and the report. */
export interface DiagnosticRow {
  readonly layer: string;
  readonly op: string;
  readonly gradNorm: Trend | null;
  readonly flags: readonly DiagnosticFlag[];
  /** "first → last" of the gradient norm, and "min – max". */
  readonly gradient: string;
  readonly range: string;
  /** At the last check: the weight norm; a ReLU's dead fraction; a BatchNorm's or block's mean over channels of |mean| and of std. */
  readonly weight: string;
  readonly dead: string;
  readonly meanAbs: string;
  readonly std: string;
}

/** The rows of a trial's table: the global gradient norm (when measured or flagged), then every layer. */
export function diagnosticRows(view: DiagnosticsView): DiagnosticRow[] {
  const global = view.flags.filter((f) => f.layer === undefined);
  const first = view.global === null && global.length === 0 ? [] : [blank(GLOBAL_ROW, '', view.global, global)];
  return [
    ...first,
    ...view.layers.map((l) => {
      const a = l.activation;
      const channels = a !== null && a.kind !== 'relu';
      return {
        ...blank(l.layer, l.op ?? '?', l.gradNorm, l.flags),
        weight: l.weightNorm === null ? '' : figure(l.weightNorm.last),
        dead: a?.kind === 'relu' && a.deadFraction !== undefined ? `${(a.deadFraction * 100).toFixed(1)}%` : '',
        meanAbs: channels && a.channelMeanAbs !== undefined ? figure(a.channelMeanAbs) : '',
        std: channels && a.channelStd !== undefined ? figure(a.channelStd) : '',
      };
    }),
  ];
}

function blank(layer: string, op: string, gradNorm: Trend | null, flags: readonly DiagnosticFlag[]): DiagnosticRow {
  return {
    layer,
    op,
    gradNorm,
    flags,
    gradient: gradNorm === null ? '' : `${figure(gradNorm.first)} → ${figure(gradNorm.last)}`,
    range: gradNorm === null ? '' : `${figure(gradNorm.min)} – ${figure(gradNorm.max)}`,
    weight: '',
    dead: '',
    meanAbs: '',
    std: '',
  };
}

/** A figure in 3 significant digits, in exponent form below 0.001 and from 10,000: 0.0123, 45.6, 2.6e-7. */
export function figure(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e4
    ? v
        .toExponential(2)
        .replace(/\.?0+e/, 'e')
        .replace('e+', 'e')
    : String(Number(v.toPrecision(3)));
}
