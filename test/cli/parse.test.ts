import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseJsonObject } from '../../src/cli/parse.js';

describe('parseJsonObject (nas bench --options, nas estimate --space-options)', () => {
  it('returns the object', () => {
    expect(parseJsonObject('{"populationSize":20,"selection":"pareto"}')).toEqual({
      populationSize: 20,
      selection: 'pareto',
    });
    expect(parseJsonObject('{}')).toEqual({});
  });

  it('refuses what is not JSON, and JSON that is not an object, naming what was given', () => {
    for (const given of ['{populationSize:20}', '[1]', 'null', '3', '"x"', '']) {
      expect(() => parseJsonObject(given)).toThrow(InvalidArgumentError);
      expect(() => parseJsonObject(given)).toThrow(`expected a JSON object, got "${given}"`);
    }
  });
});
