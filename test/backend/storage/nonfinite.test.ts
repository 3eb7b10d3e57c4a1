import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteReader, NonFiniteWriter } from '../../../src/backend/storage/nonfinite.js';

/** JSON-like values whose numbers include NaN and ±Infinity (-0 is written as 0, as JSON does). */
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double().map((x) => (Object.is(x, -0) ? 0 : x)),
    fc.constantFrom(Number.NaN, Infinity, -Infinity),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node')),
    fc.dictionary(fc.string(), tie('node'), { noNullPrototype: true }),
  ),
})).node;

describe('non-finite numbers beside their columns', () => {
  it('round-trips any JSON column value, NaN and ±Infinity included, through JSON text and the nonfinite column', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const w = new NonFiniteWriter();
        const texts = [w.json('a', a), w.json('b', b)] as [string, string];
        const r = new NonFiniteReader(w.column());
        expect(r.json('a', texts[0])).toStrictEqual(a);
        expect(r.json('b', texts[1])).toStrictEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('writes NULL for a non-finite REAL and records its kind; finite values and NULL pass through', () => {
    const w = new NonFiniteWriter();
    expect([w.real('x', Number.NaN), w.real('y', -Infinity), w.real('z', 2.5), w.real('u', undefined)]).toEqual([
      null,
      null,
      2.5,
      null,
    ]);
    const column = w.column();
    expect(JSON.parse(column!)).toEqual([
      ['NaN', 'x'],
      ['-Infinity', 'y'],
    ]);
    const r = new NonFiniteReader(column);
    expect([r.real('x', null), r.real('y', null), r.real('z', 2.5), r.real('u', null)]).toEqual([
      Number.NaN,
      -Infinity,
      2.5,
      null,
    ]);
  });

  it('leaves the nonfinite column NULL when every number is finite, and extends an existing one', () => {
    const w = new NonFiniteWriter();
    w.json('sample', { a: [1, 2], b: 'NaN' });
    expect(w.column()).toBeNull();
    const more = new NonFiniteWriter(JSON.stringify([['NaN', 'sample', 'a']]));
    more.real('seconds', Infinity);
    expect(JSON.parse(more.column()!)).toEqual([
      ['NaN', 'sample', 'a'],
      ['Infinity', 'seconds'],
    ]);
  });

  it('puts a number back under the key "__proto__" as an own member, not as the prototype', () => {
    const odd = JSON.parse('{"__proto__": 0}') as Record<string, number>;
    Object.defineProperty(odd, '__proto__', {
      value: Number.NaN,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const w = new NonFiniteWriter();
    const text = w.json('v', odd)!;
    const back = new NonFiniteReader(w.column()).json<object>('v', text);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toBeNaN();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });
});
