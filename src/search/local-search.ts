// Local search (hill climbing with random restarts) over the space's one-decision neighbourhood, as
// in White, Nolen, Ramakrishnan & Neiswanger 2021, "Exploring the Loss Landscape in Neural
// Architecture Search" (UAI; NASLib's `LocalSearch`): start from the best of a few random samples,
// evaluate the neighbours in random order, move to a better one, restart at a local optimum.
import type { Json } from '../core/arch.js';
import { Rng, type RngState } from '../core/rng.js';
import type { Trial } from '../core/trial.js';
import { bestByKey, freshSample, scoredTrials, seenKeys } from './history.js';
import { primary } from './objective.js';
import { defineStrategy, type AskContext, type Proposal, type Strategy, type StrategyContext } from './strategy.js';

const options = {
  initialSamples: {
    type: 'integer',
    description: 'random samples evaluated before the first climb; the best one starts it',
    min: 1,
    default: 10,
  },
  move: {
    type: 'enum',
    description:
      'first: move as soon as a neighbour beats the current point; best: evaluate every neighbour, then move to the best',
    choices: ['first', 'best'],
    default: 'first',
  },
} as const;

type Options = { readonly initialSamples: number; readonly move: string };
type State = { rng: RngState; center: Json | null; queue: Json[]; initialLeft: number };

/** What one ask needs to know about the history, by key. */
type View = { seen: Set<string>; running: Set<string>; scores: Map<string, number>; samples: Map<string, Json> };

/** Local search with random restarts (White et al. 2021; NASLib); never evaluates an architecture twice. */
export class LocalSearch implements Strategy {
  private rng: Rng;
  private center: Json | null = null;
  private queue: Json[] = [];
  private initialLeft: number;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: Options,
  ) {
    this.rng = context.rng;
    this.initialLeft = options.initialSamples;
  }

  ask({ trials, running }: AskContext): Proposal {
    const view = this.view(trials);
    if (this.initialLeft > 0) {
      this.initialLeft--;
      return this.restart(view, false);
    }
    if (this.center === null) {
      if (running > 0) return { kind: 'wait' };
      const best = [...view.scores].sort((a, b) => b[1] - a[1])[0];
      if (best === undefined) return this.restart(view, true);
      this.moveTo(view.samples.get(best[0]) as Json);
    }
    for (;;) {
      const key = this.key(this.center as Json);
      const score = view.scores.get(key);
      if (score === undefined && !view.running.has(key)) return this.restart(view, true);
      const better = score === undefined ? undefined : this.bestNeighbour(view, score);
      if (better !== undefined && this.options.move === 'first') {
        this.moveTo(better);
        continue;
      }
      const next = this.nextUnseen(view.seen);
      if (next !== undefined) return { kind: 'propose', sample: next };
      if (view.running.has(key) || this.neighbourKeys().some((k) => view.running.has(k))) return { kind: 'wait' };
      if (better === undefined) return this.restart(view, true);
      this.moveTo(better);
    }
  }

  tell(): void {}

  snapshot(): Json {
    const state: State = {
      rng: this.rng.snapshot(),
      center: this.center,
      queue: this.queue,
      initialLeft: this.initialLeft,
    };
    return state;
  }

  restore(state: Json): void {
    const s = state as State; // this strategy's own snapshot
    this.rng = Rng.restore(s.rng);
    this.center = s.center;
    this.queue = [...s.queue];
    this.initialLeft = s.initialLeft;
  }

  private key(sample: Json): string {
    return this.context.space.key(sample);
  }

  private view(trials: readonly Trial[]): View {
    const scores = bestByKey(scoredTrials(trials, primary(this.context.objectives)));
    const running = new Set(trials.filter((t) => t.state === 'RUNNING').map((t) => t.key));
    return { seen: seenKeys(trials), running, scores, samples: new Map(trials.map((t) => [t.key, t.sample])) };
  }

  /** A random new sample; as the new center (a restart) when `climb`. */
  private restart(view: View, climb: boolean): Proposal {
    const sample = freshSample(this.context.space, this.rng, view.seen);
    if (sample === undefined) return { kind: 'done', why: 'no new architecture found: the space looks exhausted' };
    if (climb) this.moveTo(sample);
    return { kind: 'propose', sample };
  }

  private moveTo(sample: Json): void {
    this.center = sample;
    this.queue = this.rng.shuffle(this.context.space.neighbours(sample));
  }

  private neighbourKeys(): string[] {
    return this.context.space.neighbours(this.center as Json).map((n) => this.key(n));
  }

  /** The best evaluated neighbour of the center that beats `score`. */
  private bestNeighbour(view: View, score: number): Json | undefined {
    let best: string | undefined;
    for (const k of this.neighbourKeys()) {
      const s = view.scores.get(k);
      if (s !== undefined && s > (best === undefined ? score : (view.scores.get(best) as number))) best = k;
    }
    return best === undefined ? undefined : view.samples.get(best);
  }

  private nextUnseen(seen: ReadonlySet<string>): Json | undefined {
    while (this.queue.length > 0) {
      const next = this.queue.shift() as Json;
      if (!seen.has(this.key(next))) return next;
    }
    return undefined;
  }
}

/** Registry entry of local search. */
export const localSearch = defineStrategy({
  name: 'local-search',
  description:
    'hill climbing over one-decision neighbours with random restarts (White et al. 2021); a strong baseline on tabular benchmarks',
  options,
  create: (context, o) => new LocalSearch(context, o),
});
