// Multi-objective ranking as in NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and elitist
// multiobjective genetic algorithm: NSGA-II"): fast non-dominated sorting (Sec. III-A) and crowding
// distance (Sec. III-B). Points are score vectors where larger is better in every coordinate.
import type { Trial } from '../core/trial.js';
import { scoresOf, type Objective } from './objective.js';

/** Whether `a` is at least as good as `b` everywhere and better somewhere (larger is better). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x < y) return false;
    if (x > y) better = true;
  }
  return better;
}

/** The fronts of `points` (indices), best first: front 0 is the non-dominated set. */
export function nonDominatedSort(points: readonly (readonly number[])[]): number[][] {
  const dominatedBy = points.map(() => [] as number[]);
  const count = points.map(() => 0);
  points.forEach((p, i) => {
    points.forEach((q, j) => {
      if (dominates(p, q)) dominatedBy[i]?.push(j);
      else if (dominates(q, p)) count[i] = (count[i] as number) + 1;
    });
  });
  const fronts: number[][] = [];
  let current = points.flatMap((_, i) => (count[i] === 0 ? [i] : []));
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominatedBy[i] as number[]) {
        count[j] = (count[j] as number) - 1;
        if (count[j] === 0) next.push(j);
      }
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/** Crowding distance of each member of one front (same order as `front`); boundary points get Infinity. */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): number[] {
  const distance = new Map<number, number>(front.map((i) => [i, 0]));
  const dims = (points[front[0] ?? 0] ?? []).length;
  for (let m = 0; m < dims; m++) {
    const sorted = [...front].sort((a, b) => (points[a]?.[m] as number) - (points[b]?.[m] as number) || a - b);
    const lo = points[sorted[0] as number]?.[m] as number;
    const hi = points[sorted[sorted.length - 1] as number]?.[m] as number;
    distance.set(sorted[0] as number, Infinity);
    distance.set(sorted[sorted.length - 1] as number, Infinity);
    if (hi === lo) continue;
    for (let k = 1; k < sorted.length - 1; k++) {
      const i = sorted[k] as number;
      const gap =
        ((points[sorted[k + 1] as number]?.[m] as number) - (points[sorted[k - 1] as number]?.[m] as number)) /
        (hi - lo);
      distance.set(i, (distance.get(i) as number) + gap);
    }
  }
  return front.map((i) => distance.get(i) as number);
}

/** Per point: its front (0 = non-dominated) and its crowding distance within that front. */
export function paretoRanks(points: readonly (readonly number[])[]): { rank: number[]; crowding: number[] } {
  const rank = points.map(() => 0);
  const crowding = points.map(() => 0);
  nonDominatedSort(points).forEach((front, r) => {
    const d = crowdingDistance(points, front);
    front.forEach((i, k) => {
      rank[i] = r;
      crowding[i] = d[k] as number;
    });
  });
  return { rank, crowding };
}

/** NSGA-II's crowded comparison: lower rank wins, then larger crowding distance. Negative when `a` is better. */
export function crowdedCompare(a: { rank: number; crowding: number }, b: { rank: number; crowding: number }): number {
  return a.rank - b.rank || (a.crowding === b.crowding ? 0 : a.crowding > b.crowding ? -1 : 1);
}

/** The non-dominated COMPLETE trials under `objectives` (trials missing a value are left out), by trial number. */
export function paretoFront(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  const scored = trials.flatMap((t) => {
    const s = scoresOf(t, objectives);
    return s === undefined ? [] : [{ t, s }];
  });
  const front = nonDominatedSort(scored.map((x) => x.s))[0] ?? [];
  return front.map((i) => (scored[i] as { t: Trial }).t).sort((a, b) => a.number - b.number);
}
