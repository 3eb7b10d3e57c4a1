import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inkReporter } from '../../../../src/cli/ui/reporters/ink.js';
import { complete, EXPERIMENT_STARTED, finished, HEADER, plain, running, started } from '../fixtures.js';
import { FakeStdin, FakeStdout } from '../terminal.js';

function open() {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stops: string[] = [];
  const reporter = inkReporter({
    header: HEADER,
    onStop: (why) => stops.push(why),
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
  });
  return { stdout, stdin, stops, reporter };
}

async function keys(stdin: FakeStdin, ...typed: string[]): Promise<void> {
  await tick();
  for (const k of typed) {
    stdin.type(k);
    await tick();
  }
}

describe('inkReporter', () => {
  it('asks for a graceful stop on q (once), and to cancel on a later Ctrl-C', async () => {
    const { stdin, stops, reporter } = open();
    await keys(stdin, 'q', 'q', '\x03');
    await reporter.close();
    expect(stops).toEqual(['q pressed', 'Ctrl-C again']);
  });

  it('stops on the first Ctrl-C and cancels on the second', async () => {
    const { stdin, stops, reporter } = open();
    await keys(stdin, '\x03', '\x03');
    await reporter.close();
    expect(stops).toEqual(['Ctrl-C', 'Ctrl-C again']);
  });

  it('draws the events and leaves the final dashboard on the terminal', async () => {
    const { stdout, reporter } = open();
    for (const e of [
      EXPERIMENT_STARTED,
      started(running(0)),
      finished(complete(0, 0.75)),
      { type: 'stopping' as const, t: 12_000, why: 'q pressed' },
    ])
      reporter.emit(e);
    reporter.emit({
      type: 'experiment-finished',
      t: 13_000,
      experiment: 'nb201-c10',
      status: 'stopped',
      counts: { COMPLETE: 1 },
    });
    await reporter.close();
    const screen = plain(stdout.chunks.join(''));
    expect(screen).toContain('✓ #0  COMPLETE  in 10s  val acc 75.00%');
    expect(screen).toContain('nas · nb201-c10 stopped');
    expect(screen).toContain('stopped (q pressed) · continue with `nas resume`');
  });
});
