// Where a reviewed design does not meet the design document's guidance: a small set of checks, each
// with its reason (docs/cli.md, `nas review`, lists them with their thresholds). There is no check for
// a network without normalisation: every registered space follows its convolutions with BatchNorm, so
// it could never fire (the normalization item shows the count).
import { bytes, int } from '../format/units.js';
import type { Checklist, ItemKey } from './checklist.js';

/** One warning: its stable code, the checklist item it is about, and what to do. */
export interface ReviewWarning {
  readonly code: WarningCode;
  readonly item: ItemKey;
  readonly message: string;
}

export type WarningCode =
  | 'over-constraint'
  | 'collapsed-resolution'
  | 'deep-without-shortcuts'
  | 'no-regularization'
  | 'memory-over-machine'
  | 'bf16-not-fast';

/** More weight layers than this on the longest path need shortcuts: VGG-19's 19 is the deepest plain network commonly trained. */
export const PLAIN_DEPTH_LIMIT = 20;
/** From this many trainable parameters a model is large enough to memorise a usual training set without regularization. */
export const LARGE_MODEL_PARAMS = 1_000_000;

const FIGURE_NAMES = {
  maxParams: 'trainable params',
  maxMacs: 'MACs',
  maxTrainMemoryBytes: 'training memory (bytes)',
} as const;

export function designWarnings(c: Checklist): ReviewWarning[] {
  const warnings: ReviewWarning[] = [];
  const warn = (code: WarningCode, item: ItemKey, message: string): void => void warnings.push({ code, item, message });

  for (const k of c.budget.constraints) {
    if (k.value > k.limit)
      warn(
        'over-constraint',
        'budget',
        `${FIGURE_NAMES[k.name]} ${int(k.value)} > the experiment's ${k.name} ${int(k.limit)} (+${Math.round((k.value / k.limit - 1) * 100)}%)`,
      );
  }
  const collapsed = c.strides.collapsed;
  if (collapsed !== null) {
    const n = collapsed.windows.length;
    warn(
      'collapsed-resolution',
      'strides',
      `the feature map is 1×1 from ${collapsed.at} on, yet ${n} k×k window${n === 1 ? '' : 's'} still look${n === 1 ? 's' : ''} at it (${collapsed.windows.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}): ` +
        'beside its centre such a kernel sees only padding; drop the resolution later (fewer stride-2 stages, a stride-1 stem) or feed larger images',
    );
  }
  const s = c.shortcuts;
  if (s.depth > PLAIN_DEPTH_LIMIT && s.additions + s.concatenations === 0) {
    warn(
      'deep-without-shortcuts',
      'shortcuts',
      `${s.depth} weight layers deep without a shortcut: plain networks beyond about ${PLAIN_DEPTH_LIMIT} layers train worse than shallower ones (He et al. 2016); use residual blocks`,
    );
  }
  const r = c.regularization;
  const regularized =
    r.weightDecay > 0 || r.dropout.some((p) => p > 0) || r.dropPath > 0 || r.labelSmoothing > 0 || r.augment !== null;
  if (!regularized && c.budget.params >= LARGE_MODEL_PARAMS) {
    warn(
      'no-regularization',
      'regularization',
      `${int(c.budget.params)} trainable parameters and no regularization at all (no weight decay, dropout, drop-path, label smoothing or augmentation): a model this large can memorise its training set; set train.optimizer.weightDecay or augment the data`,
    );
  }
  const m = c.memory;
  const needed = m.costModel.trainTotal * m.workers;
  if (needed > m.machineBytes) {
    const per = m.workers === 1 ? '' : ` (${bytes(m.costModel.trainTotal)} per trial × ${m.workers} workers)`;
    warn(
      'memory-over-machine',
      'memory',
      `training needs ≈ ${bytes(needed)}${per}, above this machine's ${bytes(m.machineBytes)}: trials risk running out of memory; lower train.batchSize, add train.checkpointing, or run fewer workers`,
    );
  }
  const p = c.precision;
  if (p.asked === 'bf16' && !p.bf16Fast) {
    warn(
      'bf16-not-fast',
      'precision',
      `train.precision is 'bf16' but this machine has no fast bfloat16 (${p.why ?? 'unknown'}): its trials train in float32; keep 'fp32' here, or run the search on a CPU with AMX-BF16 or AVX512-BF16`,
    );
  }
  return warnings;
}
