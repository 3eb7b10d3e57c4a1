// The queue's rules that need no Redis: what a worker refuses, job ids, queue URLs, error lines.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorLines } from '../../../src/run/queue/error-lines.js';
import { nasVersion, queueConnection, trialJobId, type QueueJob } from '../../../src/run/queue/protocol.js';
import { refusalOf } from '../../../src/run/queue/refusal.js';
import { datasetFingerprint } from '../../../src/run/worker/data-fingerprint.js';
import type { ExperimentConfig } from '../../../src/run/config.js';
import { testConfig } from '../helpers.js';

const tiny = { trainCount: 16, testCount: 8, height: 4, width: 4, channels: 1, classes: 2 };
const dataset = (options: ExperimentConfig['dataset']['options']): ExperimentConfig['dataset'] => ({
  name: 'synthetic',
  options,
  validationFraction: 0.25,
});

/** A queued trial on `data`, carrying the driver's version and fingerprint. */
function jobOf(data: ExperimentConfig['dataset'], fingerprint: string, version = nasVersion()): QueueJob {
  return {
    task: { version: 1, trialId: 1, number: 0, sample: {}, config: testConfig({ dataset: data }), seed: 1 },
    version,
    fingerprint,
  };
}

describe('what a worker refuses', () => {
  it('takes a job of its own nas version whose data set matches', async () => {
    expect(await refusalOf(jobOf(dataset(tiny), await datasetFingerprint(dataset(tiny))))).toBeUndefined();
  });

  it('refuses a job of another nas version, naming both', async () => {
    const fingerprint = await datasetFingerprint(dataset(tiny));
    expect(await refusalOf(jobOf(dataset(tiny), fingerprint, '0.0.0-other+q1'))).toBe(
      `the driver runs nas 0.0.0-other+q1, this worker ${nasVersion()}`,
    );
  });

  it("refuses a job whose data set's fingerprint differs from the one it loads here, naming both", async () => {
    const driverData = await datasetFingerprint(dataset({ ...tiny, seed: 99 }));
    const here = await datasetFingerprint(dataset(tiny));
    expect(driverData).not.toBe(here);
    expect(await refusalOf(jobOf(dataset(tiny), driverData))).toBe(
      `data set synthetic differs here (fingerprint ${here.slice(0, 19)}…, the driver's ${driverData.slice(0, 19)}…)`,
    );
  });

  it('refuses a job whose data set it cannot load, with the loader’s reason', async () => {
    const data: ExperimentConfig['dataset'] = {
      name: 'cifar10',
      options: { dir: '/nonexistent/cifar' },
      validationFraction: 0.1,
    };
    const refusal = await refusalOf(jobOf(data, 'sha256:driver'));
    expect(refusal).toMatch(/^cannot load data set cifar10 here: .*\/nonexistent\/cifar/);
  });
});

describe('the queue protocol', () => {
  it("names this nas as package.json's version and the queue protocol", async () => {
    const { version } = (await import('../../../package.json', { with: { type: 'json' } })).default;
    expect(nasVersion()).toBe(`${version}+q2`);
  });

  it('gives each trial of each experiment its own job id', () => {
    expect(trialJobId({ id: 3, createdAt: 1700000000000 }, 42)).toBe('e3-1700000000000-t42');
    expect(trialJobId({ id: 3, createdAt: 1700000000001 }, 42)).not.toBe(
      trialJobId({ id: 3, createdAt: 1700000000000 }, 42),
    );
  });

  it('takes redis:// and rediss:// URLs and names the field of any other', () => {
    expect(queueConnection('redis://q:6379', 'dispatch.queue')).toEqual({
      url: 'redis://q:6379',
      maxRetriesPerRequest: null,
    });
    expect(queueConnection('rediss://q:6380', '--queue').url).toBe('rediss://q:6380');
    expect(() => queueConnection('http://q:6379', '--queue')).toThrow(
      '--queue: expected a redis:// or rediss:// URL, got "http://q:6379"',
    );
    expect(() => queueConnection('q 6379', 'dispatch.queue')).toThrow(
      'dispatch.queue: expected a Redis URL such as redis://host:6379, got "q 6379"',
    );
  });
});

describe("a worker's connection errors", () => {
  afterEach(() => vi.useRealTimers());

  it('are written once in ten seconds per message, not once per reconnect', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const lines: string[] = [];
    const onError = errorLines('host:1', (line) => lines.push(line));
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    vi.setSystemTime(0);
    onError(refused);
    vi.setSystemTime(5000);
    onError(refused);
    onError(new Error('Connection is closed.'));
    vi.setSystemTime(10_000);
    onError(refused);
    expect(lines).toEqual([
      'host:1: connect ECONNREFUSED 127.0.0.1:6379 (Redis commands wait and go on when it is back)',
      'host:1: Connection is closed. (Redis commands wait and go on when it is back)',
      'host:1: connect ECONNREFUSED 127.0.0.1:6379 (Redis commands wait and go on when it is back)',
    ]);
  });
});
