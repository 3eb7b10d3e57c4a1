// The few protobuf messages of an event file, encoded by hand (docs/tensorboard.md, *The format*):
//   Event          1 wall_time double, 2 step int64, 3 file_version string, 5 summary Summary
//   Summary        1 value repeated Summary.Value
//   Summary.Value  1 tag string, 2 simple_value float, 5 histo HistogramProto
//   HistogramProto 1 min, 2 max, 3 num, 4 sum, 5 sum_squares (double),
//                  6 bucket_limit, 7 bucket (repeated double, packed)

/** A histogram as TensorBoard stores it: `bucket[i]` counts the values up to `bucketLimit[i]`. */
export type HistogramProto = {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly bucketLimit: readonly number[];
  readonly bucket: readonly number[];
};

/** What every event file starts with. */
export const FILE_VERSION = 'brain.Event:2';

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** A message's fields, appended in order. */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  varint(field: number, n: number): this {
    return this.key(field, VARINT).raw(varint(n));
  }

  double(field: number, x: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return this.key(field, FIXED64).raw(b);
  }

  float(field: number, x: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(x);
    return this.key(field, FIXED32).raw(b);
  }

  bytes(field: number, data: Uint8Array): this {
    return this.key(field, LENGTH_DELIMITED).raw(varint(data.length)).raw(data);
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  packedDoubles(field: number, xs: readonly number[]): this {
    const b = Buffer.alloc(8 * xs.length);
    xs.forEach((x, i) => b.writeDoubleLE(x, 8 * i));
    return this.bytes(field, b);
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }

  private key(field: number, wireType: number): this {
    return this.raw(varint(field * 8 + wireType));
  }

  private raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return this;
  }
}

/** A non-negative integer up to 2⁵³ as a base-128 varint (arithmetic, not 32-bit shifts). */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function event(wallTime: number, step: number): ProtoWriter {
  return new ProtoWriter().double(1, wallTime).varint(2, step);
}

function summaryEvent(wallTime: number, step: number, value: ProtoWriter): Buffer {
  const summary = new ProtoWriter().bytes(1, value.finish());
  return event(wallTime, step).bytes(5, summary.finish()).finish();
}

/** The first event of a file: its format version. */
export function fileVersionEvent(wallTime: number): Buffer {
  return event(wallTime, 0).string(3, FILE_VERSION).finish();
}

/** A scalar (stored as float32, TensorBoard's `simple_value`). */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Buffer {
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).float(2, value));
}

export function histogramEvent(wallTime: number, step: number, tag: string, h: HistogramProto): Buffer {
  const histo = new ProtoWriter()
    .double(1, h.min)
    .double(2, h.max)
    .double(3, h.num)
    .double(4, h.sum)
    .double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimit)
    .packedDoubles(7, h.bucket);
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).bytes(5, histo.finish()));
}
