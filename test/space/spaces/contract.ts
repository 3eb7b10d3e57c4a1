import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Shape } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { archKey } from '../../../src/space/key.js';
import type { SampleIssue, SearchSpace } from '../../../src/space/search-space.js';
import { assertArch } from '../../../src/space/validate.js';

/** Options of {@link describeSpaceContract}. */
export interface ContractOptions {
  /** Input shape for `assertArch(freeze(s))`; default [32, 32, 3]. */
  readonly inputShape?: Shape;
  /** Class count for `assertArch(freeze(s))`; default 10. */
  readonly classes?: number;
  /** fast-check runs per property; default 100. */
  readonly numRuns?: number;
  /** Extra values that must be rejected with issues (besides the generic garbage). */
  readonly garbage?: readonly unknown[];
  /**
   * Corrupt every leaf (string → unknown name, number → out of range, boolean → string) and every
   * array's length of a valid sample, one at a time, and expect issues for each; default true.
   * Turn it off for a space whose samples hold free values or variable-length lists.
   */
  readonly corrupt?: boolean;
}

const FC = { seed: 42 } as const;
const seedArb = fc.oneof(fc.integer(), fc.string());

/** The same JSON with object keys in reverse order at every depth. */
export function reverseKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as { readonly [key: string]: Json };
  return Object.fromEntries(
    Object.keys(obj)
      .reverse()
      .map((k) => [k, reverseKeys(obj[k] as Json)]),
  );
}

type Path = readonly (string | number)[];

function setAt(root: Json, path: Path, replace: (old: Json) => Json): Json {
  if (path.length === 0) return replace(root);
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((v, i) => (i === head ? setAt(v, rest, replace) : v));
  const obj = root as { readonly [key: string]: Json };
  return { ...obj, [head as string]: setAt(obj[head as string] as Json, rest, replace) };
}

/** One corrupted copy per leaf and per array of `sample`, labelled by where the damage is. */
export function corruptions(sample: Json): { where: string; value: Json }[] {
  const out: { where: string; value: Json }[] = [];
  const walk = (v: Json, path: Path): void => {
    const where = path.join('.') || '(root)';
    if (Array.isArray(v)) {
      if (v.length > 0) out.push({ where: `${where} (shorter)`, value: setAt(sample, path, () => v.slice(0, -1)) });
      out.push({ where: `${where} (longer)`, value: setAt(sample, path, () => [...v, v[v.length - 1] ?? null]) });
      v.forEach((item: Json, i: number) => walk(item, [...path, i]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    } else if (typeof v === 'string') {
      out.push({ where, value: setAt(sample, path, () => `${v}__not_a_choice`) });
    } else if (typeof v === 'number') {
      out.push({ where, value: setAt(sample, path, () => -1) });
      out.push({ where: `${where} (huge)`, value: setAt(sample, path, () => 1e9 + 0.5) });
    } else if (typeof v === 'boolean') {
      out.push({ where, value: setAt(sample, path, () => String(v)) });
    }
  };
  walk(sample, []);
  return out;
}

function expectLabelled(issues: readonly SampleIssue[], what: string): void {
  expect(issues.length, `validate(${what}) found no issue`).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(
      typeof issue.path === 'string' && issue.path.length > 0,
      `issue without a path for ${what}: ${JSON.stringify(issue)}`,
    ).toBe(true);
    expect(typeof issue.message === 'string' && issue.message.length > 0, `issue without a message for ${what}`).toBe(
      true,
    );
  }
}

const differingPositions = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((n, ai, i) => n + (ai === b[i] ? 0 : 1), 0) + Math.abs(a.length - b.length);

/**
 * The contract every search space passes (docs/conventions.md: *Samples are plain JSON*, *Keys are
 * canonical*, *One seed*, *One contract suite per interface*): seeded fast-check properties over
 * sample, mutate, neighbours, crossover, encode/decode, freeze, key, format/parse, validate, size.
 */
export function describeSpaceContract<S extends Json>(
  name: string,
  make: () => SearchSpace<S>,
  opts: ContractOptions = {},
): void {
  const numRuns = opts.numRuns ?? 100;
  const run = { ...FC, numRuns };
  const resolveOpts = { inputShape: opts.inputShape ?? [32, 32, 3], classes: opts.classes ?? 10 };
  let cached: SearchSpace<S> | undefined;
  const space = (): SearchSpace<S> => (cached ??= make());
  const draw = (seed: string | number): S => space().sample(new Rng(seed));

  describe(`search space contract: ${name}`, () => {
    it('size() is a positive bigint', () => {
      const size = space().size();
      expect(typeof size).toBe('bigint');
      expect(size > 0n).toBe(true);
    });

    it('sample() is always valid and encodes to one index per dimension', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const s = draw(seed);
          expect(space().validate(s)).toEqual([]);
          expect(space().encode(s).length).toBe(space().dimensions().length);
        }),
        run,
      );
    });

    it('same seed gives the same samples; another seed, other samples', () => {
      const keys = (seed: number): string => {
        const rng = new Rng(seed);
        return Array.from({ length: 8 }, () => space().key(space().sample(rng))).join('\n');
      };
      fc.assert(
        fc.property(fc.integer(), fc.integer(), (a, b) => {
          fc.pre(a !== b);
          expect(keys(a)).toBe(keys(a));
          expect(keys(a)).not.toBe(keys(b));
        }),
        run,
      );
    });

    it('mutate() stays valid and changes the key', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const rng = new Rng(seed);
          const s = space().sample(rng);
          const m = space().mutate(s, rng);
          expect(space().validate(m)).toEqual([]);
          expect(space().key(m)).not.toBe(space().key(s));
        }),
        run,
      );
    });

    it('neighbours() are valid and each differs in exactly one decision', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const s = draw(seed);
          const base = space().encode(s);
          const ns = space().neighbours(s);
          if (space().size() > 1n) expect(ns.length).toBeGreaterThan(0);
          for (const n of ns) {
            expect(space().validate(n)).toEqual([]);
            expect(differingPositions(space().encode(n), base)).toBe(1);
          }
        }),
        { ...run, numRuns: Math.max(1, Math.ceil(numRuns / 4)) },
      );
    });

    it('crossover() (when offered) gives valid children', () => {
      const cross = space().crossover?.bind(space());
      if (cross === undefined) return;
      fc.assert(
        fc.property(seedArb, seedArb, (a, b) => {
          const child = cross(draw(a), draw(b), new Rng(`${String(a)}/${String(b)}`));
          expect(space().validate(child)).toEqual([]);
        }),
        run,
      );
    });

    it('decode(encode(s)) keeps the key; encode(decode(i)) = i for valid index vectors', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const s = draw(seed);
          const i = space().encode(s);
          expect(space().key(space().decode(i))).toBe(space().key(s));
          expect(space().encode(space().decode(i))).toEqual(i);
        }),
        run,
      );
      const dims = space().dimensions();
      const vector = fc.tuple(...dims.map((d) => fc.nat(d.choices.length - 1)));
      let valid = 0;
      fc.assert(
        fc.property(vector, (i) => {
          let s: S;
          try {
            s = space().decode(i);
          } catch {
            return;
          }
          if (space().validate(s).length > 0) return;
          valid++;
          expect(space().encode(s)).toEqual(i);
        }),
        run,
      );
      expect(valid, 'no random in-range index vector decoded to a valid sample').toBeGreaterThan(0);
    });

    it('freeze() never throws on a valid sample and gives a resolvable architecture', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const arch = assertArch(space().freeze(draw(seed)), resolveOpts);
          expect(arch.nodes.length).toBeGreaterThan(0);
        }),
        run,
      );
    });

    it('key() ignores object key order at every depth and is a string', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const s = draw(seed);
          const k = space().key(s);
          expect(typeof k).toBe('string');
          expect(space().key(reverseKeys(s) as S)).toBe(k);
          expect(space().key(JSON.parse(JSON.stringify(s)) as S)).toBe(k);
        }),
        run,
      );
    });

    it('parse(format(s)) is the same sample (key, format and frozen architecture)', () => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const s = draw(seed);
          const text = space().format(s);
          const back = space().parse(text);
          expect(space().validate(back)).toEqual([]);
          expect(space().key(back)).toBe(space().key(s));
          expect(space().format(back)).toBe(text);
          expect(archKey(space().freeze(back))).toBe(archKey(space().freeze(s)));
        }),
        run,
      );
    });

    it('validate() returns labelled issues for garbage, never throws', () => {
      const s = draw('contract-garbage');
      const garbage: unknown[] = [
        null,
        undefined,
        {},
        [],
        42,
        'text',
        true,
        [[]],
        { sample: s },
        ...(opts.garbage ?? []),
      ];
      garbage.forEach((g, i) => expectLabelled(space().validate(g), `garbage[${i}] ${JSON.stringify(g)}`));
      if (opts.corrupt === false) return;
      const cases = corruptions(s);
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expectLabelled(space().validate(c.value), `sample corrupted at ${c.where}`);
    });
  });
}
