import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors.js';
import { DARTS_V1, DARTS_V2, formatGenotype } from '../../../../src/space/spaces/darts/index.js';
import { darts } from './helpers.js';

const space = darts();

// DARTS_V2 as printed in genotypes.py of the paper's code.
const PAPER_V2 = `Genotype(
  normal=[
    ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),
    ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)
  ],
  normal_concat=[2, 3, 4, 5],
  reduce=[
    ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1),
    ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)
  ],
  reduce_concat=[2, 3, 4, 5]
)`;

const problems = (text: string): { path: string; message: string }[] => {
  try {
    space.parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('SAMPLE');
    return [...(e as Error).message.matchAll(/• ([^:]+): (.*)/g)].map((m) => ({
      path: m[1] ?? '',
      message: m[2] ?? '',
    }));
  }
  throw new Error(`parse accepted ${text}`);
};

describe('darts genotype text', () => {
  it("reads the paper's DARTS_V2 genotype, edges in the order written", () => {
    expect(space.parse(PAPER_V2)).toEqual(DARTS_V2);
    expect(space.validate(DARTS_V1)).toEqual([]);
  });

  it("writes the paper's form with range(2, 6) concats, and reads it back", () => {
    const text = formatGenotype(DARTS_V2);
    expect(text).toBe(
      "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), " +
        "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))",
    );
    expect(space.parse(text)).toEqual(DARTS_V2);
    expect(space.parse(formatGenotype(DARTS_V1))).toEqual(DARTS_V1);
  });

  it('reads double quotes, no concat fields, and the JSON form', () => {
    const quoted = formatGenotype(DARTS_V1)
      .replaceAll("'", '"')
      .replace(/, normal_concat=range\(2, 6\)|, reduce_concat=range\(2, 6\)/g, '');
    expect(space.parse(quoted)).toEqual(DARTS_V1);
    expect(space.format(DARTS_V2)).toBe(JSON.stringify(DARTS_V2));
    expect(space.parse(space.format(DARTS_V2))).toEqual(DARTS_V2);
  });

  it('rejects a concat that leaves a node out, naming the field', () => {
    expect(
      problems(formatGenotype(DARTS_V2).replace('normal_concat=range(2, 6)', 'normal_concat=range(2, 5)')),
    ).toEqual([
      {
        path: 'normal_concat',
        message: 'expected range(2, 6) (every intermediate node is concatenated), got range(2, 5)',
      },
    ]);
  });

  it('labels bad ops, bad inputs and wrong lengths with the decision labels', () => {
    const text = formatGenotype(DARTS_V2)
      .replace("('dil_conv_3x3', 2)", "('conv_9x9', 2)")
      .replace("('max_pool_3x3', 1), ('skip_connect', 2)", "('max_pool_3x3', 1), ('skip_connect', 7)");
    expect(problems(text).map((p) => p.path)).toEqual(['normal.node5.op1', 'reduce.node3.in0']);
    expect(problems(formatGenotype(DARTS_V2).replace("('sep_conv_3x3', 0), ", '')).map((p) => p.path)).toEqual([
      'normal',
    ]);
    expect(problems('Genotype(normal=[], reduce=[], extra=[])').map((p) => p.path)).toEqual([
      'extra',
      'normal',
      'reduce',
    ]);
    expect(problems('not a genotype').map((p) => p.path)).toEqual(['sample']);
    expect(problems('{"normal": [').map((p) => p.path)).toEqual(['sample']);
  });

  it('rejects none (relaxation only) and a node reading one state twice', () => {
    const bad = {
      normal: [['none', 0], ...DARTS_V2.normal.slice(1)],
      reduce: [['max_pool_3x3', 1], ...DARTS_V2.reduce.slice(1)],
    };
    expect(space.validate(bad)).toEqual([
      { path: 'normal.node2.op0', message: expect.stringContaining('"none" belongs to the relaxation only') },
      { path: 'reduce.node2.in1', message: 'expected a state other than in0 (1): a node reads two distinct states' },
    ]);
  });
});
