import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors.js';
import { chooseReporter } from '../../../../src/cli/ui/reporters/choose.js';

describe('chooseReporter', () => {
  const TERMINAL = { isTTY: true, env: { TERM: 'xterm-256color' } };
  const cases: [flag: string | undefined, isTTY: boolean, env: Record<string, string>, expected: string][] = [
    [undefined, true, { TERM: 'xterm-256color' }, 'dashboard'],
    ['auto', true, {}, 'dashboard'],
    [undefined, false, {}, 'json'],
    [undefined, true, { CI: 'true' }, 'json'],
    [undefined, true, { CI: '1' }, 'json'],
    [undefined, true, { CI: 'false' }, 'dashboard'],
    [undefined, true, { CI: '0' }, 'dashboard'],
    [undefined, true, { CI: '' }, 'dashboard'],
    [undefined, true, { TERM: 'dumb' }, 'plain'],
    ['plain', true, {}, 'plain'],
    ['json', true, {}, 'json'],
    ['plain', false, { CI: 'true' }, 'plain'],
    ['dashboard', false, { CI: 'true' }, 'dashboard'],
  ];

  it.each(cases)('flag %s, TTY %s, env %j → %s', (flag, isTTY, env, expected) => {
    expect(chooseReporter(flag, { isTTY, env })).toBe(expected);
  });

  it('names the known reporters when the flag names none', () => {
    expect(() => chooseReporter('fancy', TERMINAL)).toThrow(UserError);
    expect(() => chooseReporter('fancy', TERMINAL)).toThrow(
      'unknown reporter "fancy"; known: auto, dashboard, plain, json',
    );
  });
});
