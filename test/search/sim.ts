import type { Json } from '../../src/core/arch.js';
import { Rng } from '../../src/core/rng.js';
import type { Trial } from '../../src/core/trial.js';
import type { Proposal, Strategy } from '../../src/search/strategy.js';
import type { SearchSpace } from '../../src/space/search-space.js';
import { fakeAccuracy } from '../run/helpers.js';

/** How the simulated evaluator answers: fake accuracy and size from the key; every `failEvery`-th trial fails. */
export interface SimOptions {
  readonly concurrency: number;
  readonly failEvery?: number;
  readonly seed?: string;
}

/**
 * A search without a driver, for contract tests: up to `concurrency` trials run at once and finish in
 * a seeded random order (results out of order), each scored by a hash of its key (docs/conventions.md,
 * *Testable against a lookup*) with a second, independent figure as `cost.params`. Cloneable mid-run.
 */
export class Sim {
  trials: Trial[] = [];
  proposals: Json[] = [];
  answers: Proposal['kind'][] = [];
  private rng: Rng;
  private clock = 0;

  constructor(
    readonly space: SearchSpace,
    readonly o: SimOptions,
  ) {
    this.rng = new Rng(o.seed ?? 'sim');
  }

  get running(): Trial[] {
    return this.trials.filter((t) => t.state === 'RUNNING');
  }

  /** One ask while a worker is free (else one trial finishes); false once the strategy is done. */
  step(strategy: Strategy): boolean {
    if (this.running.length < this.o.concurrency) {
      const p = strategy.ask({ trials: [...this.trials], running: this.running.length });
      this.answers.push(p.kind);
      if (p.kind === 'done') return false;
      if (p.kind === 'wait' && this.running.length === 0)
        throw new Error('the strategy answered wait with no trial running');
      if (p.kind === 'propose') {
        this.proposals.push(p.sample);
        const n = this.trials.length;
        const fidelity = p.fidelity === undefined ? {} : { fidelity: p.fidelity };
        this.trials.push({
          id: 100 + n,
          number: n,
          sample: p.sample,
          key: this.space.key(p.sample),
          state: 'RUNNING',
          startedAt: this.clock++,
          ...fidelity,
          ...(p.continues === undefined ? {} : { continues: p.continues }),
        });
        return true;
      }
    }
    this.finishOne(strategy);
    return true;
  }

  run(strategy: Strategy, steps: number): this {
    for (let i = 0; i < steps && this.step(strategy); i++);
    return this;
  }

  /** Steps until `n` more proposals were made and every trial has finished (one at a time when concurrency is 1). */
  evaluate(strategy: Strategy, n: number): this {
    const target = this.proposals.length + n;
    while (this.proposals.length < target || this.running.length > 0) if (!this.step(strategy)) break;
    return this;
  }

  clone(): Sim {
    const copy = new Sim(this.space, this.o);
    Object.assign(copy, {
      trials: [...this.trials],
      proposals: [...this.proposals],
      answers: [...this.answers],
      clock: this.clock,
      rng: Rng.restore(this.rng.snapshot()),
    });
    return copy;
  }

  private finishOne(strategy: Strategy): void {
    const running = this.running;
    const t = running[this.rng.int(running.length)] as Trial;
    const finished =
      this.o.failEvery !== undefined && t.number % this.o.failEvery === this.o.failEvery - 1
        ? failed(t, this.clock++)
        : completed(t, this.clock++);
    this.trials = this.trials.map((x) => (x.id === t.id ? finished : x));
    strategy.tell(finished);
  }
}

/** The trial COMPLETE, scored by its key (validationAccuracy) with an independent second figure (cost.params). */
export function completed(t: Omit<Trial, 'state'>, at: number): Trial {
  const params = Math.round(fakeAccuracy(`size/${t.key}`) * 1e6);
  const cost = {
    params,
    paramsTotal: params,
    macs: params * 10,
    trainMemoryBytes: 1,
    inferenceMemoryBytes: 1,
    estimatedLatencyMs: 1,
  };
  return {
    ...t,
    state: 'COMPLETE',
    outcome: { metrics: { validationAccuracy: fakeAccuracy(t.key) }, cost, epochs: [], seconds: 0 },
    finishedAt: at,
  };
}

function failed(t: Trial, at: number): Trial {
  return { ...t, state: 'FAILED', reason: 'diverged', message: 'loss NaN', finishedAt: at };
}
