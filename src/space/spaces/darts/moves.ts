import type { Rng } from '../../../core/rng.js';
import {
  CELLS,
  canonicalSample,
  type CellKind,
  type DartsConfig,
  type DartsEdge,
  type DartsSample,
} from './genotype.js';

/** A one-edge change: edge `edge` of `cell` gets another op or reads another state. */
interface Site {
  readonly cell: CellKind;
  readonly edge: number;
  readonly kind: 'op' | 'input';
}

/** The values a site can take besides its current one (an input never equals the other edge's). */
function alternatives(s: DartsSample, cfg: DartsConfig, site: Site): (string | number)[] {
  const edges = s[site.cell];
  const [op, input] = edges[site.edge] as DartsEdge;
  if (site.kind === 'op') return cfg.ops.filter((o) => o !== op);
  const other = (edges[site.edge ^ 1] as DartsEdge)[1];
  const states = 2 + Math.floor(site.edge / 2);
  return Array.from({ length: states }, (_, i) => i).filter((i) => i !== input && i !== other);
}

function apply(s: DartsSample, site: Site, value: string | number): DartsSample {
  const edges = [...s[site.cell]];
  const [op, input] = edges[site.edge] as DartsEdge;
  edges[site.edge] = site.kind === 'op' ? [value as string, input] : [op, value as number];
  return { normal: s.normal, reduce: s.reduce, [site.cell]: edges };
}

function sites(cfg: DartsConfig): Site[] {
  return CELLS.flatMap((cell) =>
    Array.from({ length: 2 * cfg.nodes }, (_, edge) =>
      (['op', 'input'] as const).map((kind): Site => ({ cell, edge, kind })),
    ).flat(),
  );
}

/** Every genotype one decision away: one edge's op, or the state one edge reads (the other edges kept as spelled). */
export function dartsNeighbours(s: DartsSample, cfg: DartsConfig): DartsSample[] {
  return sites(cfg).flatMap((site) => alternatives(s, cfg, site).map((v) => apply(s, site, v)));
}

/**
 * The op and hidden-state mutations of Real et al. 2019 ("Regularized evolution for image classifier
 * architecture search"): one edge of one node of one cell gets a new op or a new input state. The
 * (edge, kind) pair is uniform among those with an alternative, then the new value is uniform.
 */
export function dartsMutate(s: DartsSample, cfg: DartsConfig, rng: Rng): DartsSample {
  const open = sites(cfg).filter((site) => alternatives(s, cfg, site).length > 0);
  if (open.length === 0) throw new Error('the space has a single sample: nothing to mutate');
  const site = rng.choice(open);
  return apply(s, site, rng.choice(alternatives(s, cfg, site)));
}

/** Cell-wise crossover: the normal cell of one parent with the reduction cell of the other. */
export function dartsCrossover(a: DartsSample, b: DartsSample, rng: Rng): DartsSample {
  const [x, y] = rng.next() < 0.5 ? [a, b] : [b, a];
  return { normal: x.normal, reduce: y.reduce };
}

/** A uniformly random genotype, in canonical spelling: per node, two distinct states and an op for each. */
export function dartsSample(cfg: DartsConfig, rng: Rng): DartsSample {
  const cell = (): DartsEdge[] =>
    Array.from({ length: cfg.nodes }, (_, n) => {
      const states = n + 2;
      const a = rng.int(states);
      const b = (a + 1 + rng.int(states - 1)) % states;
      return [
        [rng.choice(cfg.ops), a],
        [rng.choice(cfg.ops), b],
      ] as DartsEdge[];
    }).flat();
  return canonicalSample({ normal: cell(), reduce: cell() });
}
