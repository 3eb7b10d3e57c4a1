import { describe, expect, it } from 'vitest';
import type { ArchSpec } from '../../src/core/arch.js';
import { ArchError, UserError } from '../../src/core/errors.js';
import { assertArch, validateArch } from '../../src/space/index.js';
import { chain } from './helpers.js';

const only = (raw: unknown, opts = {}) => {
  const issues = validateArch(raw, opts);
  expect(issues).toHaveLength(1);
  return issues[0] ?? { path: '', message: '' };
};

describe('validateArch', () => {
  it('accepts a sound spec', () => {
    expect(validateArch(chain([8, 8, 3], { id: 'c', op: 'conv', filters: 4, kernel: 3 }))).toEqual([]);
  });

  it('unknown op', () => {
    const i = only(
      chain([8, 8, 3], { id: 'c', op: 'conv', filters: 4, kernel: 3 }, { id: 'x', op: 'convolution' } as never),
    );
    expect(i.path).toBe('nodes[1] (id "x").op');
    expect(i.message).toMatch(/unknown op "convolution"; expected one of .*conv/);
  });

  it('channel mismatch at an addition names both inputs and the channels', () => {
    const spec = chain(
      [8, 8, 3],
      { id: 'c', op: 'conv', filters: 4, kernel: 1 },
      { id: 'sum', op: 'add', inputs: ['input', 'c'] },
    );
    const i = only(spec);
    expect(i.path).toBe('nodes[1] (id "sum")');
    expect(i.message).toContain('input 2 ("c") has shape [8,8,4], expected [8,8,3]');
    expect(i.message).toContain('channel mismatch: 4 vs 3');
  });

  it('groups not dividing channels', () => {
    const i = only(chain([8, 8, 6], { id: 'g', op: 'conv', filters: 8, kernel: 3, groups: 4 }));
    expect(i.path).toBe('nodes[0] (id "g").groups');
    expect(i.message).toBe('groups 4 must divide the input channels, got 6 input channels');
  });

  it('a kernel larger than its (padded) input', () => {
    const i = only(chain([5, 9, 3], { id: 'k', op: 'conv', filters: 8, kernel: 7 }));
    expect(i.path).toBe('nodes[0] (id "k").kernel');
    expect(i.message).toBe('kernel height 7 is larger than the input height 5');
    const p = only(
      chain(
        [4, 4, 1],
        { id: 'p', op: 'maxpool', kernel: 3, stride: 1 },
        { id: 'q', op: 'maxpool', kernel: 3, padding: 0 },
      ),
    );
    expect(p.path).toBe('nodes[1] (id "q").kernel');
    expect(only(chain([3, 3, 1], { id: 'k', op: 'conv', filters: 1, kernel: 3, dilation: 2 })).message).toBe(
      'kernel height 3 (5 with dilation 2) is larger than the input height 3',
    );
    expect(only(chain([4, 9, 1], { id: 'k', op: 'conv', filters: 1, kernel: 7, padding: 1 })).message).toBe(
      'kernel height 7 is larger than the padded input height 6 (4 + 2 padding)',
    );
    expect(
      validateArch(chain([3, 3, 1], { id: 'k', op: 'conv', filters: 1, kernel: 3, dilation: 2, padding: 1 })),
    ).toEqual([]);
  });

  it('a cycle, with the nodes on it', () => {
    const spec: ArchSpec = {
      version: 1,
      input: { shape: [8, 8, 3] },
      nodes: [
        { id: 'a', op: 'conv', inputs: ['input'], filters: 3, kernel: 1 },
        { id: 'b', op: 'add', inputs: ['a', 'c'] },
        { id: 'c', op: 'act', inputs: ['b'], fn: 'relu' },
      ],
      output: 'c',
    };
    const i = only(spec);
    expect(i.path).toBe('nodes[1] (id "b")');
    expect(i.message).toBe('cycle "b" → "c" → "b"; expected an acyclic graph');
  });

  it('a dangling input', () => {
    const i = only(chain([8, 8, 3], { id: 'a', op: 'act', fn: 'relu', inputs: ['nope'] }));
    expect(i.path).toBe('nodes[0] (id "a").inputs[0]');
    expect(i.message).toBe('unknown input "nope"; expected "input" or the id of a node');
  });

  it('a dangling reference into a block names the block', () => {
    const spec = chain(
      [8, 8, 3],
      { id: 'b', op: 'basic', filters: 3 },
      { id: 'x', op: 'identity', inputs: ['b/nothing'] },
    );
    expect(only(spec).path).toBe('nodes[1] (id "x").inputs[0]');
  });

  it('duplicate ids, unknown and missing attributes, wrong arity, bad values — all at once', () => {
    const spec = {
      version: 1,
      input: { shape: [8, 8, 3] },
      nodes: [
        { id: 'a', op: 'conv', inputs: ['input'], filter: 4, kernel: 3 },
        { id: 'a', op: 'act', inputs: ['input'], fn: 'relu' },
        { id: 'b', op: 'add', inputs: ['input'] },
        { id: 'c', op: 'dropout', inputs: ['input'], rate: 1.5 },
      ],
      output: 'c',
    };
    const paths = validateArch(spec).map((i) => i.path);
    expect(paths).toEqual([
      'nodes[0] (id "a").filter',
      'nodes[0] (id "a").filters',
      'nodes[1] (id "a").id',
      'nodes[2] (id "b").inputs',
      'nodes[3] (id "c").rate',
    ]);
  });

  it('errors inside a block carry the block path and the part', () => {
    const i = only(chain([8, 8, 64], { id: 'x', op: 'bottleneck', filters: 128, width: 30, groups: 4 }));
    expect(i.path).toBe('nodes[0] (id "x") > x/conv2.groups');
  });

  it('a missing input shape or class count', () => {
    const spec = { ...chain([8, 8, 3], { id: 'g', op: 'gap' }, { id: 'fc', op: 'dense', units: 'classes' }) };
    expect(validateArch({ ...spec, input: {} })[0]?.path).toBe('input.shape');
    expect(only(spec).path).toBe('nodes[1] (id "fc").units');
    expect(validateArch(spec, { classes: 10 })).toEqual([]);
  });

  it('dense on a feature map suggests flatten or gap', () => {
    expect(only(chain([4, 4, 3], { id: 'fc', op: 'dense', units: 2 })).message).toMatch(/flatten or gap/);
  });

  it('does not cascade: nodes after a failed one are not reported', () => {
    const spec = chain(
      [8, 8, 6],
      { id: 'g', op: 'conv', filters: 8, kernel: 3, groups: 4 },
      { id: 'r', op: 'act', fn: 'relu' },
    );
    expect(validateArch(spec)).toHaveLength(1);
  });

  it('shared weights must come from an identical op on an equal input', () => {
    const spec = chain(
      [4, 4, 3],
      { id: 'g', op: 'gap' },
      { id: 'f1', op: 'dense', units: 2 },
      { id: 'f2', op: 'dense', units: 3, inputs: ['g'], weightsOf: 'f1' },
    );
    expect(only(spec).path).toBe('nodes[2] (id "f2").weightsOf');
  });
});

describe('assertArch', () => {
  it('throws an ArchError (a UserError) listing every issue with its path', () => {
    const spec = chain([8, 8, 6], { id: 'g', op: 'conv', filters: 8, kernel: 3, groups: 4 }, {
      id: 'x',
      op: 'bogus',
    } as never);
    let caught: unknown;
    try {
      assertArch(spec);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ArchError);
    expect(caught).toBeInstanceOf(UserError);
    const err = caught as ArchError;
    expect(err.code).toBe('ARCH');
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain('architecture is invalid (1 problem)');
    expect(err.message).toContain('nodes[1] (id "x").op: unknown op "bogus"');
  });
});
