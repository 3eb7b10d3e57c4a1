// "Choice of base architecture": the reference network (src/space/reference) a found architecture is
// nearest to, by a documented distance over five design features (docs/cli.md, `nas review`).
import type { Shape } from '../../core/arch.js';
import { ArchError } from '../../core/errors.js';
import { costOf } from '../../space/cost/index.js';
import { references } from '../../space/reference/index.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { assertArch } from '../../space/validate.js';
import { graphFacts, type BlockKind } from './graph-facts.js';
import { halvings, resolutionPlan } from './resolution.js';

/** What the distance compares. */
export interface DesignFeatures {
  readonly kind: BlockKind;
  /** 'none', 'se', 'cbam' or 'se+cbam'. */
  readonly attention: string;
  readonly depth: number;
  readonly additions: number;
  /** log2 of the input side over the last feature map's side. */
  readonly halvings: number;
}

/** A reference network's features at the trial's input shape and class count. */
export interface ReferenceFeatures {
  readonly name: string;
  readonly summary: string;
  readonly features: DesignFeatures;
}

export interface NearestReference {
  readonly name: string;
  readonly summary: string;
  readonly distance: number;
  readonly trial: DesignFeatures;
  readonly reference: DesignFeatures;
  /** Every reference that resolves at this input shape, nearest first. */
  readonly ranking: readonly { readonly name: string; readonly distance: number }[];
}

export function designFeatures(arch: ResolvedArch): DesignFeatures {
  const facts = graphFacts(arch);
  const attention = (['se', 'cbam'] as const).filter((k) => facts.attention[k] > 0).join('+') || 'none';
  return {
    kind: facts.kind,
    attention,
    depth: facts.depth,
    additions: facts.additions,
    halvings: halvings(resolutionPlan(costOf(arch, { batch: 1 }).layers)),
  };
}

/** The reference networks built for this input shape and class count; those that do not fit it (VGG's five pools on a small image) are left out. */
export function referenceFeatures(inputShape: Shape, classes: number): ReferenceFeatures[] {
  return Object.values(references).flatMap((r) => {
    try {
      return [
        {
          name: r.name,
          summary: r.summary,
          features: designFeatures(assertArch(r.build({ inputShape, classes }), { inputShape, classes })),
        },
      ];
    } catch (error) {
      if (error instanceof ArchError) return [];
      throw error;
    }
  });
}

/** |a − b| / max(a, b), 0 when both are 0: a relative difference in [0, 1]. */
const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/**
 * The distance in [0, 5]: 1 for another block kind, 1 for other attention, plus the relative
 * differences of depth, feature-map additions and halvings (each in [0, 1]).
 */
export function featureDistance(a: DesignFeatures, b: DesignFeatures): number {
  return (
    (a.kind === b.kind ? 0 : 1) +
    (a.attention === b.attention ? 0 : 1) +
    relative(a.depth, b.depth) +
    relative(a.additions, b.additions) +
    relative(a.halvings, b.halvings)
  );
}

/** The nearest of `candidates` (ties: the registry's order), or null when none fits the input. */
export function nearestReference(
  trial: DesignFeatures,
  candidates: readonly ReferenceFeatures[],
): NearestReference | null {
  const ranked = candidates
    .map((c) => ({ c, distance: featureDistance(trial, c.features) }))
    .sort((x, y) => x.distance - y.distance);
  const best = ranked[0];
  if (best === undefined) return null;
  return {
    name: best.c.name,
    summary: best.c.summary,
    distance: best.distance,
    trial,
    reference: best.c.features,
    ranking: ranked.map((r) => ({ name: r.c.name, distance: r.distance })),
  };
}
