// The test reader against TensorFlow's own event-file writer (tfjs-node's summaryFileWriter, native
// code): if the reader reads TensorFlow's bytes, its checks of our writer's bytes mean something.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { eventFileName } from '../../../src/backend/tensorboard/index.js';
import { tempDir } from '../storage/temp.js';
import { readEventFile } from './event-reader.js';

describe("TensorFlow's own event file, read by the test reader", () => {
  it('has the version record, then the scalars with both CRCs right, in a file named like ours', () => {
    const dir = tempDir('nas-tensorboard-');
    const before = Math.floor(Date.now() / 1000);
    const writer = loadTf().node.summaryFileWriter(dir);
    writer.scalar('loss/train', 0.1, 3);
    writer.scalar('lr', 0.05, 300); // a two-byte varint (tfjs takes int32 steps only)
    writer.flush();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const name = files[0] as string;
    // TensorFlow's name is ours (events.out.tfevents.<10-digit seconds>.<hostname>.<pid>) followed by
    // its writer's number in the process and the suffix, '.v2' here.
    const seconds = Number(/^events\.out\.tfevents\.(\d{10})\./.exec(name)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(name.startsWith(`${eventFileName(seconds)}.`)).toBe(true);
    expect(name.slice(eventFileName(seconds).length)).toMatch(/^\.\d+\.v2$/);

    const { events, tail } = readEventFile(path.join(dir, name));
    expect(tail).toBe(0);
    expect(events.map((e) => [e.step, e.fileVersion, e.values, e.unknown])).toEqual([
      // Event field 10 is TensorFlow's source_metadata (which program wrote the file); ours has none.
      [0, 'brain.Event:2', [], ['Event.10']],
      [3, undefined, [{ tag: 'loss/train', simpleValue: Math.fround(0.1) }], []],
      [300, undefined, [{ tag: 'lr', simpleValue: Math.fround(0.05) }], []],
    ]);
    for (const e of events) expect(e.wallTime).toBeGreaterThanOrEqual(before);
  });
});
