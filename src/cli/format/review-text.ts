// `nas review` as text: one line per checklist item (part 7's order), its warnings under it. The
// report's review section shows the same item texts.
import { OPTIMIZER_SLOTS } from '../../space/cost/index.js';
import { CHECKLIST, type Checklist, type ItemKey } from '../review/checklist.js';
import type { DesignFeatures } from '../review/nearest-reference.js';
import { FP32_BYTES } from '../review/part7.js';
import type { Resolution } from '../review/resolution.js';
import type { Review } from '../review/review.js';
import { clip } from './arch.js';
import { optimizerLabel } from './training-setting.js';
import { bytes, int, si } from './units.js';

export const ITEM_TITLES: Readonly<Record<ItemKey, string>> = {
  input: 'input resolution and channels',
  base: 'base architecture',
  budget: 'compute budget (FLOPs, params)',
  filters: 'filter schedule',
  strides: 'stride plan',
  shortcuts: 'shortcut connections',
  attention: 'attention',
  regularization: 'regularization',
  normalization: 'normalization',
  initialization: 'initialization',
  schedule: 'learning-rate schedule',
  memory: 'memory estimate',
  parallelism: 'parallelization',
  precision: 'mixed precision',
};

const res = (r: Resolution): string => `${r[0]}×${r[1]}`;
const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;

/** The text of one item's value. */
export function itemText(c: Checklist, key: ItemKey): string {
  switch (key) {
    case 'input':
      return `${c.input.height}×${c.input.width}, ${plural(c.input.channels, 'channel')}, ${c.input.classes} classes (data set ${c.input.dataset})`;
    case 'base':
      return baseText(c);
    case 'budget':
      return budgetText(c);
    case 'filters':
      return (
        c.filters
          .map(
            (s) =>
              `${res(s.resolution)}: ${s.channels}${s.maxChannels > s.channels ? ` (up to ${s.maxChannels})` : ''}`,
          )
          .join(' · ') + ' channels'
      );
    case 'strides':
      return [res(c.strides.input), ...c.strides.drops.map((d) => `${res(d.to)} (${d.block ?? d.at})`)].join(' → ');
    case 'shortcuts': {
      const s = c.shortcuts;
      const joins = s.additions === 0 ? 'none' : `${plural(s.additions, 'addition')} joining paths`;
      const concats = s.concatenations === 0 ? '' : `, ${plural(s.concatenations, 'concatenation')}`;
      return `${joins}${concats}; ${s.depth} weight layers on the longest path (${s.weightLayers} in all)`;
    }
    case 'attention': {
      const parts = (['se', 'cbam'] as const)
        .filter((k) => c.attention[k] > 0)
        .map((k) => `${k.toUpperCase()} in ${plural(c.attention[k], 'place')}`);
      return parts.length === 0 ? 'none' : parts.join(', ');
    }
    case 'regularization':
      return regularizationText(c);
    case 'normalization':
      return `${c.normalization.batchNorm === 0 ? 'none' : plural(c.normalization.batchNorm, 'BatchNorm layer')} for ${plural(c.normalization.weightLayers, 'weight layer')}`;
    case 'initialization':
      return c.initialization.init === 'he' ? 'he (He normal, for ReLU networks)' : 'glorot (Glorot uniform)';
    case 'schedule':
      return scheduleText(c);
    case 'memory':
      return memoryText(c);
    case 'parallelism': {
      const p = c.parallelism;
      const used =
        p.engine.used === null
          ? ''
          : p.engine.used === p.engine.asked
            ? ', trained on it'
            : `, trained on ${p.engine.used}${p.engine.fallback === null ? '' : ` (${p.engine.fallback})`}`;
      return `${plural(p.workers, 'worker')} × ${plural(p.intraOpThreads, 'intra-op thread')} on this machine's ${p.cores} cores (inter-op pool ${p.interOpThreads}, shared); engine ${p.engine.asked}${used}`;
    }
    case 'precision': {
      const p = c.precision;
      const ran =
        p.used === null
          ? ''
          : p.used === p.asked
            ? ''
            : `, trained in ${p.used}${p.reason === null ? '' : ` (${p.reason})`}`;
      return `${p.asked} asked${ran}; fast bfloat16 here: ${p.bf16Fast ? 'yes' : `no (${p.why ?? 'unknown'})`}`;
    }
  }
}

function baseText(c: Checklist): string {
  const b = c.base;
  if (b === null) return `no reference network fits a ${c.input.height}×${c.input.width} input`;
  const differences = featureDifferences(b.trial, b.reference);
  const same =
    differences.length === 0
      ? 'same block kind, attention, depth, additions and halvings'
      : `differs in ${differences.join(', ')}`;
  return `${b.name}, distance ${b.distance.toFixed(2)} of 5 (${same}); ${b.summary}`;
}

/** "depth 10 vs 18": the features that differ, the trial's value first. */
function featureDifferences(a: DesignFeatures, b: DesignFeatures): string[] {
  const show = (v: string | number): string => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : v);
  return (['kind', 'attention', 'depth', 'additions', 'halvings'] as const)
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${show(a[k])} vs ${show(b[k])}`);
}

function budgetText(c: Checklist): string {
  const b = c.budget;
  const ms = (v: number): string => (v >= 100 ? int(v) : v.toPrecision(3));
  const limits = b.constraints.map((k) => `${k.name} ${int(k.limit)}: ${k.value > k.limit ? 'over' : 'within'}`);
  return (
    `${int(b.params)} params, ${si(b.macs)} MACs = ${si(b.flops)} FLOPs; ` +
    `≈ ${ms(b.latency.fastMs)}–${ms(b.latency.slowMs)} ms per image (part 7: FLOPs / (${si(b.latency.peakFlops, 0)} FLOP/s × 0.2–0.1)); ` +
    (limits.length === 0 ? 'no constraints' : `constraints ${limits.join(', ')}`)
  );
}

function regularizationText(c: Checklist): string {
  const r = c.regularization;
  const parts = [
    r.weightDecay > 0 ? `weight decay ${r.weightDecay} (${r.decoupled ? 'decoupled' : 'L2'}, on ${r.decayOn})` : '',
    r.dropout.some((p) => p > 0) ? `dropout ${r.dropout.filter((p) => p > 0).join(', ')}` : '',
    r.dropPath > 0 ? `drop-path up to ${r.dropPath}` : '',
    r.labelSmoothing > 0 ? `label smoothing ${r.labelSmoothing}` : '',
    r.augment === null ? '' : `augmentation ${JSON.stringify(r.augment)}`,
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function scheduleText(c: Checklist): string {
  const { schedule: s, optimizer: o, budget, batchSize } = c.schedule;
  const lr =
    s.kind === 'constant'
      ? `constant ${s.lr}`
      : s.kind === 'cosine'
        ? `cosine ${s.lrMax} → ${s.lrMin ?? 0}${(s.warmupEpochs ?? 0) > 0 ? ` after ${s.warmupEpochs} warm-up epochs` : ', no warm-up'}${s.restart === undefined ? '' : `, restarts every ${s.restart.t0Epochs} epochs × ${s.restart.tMult ?? 1}`}`
        : `one-cycle ${s.lrMin ?? s.lrMax / 25} → ${s.lrMax} → ${(s.lrMin ?? s.lrMax / 25) / 100}`;
  const optimizer = o.kind === 'sgd' ? `sgd, momentum ${o.momentum}${o.nesterov ? ' (Nesterov)' : ''}` : o.kind;
  return `${lr} over ${plural(budget.count, budget.unit.slice(0, -1), budget.unit)}; ${optimizer}; batch ${batchSize}`;
}

function memoryText(c: Checklist): string {
  const m = c.memory;
  const p = m.part7;
  const k = m.costModel;
  const part7 = `part 7: ${FP32_BYTES} B × (A·B + 2·P) = ${FP32_BYTES} × (${int(p.activationElements)} × ${p.batch} + 2 × ${int(p.params)}) = ${bytes(p.bytes)} (every value fp32, 4 bytes: activations, weights, gradients)`;
  const setting = `${optimizerLabel(k.optimizer, OPTIMIZER_SLOTS[k.optimizer])}, ${k.precision}${k.segments === null ? '' : `, ${k.segments} checkpoint segments`}`;
  const model = `cost model: ${bytes(k.trainTotal)} (activations ${bytes(k.trainActivations)}, weights ${bytes(k.weights + k.lowPrecisionWeights)}, gradients ${bytes(k.gradients)}, optimizer state ${bytes(k.optimizerState)}; ${setting})`;
  return `${part7}; ${model} × ${plural(m.workers, 'worker')} = ${bytes(k.trainTotal * m.workers)} of this machine's ${bytes(m.machineBytes)}`;
}

/** The whole review as lines: a header, the four parts with their items, each warning under its item, and a summary. */
export function reviewLines(review: Review, shownPath: string, width = 160): string[] {
  const lines = [
    `review of trial ${review.trial.number} (${review.trial.state}) of experiment ${review.experiment} in ${shownPath}`,
    clip(`  architecture ${review.trial.arch}`, width),
  ];
  const titleWidth = Math.max(...Object.values(ITEM_TITLES).map((t) => t.length));
  CHECKLIST.forEach((part, i) => {
    lines.push('', `${i + 1}. ${part.title}`);
    for (const key of part.items) {
      lines.push(`  ${ITEM_TITLES[key].padEnd(titleWidth)}  ${itemText(review, key)}`);
      for (const w of review.warnings.filter((x) => x.item === key)) lines.push(`    ⚠ ${w.code}: ${w.message}`);
    }
  });
  const codes = review.warnings.map((w) => w.code);
  lines.push('', codes.length === 0 ? 'no warnings' : `${plural(codes.length, 'warning')}: ${codes.join(', ')}`);
  return lines;
}
