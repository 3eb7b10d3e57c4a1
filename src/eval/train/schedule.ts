/**
 * Learning-rate schedules (design part 3.2), as pure functions of the step. `t` is the 0-based index
 * of the optimizer step the rate is used for; `T` is the number of steps of the whole run.
 *
 * - constant: lr.
 * - cosine annealing (Loshchilov & Hutter 2017, SGDR, eq. 5):
 *     lr_t = lr_min + ½(lr_max − lr_min)(1 + cos(π t / T_max)),
 *   after an optional linear warm-up of W steps from `warmupStart` (0 or lr_min): lr_t = s + (lr_max − s)·t/W
 *   for t < W; then t counts from W and T_max = T − W. With restarts, T_max is the current cycle's
 *   length T_i = T_0·T_mult^i and t the steps since that cycle began (warm restarts, SGDR).
 * - one-cycle (Smith 2018, "A disciplined approach to neural network hyper-parameters"; Smith &
 *   Topin 2019, "Super-convergence"), the design's three phases, with t1 = rise·T, t2 = (1 − final)·T:
 *     t < t1:       lr_min + (lr_max − lr_min)·t / t1                       (linear rise, first 30%)
 *     t1 ≤ t < t2:  lr_min + ½(lr_max − lr_min)(1 + cos(π (t − t1)/(t2 − t1)))  (cosine fall)
 *     t ≥ t2:       lr_min + (lr_min/100 − lr_min)·(t − t2)/(T − t2)          (final fall to lr_min/100)
 *
 * Every phase is evaluated at t / length with t < length, as PyTorch's CosineAnnealingLR does: the
 * last step of a phase runs just above the phase's end value, which the next phase starts from.
 */

/** A schedule in optimizer steps: what {@link lrAt} evaluates. {@link toStepSchedule} makes one from a config in epochs. */
export type StepSchedule =
  | { readonly kind: 'constant'; readonly lr: number }
  | {
      readonly kind: 'cosine';
      readonly lrMax: number;
      readonly lrMin: number;
      readonly warmupSteps: number;
      readonly warmupStart: number;
      /** SGDR warm restarts: first cycle T_0 steps, each next cycle T_mult times longer. */
      readonly restart?: { readonly t0: number; readonly tMult: number };
    }
  | {
      readonly kind: 'one-cycle';
      readonly lrMax: number;
      readonly lrMin: number;
      readonly rise: number;
      readonly final: number;
    };

/** A schedule as configured: lengths in epochs (fractions allowed), turned into steps per run. */
export type ScheduleConfig =
  | { readonly kind: 'constant'; readonly lr: number }
  | {
      readonly kind: 'cosine';
      readonly lrMax: number;
      /** Default 0. */
      readonly lrMin?: number;
      /** Linear warm-up length in epochs; default 0. */
      readonly warmupEpochs?: number;
      /** Warm-up starts at 0 (default) or at lrMin. */
      readonly warmupFrom?: 'zero' | 'min';
      /** SGDR warm restarts: first cycle t0Epochs long, each next one tMult (an integer ≥ 1, default 1) times longer. */
      readonly restart?: { readonly t0Epochs: number; readonly tMult?: number };
    }
  | {
      readonly kind: 'one-cycle';
      readonly lrMax: number;
      /** Start of the rise and end of the cosine fall; default lrMax / 25 (PyTorch OneCycleLR's div_factor). */
      readonly lrMin?: number;
      /** Fraction of the run spent rising; default 0.3 (design part 3.2). */
      readonly riseFraction?: number;
      /** Fraction at the end spent falling from lrMin to lrMin / 100; default 0.1. */
      readonly finalFraction?: number;
    };

/** The learning rate of step `step` (0-based) of a run of `totalSteps` steps. */
export function lrAt(step: number, totalSteps: number, schedule: StepSchedule): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.lr;
    case 'cosine':
      return cosineAt(step, totalSteps, schedule);
    case 'one-cycle':
      return oneCycleAt(step, totalSteps, schedule);
  }
}

/** lr_min + ½(lr_max − lr_min)(1 + cos(π t / T_max)): the design's formula. */
export function cosineAnnealing(t: number, tMax: number, lrMax: number, lrMin: number): number {
  return lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.cos((Math.PI * t) / tMax));
}

function cosineAt(step: number, totalSteps: number, s: Extract<StepSchedule, { kind: 'cosine' }>): number {
  if (step < s.warmupSteps) return s.warmupStart + ((s.lrMax - s.warmupStart) * step) / s.warmupSteps;
  let t = step - s.warmupSteps;
  if (s.restart === undefined) return cosineAnnealing(t, Math.max(1, totalSteps - s.warmupSteps), s.lrMax, s.lrMin);
  let cycle = s.restart.t0;
  while (t >= cycle) {
    t -= cycle;
    cycle *= s.restart.tMult;
  }
  return cosineAnnealing(t, cycle, s.lrMax, s.lrMin);
}

function oneCycleAt(step: number, totalSteps: number, s: Extract<StepSchedule, { kind: 'one-cycle' }>): number {
  const t1 = s.rise * totalSteps;
  const t2 = (1 - s.final) * totalSteps;
  if (step < t1) return s.lrMin + ((s.lrMax - s.lrMin) * step) / t1;
  if (step < t2) return cosineAnnealing(step - t1, t2 - t1, s.lrMax, s.lrMin);
  const end = s.lrMin / 100;
  return s.lrMin + ((end - s.lrMin) * (step - t2)) / (totalSteps - t2);
}

/** Fills in the defaults of a schedule config (docs/training.md). */
export function withScheduleDefaults(config: ScheduleConfig): ScheduleConfig {
  switch (config.kind) {
    case 'constant':
      return { kind: 'constant', lr: config.lr };
    case 'cosine': {
      const { lrMax, lrMin = 0, warmupEpochs = 0, warmupFrom = 'zero', restart } = config;
      const base = { kind: 'cosine', lrMax, lrMin, warmupEpochs, warmupFrom } as const;
      return restart === undefined
        ? base
        : { ...base, restart: { t0Epochs: restart.t0Epochs, tMult: restart.tMult ?? 1 } };
    }
    case 'one-cycle': {
      const { lrMax, lrMin = lrMax / 25, riseFraction = 0.3, finalFraction = 0.1 } = config;
      return { kind: 'one-cycle', lrMax, lrMin, riseFraction, finalFraction };
    }
    default:
      return config;
  }
}

/**
 * The step schedule of a config for a run with `stepsPerEpoch` steps per epoch: warm-up and SGDR
 * cycle lengths in epochs become whole steps (rounded, a cycle at least one step).
 */
export function toStepSchedule(config: ScheduleConfig, stepsPerEpoch: number): StepSchedule {
  const c = withScheduleDefaults(config);
  switch (c.kind) {
    case 'constant':
      return c;
    case 'cosine': {
      const lrMin = c.lrMin ?? 0;
      const warmupSteps = Math.round((c.warmupEpochs ?? 0) * stepsPerEpoch);
      const base = {
        kind: 'cosine',
        lrMax: c.lrMax,
        lrMin,
        warmupSteps,
        warmupStart: c.warmupFrom === 'min' ? lrMin : 0,
      } as const;
      if (c.restart === undefined) return base;
      return {
        ...base,
        restart: { t0: Math.max(1, Math.round(c.restart.t0Epochs * stepsPerEpoch)), tMult: c.restart.tMult ?? 1 },
      };
    }
    case 'one-cycle':
      return {
        kind: 'one-cycle',
        lrMax: c.lrMax,
        lrMin: c.lrMin ?? c.lrMax / 25,
        rise: c.riseFraction ?? 0.3,
        final: c.finalFraction ?? 0.1,
      };
  }
}
