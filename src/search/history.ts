import type { Trial } from '../core/trial.js';
import type { Json } from '../core/arch.js';
import type { Rng } from '../core/rng.js';
import type { SearchSpace } from '../space/search-space.js';
import { scoreOf, type Objective } from './objective.js';
import type { Proposal } from './strategy.js';

/** A finished trial with a finite score on the primary objective (larger is better). */
export interface Scored {
  readonly trial: Trial;
  readonly score: number;
}

/** Keys of every trial so far, running and failed ones included (what de-duplication avoids). */
export function seenKeys(trials: readonly Trial[]): Set<string> {
  return new Set(trials.map((t) => t.key));
}

/** COMPLETE trials with a score, in the order they finished (finish time, then id). */
export function scoredTrials(trials: readonly Trial[], objective: Objective): Scored[] {
  const out: Scored[] = [];
  for (const trial of trials) {
    const score = scoreOf(trial, objective);
    if (score !== undefined) out.push({ trial, score });
  }
  return out.sort((a, b) => (a.trial.finishedAt ?? 0) - (b.trial.finishedAt ?? 0) || a.trial.id - b.trial.id);
}

/** The best score of each evaluated key. */
export function bestByKey(scored: readonly Scored[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const { trial, score } of scored) out.set(trial.key, Math.max(score, out.get(trial.key) ?? -Infinity));
  return out;
}

/** A uniformly random sample whose key is not in `seen`, or undefined after `draws` tries. */
export function freshSample(space: SearchSpace, rng: Rng, seen: ReadonlySet<string>, draws = 1000): Json | undefined {
  for (let i = 0; i < draws; i++) {
    const sample = space.sample(rng);
    if (!seen.has(space.key(sample))) return sample;
  }
  return undefined;
}

/** A proposal of a fresh sample ({@link freshSample}), or done when none was found. */
export function freshProposal(space: SearchSpace, rng: Rng, seen: ReadonlySet<string>): Proposal {
  const sample = freshSample(space, rng, seen);
  return sample === undefined
    ? { kind: 'done', why: 'no new architecture found: the space looks exhausted' }
    : { kind: 'propose', sample };
}

/** The sample of an index vector, or undefined when the space rejects it (decode throws or validate finds issues). */
export function tryDecode(space: SearchSpace, indices: readonly number[]): Json | undefined {
  let sample: Json;
  try {
    sample = space.decode(indices);
  } catch {
    return undefined;
  }
  return space.validate(sample).length === 0 ? sample : undefined;
}
