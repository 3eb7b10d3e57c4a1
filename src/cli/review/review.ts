import type { Json } from '../../core/arch.js';
import type { Trial } from '../../core/trial.js';
import { sampleFormatter } from '../format/arch.js';
import { checklist, type Checklist, type ReviewContext } from './checklist.js';
import type { Machine } from './machine.js';
import { designWarnings, type ReviewWarning } from './warnings.js';

/** A trial's design review: which trial, the machine it was checked on, every checklist item's figures, and the warnings. */
export interface Review extends Checklist {
  readonly experiment: string;
  /** `arch`: the sample in its space's text form. */
  readonly trial: { readonly number: number; readonly state: string; readonly arch: string; readonly sample: Json };
  readonly machine: Machine;
  readonly warnings: readonly ReviewWarning[];
}

export function reviewTrial(context: ReviewContext, trial: Trial): Review {
  const items = checklist(context, trial);
  return {
    experiment: context.config.name,
    trial: {
      number: trial.number,
      state: trial.state,
      arch: sampleFormatter(context.config)(trial.sample),
      sample: trial.sample,
    },
    machine: context.machine,
    ...items,
    warnings: designWarnings(items),
  };
}
