import type { Trial } from '../../core/trial.js';
import { scoreOf, scoresOf, type Objective } from '../../search/objective.js';
import { dominates } from '../../search/pareto.js';

/** Best first by the objective; ties go to the earlier trial. Both trials must have a value. */
export function compareTrials(objective: Objective): (a: Trial, b: Trial) => number {
  return (a, b) => (scoreOf(b, objective) ?? 0) - (scoreOf(a, objective) ?? 0) || a.number - b.number;
}

/** The front after `trial` joins it: unchanged if it is dominated, else it in and what it dominates out. */
export function paretoInsert(
  front: readonly Trial[],
  trial: Trial,
  objectives: readonly Objective[],
): readonly Trial[] {
  const scores = scoresOf(trial, objectives);
  if (scores === undefined) return front;
  const scoresOfMember = (t: Trial) => scoresOf(t, objectives) ?? [];
  if (front.some((p) => dominates(scoresOfMember(p), scores))) return front;
  const first = objectives[0];
  const kept = front.filter((p) => !dominates(scores, scoresOfMember(p)));
  return first === undefined ? [...kept, trial] : [...kept, trial].sort(compareTrials(first));
}
