import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../../core/errors.js';

/** An IDX array of unsigned bytes: its dimensions (outermost first) and its values in row-major order. */
export type IdxArray = { readonly dims: readonly number[]; readonly data: Uint8Array };

const UBYTE = 0x08;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Parses an IDX file of unsigned bytes (LeCun's MNIST format: two zero bytes, a type byte, a
 * dimension count, big-endian uint32 dimensions, then the data). A gzipped file is inflated first.
 * `file` names the source in error messages.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const raw = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? new Uint8Array(gunzipSync(bytes)) : bytes;
  if (raw.length < 4) throw new DatasetError(`${file}: not an IDX file (${raw.length} bytes, shorter than the 4-byte magic number)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  const type = raw[2] as number;
  const rank = raw[3] as number;
  if (raw[0] !== 0 || raw[1] !== 0 || type !== UBYTE || rank === 0) {
    throw new DatasetError(`${file}: not an IDX file of unsigned bytes (magic number ${hex(magic)}, expected 0x000008NN with NN dimensions ≥ 1)`);
  }
  const headerSize = 4 + 4 * rank;
  if (raw.length < headerSize) {
    throw new DatasetError(`${file}: truncated IDX header (${raw.length} bytes, expected at least ${headerSize})`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = headerSize + dims.reduce((a, b) => a * b, 1);
  if (raw.length !== expected) {
    throw new DatasetError(
      `${file}: size ${raw.length.toLocaleString('en-US')} bytes does not match its header ` +
        `(dimensions ${dims.join('×')}: expected ${expected.toLocaleString('en-US')} bytes)`,
    );
  }
  return { dims, data: raw.subarray(headerSize) };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
