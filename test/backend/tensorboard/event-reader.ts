// An event-file reader written apart from src/backend/tensorboard, to check what it writes: its own
// CRC-32C (bit by bit, no table), TFRecord framing with both checksums unmasked and compared, and a
// general protobuf wire-format decoder that keeps every field it meets, so a field nobody expects
// shows up in `unknown`.
import { readFileSync } from 'node:fs';

/** CRC-32C, one bit at a time. */
export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc = (crc ^ byte) >>> 0;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? ((crc >>> 1) ^ 0x82f63b78) >>> 0 : crc >>> 1;
  }
  return ~crc >>> 0;
}

/** The CRC a masked CRC was made from: subtract the delta, rotate left by 15. */
export function unmask(masked: number): number {
  const rotated = (masked - 0xa282ead8) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** The records of a TFRecord file, each checked; `tail` counts the bytes of a torn last record. */
export function readRecords(bytes: Buffer): { records: Buffer[]; tail: number } {
  const records: Buffer[] = [];
  let at = 0;
  while (at + 12 <= bytes.length) {
    const header = bytes.subarray(at, at + 8);
    if (unmask(bytes.readUInt32LE(at + 8)) !== crc32cBitwise(header))
      throw new Error(`length CRC mismatch at byte ${at}`);
    const length = Number(header.readBigUInt64LE(0));
    const end = at + 12 + length + 4;
    if (end > bytes.length) break;
    const data = bytes.subarray(at + 12, at + 12 + length);
    if (unmask(bytes.readUInt32LE(at + 12 + length)) !== crc32cBitwise(data))
      throw new Error(`data CRC mismatch at byte ${at}`);
    records.push(data);
    at = end;
  }
  return { records, tail: bytes.length - at };
}

type Field =
  | { readonly field: number; readonly wire: 0; readonly value: bigint }
  | { readonly field: number; readonly wire: 1 | 2 | 5; readonly value: Buffer };

function readVarint(bytes: Buffer, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let at = start; at < bytes.length && shift < 70n; at++) {
    const byte = bytes[at] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
    shift += 7n;
  }
  throw new Error(`bad varint at byte ${start}`);
}

/** Every field of one message, in order. */
export function decodeFields(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    const field = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    at = key.next;
    if (wire === 0) {
      const v = readVarint(bytes, at);
      fields.push({ field, wire, value: v.value });
      at = v.next;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new Error(`field ${field} runs past the message`);
      fields.push({ field, wire, value: bytes.subarray(at, at + size) });
      at += size;
    } else if (wire === 2) {
      const len = readVarint(bytes, at);
      const end = len.next + Number(len.value);
      if (end > bytes.length) throw new Error(`field ${field} runs past the message`);
      fields.push({ field, wire, value: bytes.subarray(len.next, end) });
      at = end;
    } else {
      throw new Error(`wire type ${wire} of field ${field} is not expected here`);
    }
  }
  return fields;
}

export type Histogram = {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
};
export type Value = { tag: string; simpleValue?: number; histo?: Histogram };
export type Event = { wallTime: number; step: number; fileVersion?: string; values: Value[]; unknown: string[] };

function doubles(f: Field): number[] {
  if (f.wire === 1) return [f.value.readDoubleLE(0)];
  if (f.wire !== 2 || f.value.length % 8 !== 0) throw new Error(`field ${f.field}: not doubles`);
  return Array.from({ length: f.value.length / 8 }, (_, i) => f.value.readDoubleLE(8 * i));
}

function double(f: Field): number {
  if (f.wire !== 1) throw new Error(`field ${f.field}: wire type ${f.wire}, expected fixed64`);
  return f.value.readDoubleLE(0);
}

function decodeHistogram(bytes: Buffer, unknown: string[]): Histogram {
  const h: Histogram = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const scalars = ['min', 'max', 'num', 'sum', 'sumSquares'] as const;
  for (const f of decodeFields(bytes)) {
    const name = scalars[f.field - 1];
    if (name !== undefined) h[name] = double(f);
    else if (f.field === 6) h.bucketLimit.push(...doubles(f));
    else if (f.field === 7) h.bucket.push(...doubles(f));
    else unknown.push(`HistogramProto.${f.field}`);
  }
  return h;
}

function decodeValue(bytes: Buffer, unknown: string[]): Value {
  const v: Value = { tag: '' };
  for (const f of decodeFields(bytes)) {
    if (f.field === 1 && f.wire === 2) v.tag = f.value.toString('utf8');
    else if (f.field === 2 && f.wire === 5) v.simpleValue = f.value.readFloatLE(0);
    else if (f.field === 5 && f.wire === 2) v.histo = decodeHistogram(f.value, unknown);
    else unknown.push(`Summary.Value.${f.field}`);
  }
  return v;
}

/** One Event message (defaults where a field is absent, as protobuf has it). */
export function decodeEvent(bytes: Buffer): Event {
  const event: Event = { wallTime: 0, step: 0, values: [], unknown: [] };
  for (const f of decodeFields(bytes)) {
    if (f.field === 1) event.wallTime = double(f);
    else if (f.field === 2 && f.wire === 0) event.step = Number(BigInt.asIntN(64, f.value));
    else if (f.field === 3 && f.wire === 2) event.fileVersion = f.value.toString('utf8');
    else if (f.field === 5 && f.wire === 2) {
      for (const s of decodeFields(f.value)) {
        if (s.field === 1 && s.wire === 2) event.values.push(decodeValue(s.value, event.unknown));
        else event.unknown.push(`Summary.${s.field}`);
      }
    } else event.unknown.push(`Event.${f.field}`);
  }
  return event;
}

/** Every event of an event file, and the size of a torn tail. */
export function readEventFile(file: string): { events: Event[]; tail: number } {
  const { records, tail } = readRecords(readFileSync(file));
  return { events: records.map(decodeEvent), tail };
}
