// Asynchronous successive halving (ASHA: Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt,
// Recht & Talwalkar 2020, "A System for Massively Parallel Hyperparameter Tuning", Alg. 2) around
// any strategy, with Hyperband's brackets (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar 2018,
// JMLR) looped through as in that paper's Sec. 3.3. Rung k trains at fidelity min·ηᵏ (the last rung
// at max); a finished trial in the top 1/η of its rung is promoted: the same sample runs again at
// the next rung. With `continuation` (fidelity 'epochs'), every run follows the learning-rate schedule
// of the top rung's epochs and stops at its own rung, and a promotion trains on from the state the
// promoted trial saved there (as ASHA's paper resumes a configuration from its checkpoint), so a
// promotion to epochs e after a rung of r trains e − r epochs, not e. The inner strategy proposes new
// samples and sees only the trial that introduced each.
import type { Json } from '../core/arch.js';
import type { OptionValues } from '../core/options.js';
import type { Trial } from '../core/trial.js';
import { scoredTrials } from './history.js';
import { primary } from './objective.js';
import type { AskContext, Proposal, Strategy, StrategyContext } from './strategy.js';

/** The options of the successive-halving wrapper. */
export const halvingOptions = {
  fidelity: {
    type: 'enum',
    description: 'what a rung varies: training epochs or the fraction of the training data',
    choices: ['epochs', 'dataFraction'],
    default: 'epochs',
  },
  min: { type: 'number', description: 'fidelity of the lowest rung (r)', min: 0, default: 1 },
  max: { type: 'number', description: 'fidelity of the highest rung (R)', min: 0, default: 27 },
  eta: {
    type: 'integer',
    description: 'η: one in η trials of a rung is promoted; fidelity grows η-fold per rung',
    min: 2,
    default: 3,
  },
  brackets: {
    type: 'integer',
    description: 'Hyperband brackets: new samples start at rung 0, 1, … in turn (1 = plain successive halving)',
    min: 1,
    default: 1,
  },
  continuation: {
    type: 'boolean',
    description:
      "with fidelity 'epochs': a promotion trains on from the promoted trial's saved state, every run on the top rung's schedule (false: retrain from scratch at each rung)",
    default: true,
  },
} as const;

/** Resolved options of the successive-halving wrapper. */
export type HalvingOptions = OptionValues<typeof halvingOptions>;

/** The fidelity of each rung: min·ηᵏ below max, then max (epochs rounded to integers). */
export function rungs(options: HalvingOptions): number[] {
  const { min, max, eta, fidelity } = options;
  if (!(min > 0 && max >= min))
    throw new RangeError(`successive halving needs 0 < min ≤ max, got (min=${min}, max=${max})`);
  const out: number[] = [];
  for (let r = min; r < max * (1 - 1e-9); r *= eta) out.push(r);
  out.push(max);
  return fidelity === 'epochs' ? [...new Set(out.map((r) => Math.max(1, Math.round(r))))] : out;
}

type State = { inner: Json; introduced: Record<string, number> };

/** `inner` wrapped in asynchronous successive halving / Hyperband over `options.fidelity`. */
export class SuccessiveHalving implements Strategy {
  private readonly levels: number[];
  /** Per key, the rung its first trial ran at (the trial the inner strategy sees). */
  private introduced = new Map<string, number>();

  constructor(
    private readonly inner: Strategy,
    private readonly context: StrategyContext,
    private readonly options: HalvingOptions,
  ) {
    this.levels = rungs(options);
  }

  ask({ trials }: AskContext): Proposal {
    const promotion = this.promotion(trials);
    if (promotion !== undefined) return promotion;
    const first = trials.filter((t) => this.introduced.get(t.key) === this.rungOf(t));
    const p = this.inner.ask({ trials: first, running: first.filter((t) => t.state === 'RUNNING').length });
    if (p.kind === 'done' && trials.some((t) => t.state === 'RUNNING')) return { kind: 'wait' };
    if (p.kind !== 'propose') return p;
    const rung = Math.min(this.introduced.size % this.options.brackets, this.levels.length - 1);
    this.introduced.set(this.context.space.key(p.sample), rung);
    return { kind: 'propose', sample: p.sample, fidelity: this.fidelityAt(rung) };
  }

  /** A run's fidelity at rung k; with continuation, the schedule's epochs are the top rung's. */
  private fidelityAt(k: number): Record<string, number> {
    const at = { [this.options.fidelity]: this.levels[k] as number };
    const top = this.levels[this.levels.length - 1] as number;
    return this.continues && k < this.levels.length - 1 ? { ...at, scheduleEpochs: top } : at;
  }

  /** Whether promotions continue the promoted trial's training (epochs only: a data fraction has no state to continue). */
  private get continues(): boolean {
    return this.options.continuation && this.options.fidelity === 'epochs';
  }

  /** The inner strategy hears of the trial that introduced a sample, not of its promotions. */
  tell(trial: Trial): void {
    const at = this.introduced.get(trial.key);
    if (at === undefined || at === this.rungOf(trial)) this.inner.tell(trial);
  }

  snapshot(): Json {
    const state: State = { inner: this.inner.snapshot(), introduced: Object.fromEntries(this.introduced) };
    return state;
  }

  restore(json: Json): void {
    const s = json as State; // this strategy's own snapshot
    this.inner.restore(s.inner);
    this.introduced = new Map(Object.entries(s.introduced));
  }

  dispose(): void {
    this.inner.dispose?.();
  }

  /** The rung a trial ran at (-1 when its fidelity is none of the rungs'). */
  private rungOf(t: Trial): number {
    return this.levels.indexOf(t.fidelity?.[this.options.fidelity] ?? Number.NaN);
  }

  /** ASHA's get_job: from the highest rung down, a top-1/η trial of its rung not yet run at the next. */
  private promotion(trials: readonly Trial[]): Proposal | undefined {
    const objective = primary(this.context.objectives);
    const atRung = this.levels.map(() => new Set<string>());
    for (const t of trials) atRung[this.rungOf(t)]?.add(t.key);
    for (let k = this.levels.length - 2; k >= 0; k--) {
      const done = scoredTrials(
        trials.filter((t) => this.rungOf(t) === k),
        objective,
      ).sort((a, b) => b.score - a.score || a.trial.number - b.trial.number);
      const top = done.slice(0, Math.floor(done.length / this.options.eta));
      const next = top.find((s) => !(atRung[k + 1] as Set<string>).has(s.trial.key));
      if (next !== undefined)
        return {
          kind: 'propose',
          sample: next.trial.sample,
          fidelity: this.fidelityAt(k + 1),
          ...(this.continues ? { continues: next.trial.number } : {}),
        };
    }
    return undefined;
  }
}

/** Wraps any strategy in asynchronous successive halving (Hyperband with `brackets` > 1). */
export function withSuccessiveHalving(inner: Strategy, context: StrategyContext, options: HalvingOptions): Strategy {
  return new SuccessiveHalving(inner, context, options);
}
