// REINFORCE (Williams 1992) on the controller RNN, as in Zoph & Le 2017 (Sec. 3.2: batch of m
// architectures per update, exponential moving average baseline) and ENAS (Pham et al. 2018:
// entropy bonus, temperature and tanh logit clipping, uniform [−0.1, 0.1] initialisation, Adam).
import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { Json } from '../../core/arch.js';
import { Rng, type RngState } from '../../core/rng.js';
import { CUT_SHORT, type Trial } from '../../core/trial.js';
import { bestByKey, freshProposal, scoredTrials, seenKeys, tryDecode } from '../history.js';
import { primary } from '../objective.js';
import type { AskContext, Proposal, Strategy, StrategyContext } from '../strategy.js';
import { Adam, toNumbers, type AdamState } from './adam.js';
import { Controller, parameterShapes, type ControllerShape } from './controller.js';

/** The resolved options of REINFORCE (see ./index.ts for their meaning and defaults). */
export interface ReinforceOptions {
  readonly batchSize: number;
  readonly hidden: number;
  readonly learningRate: number;
  readonly baselineDecay: number;
  readonly entropyWeight: number;
  readonly temperature: number;
  readonly tanhConstant: number;
  readonly normalize: boolean;
  readonly dedupe: boolean;
}

/** A member of the current batch: its decisions, the key it decodes to, and its reward once known. */
type Entry = { actions: number[]; key: string; reward: number | null; failed: boolean };

type State = {
  rng: RngState;
  weights: number[][];
  adam: AdamState | null;
  baseline: number | null;
  variance: number;
  batch: Entry[];
  drawn: number[][];
  updates: number;
};

/** Controller draws per ask, in batches, before falling back to a random new sample (all known or invalid). */
const MAX_DRAWS = 100;

/** REINFORCE with an LSTM controller (Zoph & Le 2017; ENAS, Pham et al. 2018) on the native TensorFlow backend. */
export class Reinforce implements Strategy {
  private rng: Rng;
  private readonly shape: ControllerShape;
  /** The controller and its optimizer, made on first use (so that building the strategy, e.g. to check a config, loads no TensorFlow). */
  private net: { controller: Controller; adam: Adam } | undefined;
  /** Weights and optimizer state the net starts from (initial or restored). */
  private start: { weights: Float32Array[]; adam: AdamState | null };
  private baseline: number | null = null;
  private variance = 1;
  private batch: Entry[] = [];
  /** Sequences drawn from the current policy, not yet used (a batch is drawn in one pass). */
  private drawn: number[][] = [];
  private updates = 0;

  constructor(
    private readonly context: StrategyContext,
    private readonly options: ReinforceOptions,
  ) {
    this.rng = context.rng;
    this.shape = {
      choices: context.space.dimensions().map((d) => d.choices.length),
      hidden: options.hidden,
      temperature: options.temperature,
      tanhConstant: options.tanhConstant,
    };
    this.start = { weights: Controller.initialValues(this.shape, this.rng), adam: null };
  }

  ask({ trials, running }: AskContext): Proposal {
    const scores = bestByKey(scoredTrials(trials, primary(this.context.objectives)));
    const seen = seenKeys(trials);
    const runningKeys = new Set(trials.filter((t) => t.state === 'RUNNING').map((t) => t.key));
    this.resolve(scores, runningKeys);
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      if (this.batch.length >= this.options.batchSize) {
        if (this.batch.some((e) => e.reward === null && !e.failed))
          return running > 0 ? { kind: 'wait' } : this.fallback(seen);
        this.update();
      }
      if (this.drawn.length === 0)
        this.drawn = this.model().controller.sample(this.rng, this.options.batchSize - this.batch.length);
      const actions = this.drawn.shift() as number[];
      const sample = tryDecode(this.context.space, actions);
      if (sample === undefined) continue;
      const key = this.context.space.key(sample);
      if (this.options.dedupe && seen.has(key)) {
        // NOTE(deviation): an architecture already tried is not run again: its known reward joins the batch (or, still running, its coming one).
        const known = scores.get(key);
        if (known !== undefined || runningKeys.has(key))
          this.batch.push({ actions, key, reward: known ?? null, failed: false });
        continue;
      }
      this.batch.push({ actions, key, reward: null, failed: false });
      return { kind: 'propose', sample };
    }
    return this.fallback(seen);
  }

  /**
   * A finished trial's reward goes to the batch members that decoded to it; a failed or PRUNED trial's
   * members leave the batch without a reward (docs/strategies.md, *Pruners*); a cut-short one's wait for its re-run.
   */
  tell(trial: Trial): void {
    const score = scoredTrials([trial], primary(this.context.objectives))[0]?.score;
    for (const e of this.batch) {
      if (e.key !== trial.key || e.reward !== null) continue;
      if (score !== undefined) e.reward = score;
      else if (trial.state !== 'RUNNING' && !(trial.reason !== undefined && CUT_SHORT.has(trial.reason)))
        e.failed = true;
    }
  }

  snapshot(): Json {
    const state: State = {
      rng: this.rng.snapshot(),
      weights:
        this.net?.controller.params.map(toNumbers) ??
        this.start.weights.map((w) => Array.from(w, (x) => Number(x.toPrecision(9)))),
      adam: this.net?.adam.state() ?? this.start.adam,
      baseline: this.baseline,
      variance: this.variance,
      batch: this.batch,
      drawn: this.drawn,
      updates: this.updates,
    };
    return state;
  }

  restore(json: Json): void {
    const s = json as State; // this strategy's own snapshot
    this.dispose();
    this.start = { weights: s.weights.map((w) => Float32Array.from(w)), adam: s.adam };
    this.rng = Rng.restore(s.rng);
    this.baseline = s.baseline;
    this.variance = s.variance;
    this.batch = s.batch.map((e) => ({ ...e, actions: [...e.actions] }));
    this.drawn = s.drawn.map((a) => [...a]);
    this.updates = s.updates;
  }

  dispose(): void {
    this.net?.controller.dispose();
    this.net?.adam.dispose();
    this.net = undefined;
  }

  private model(): { controller: Controller; adam: Adam } {
    if (this.net === undefined) {
      const adam = new Adam(this.options.learningRate, parameterShapes(this.shape));
      if (this.start.adam !== null) adam.load(this.start.adam);
      this.net = { controller: new Controller(this.shape, this.start.weights), adam };
    }
    return this.net;
  }

  /** Members still waiting take their reward from the history; those neither scored nor running will never get one. */
  private resolve(scores: ReadonlyMap<string, number>, running: ReadonlySet<string>): void {
    for (const e of this.batch) {
      if (e.reward !== null || e.failed) continue;
      const known = scores.get(e.key);
      if (known !== undefined) e.reward = known;
      else if (!running.has(e.key)) e.failed = true;
    }
  }

  /** NOTE(deviation): when the controller keeps drawing known or invalid architectures, a random new one (not trained on). */
  private fallback(seen: ReadonlySet<string>): Proposal {
    return freshProposal(this.context.space, this.rng, seen);
  }

  /** One REINFORCE step on the batch: advantages against the EMA baseline, entropy bonus, Adam. */
  private update(): void {
    const done = this.batch.filter((e) => e.reward !== null) as (Entry & { reward: number })[];
    this.batch = [];
    this.drawn = [];
    if (done.length === 0) return;
    const rewards = done.map((e) => e.reward);
    const b = this.baseline ?? rewards.reduce((a, r) => a + r, 0) / rewards.length;
    let advantages = rewards.map((r) => r - b);
    if (this.options.normalize) {
      const meanSquare = advantages.reduce((a, x) => a + x * x, 0) / advantages.length;
      this.variance =
        this.baseline === null
          ? meanSquare
          : this.options.baselineDecay * this.variance + (1 - this.options.baselineDecay) * meanSquare;
      advantages = advantages.map((a) => a / (Math.sqrt(this.variance) + 1e-8));
    }
    let baseline = b;
    for (const r of rewards) baseline = this.options.baselineDecay * baseline + (1 - this.options.baselineDecay) * r;
    this.baseline = baseline;
    this.step(
      done.map((e) => e.actions),
      advantages,
    );
    this.updates++;
  }

  private step(actions: number[][], advantages: number[]): void {
    const tf = loadTf();
    const { controller, adam } = this.model();
    const grads = tf.tidy(() => {
      const adv = tf.tensor1d(advantages);
      const loss = (...params: Tensor[]) => {
        const { logp, entropy } = controller.logProbAndEntropy(params, actions);
        return tf.neg(
          tf.add(tf.mean(tf.mul(adv, logp)), tf.mul(tf.mean(entropy), this.options.entropyWeight)),
        ) as Tensor;
      };
      return tf.valueAndGrads(loss)(controller.params).grads;
    });
    controller.params = adam.apply(controller.params, grads);
    tf.dispose(grads);
  }
}
