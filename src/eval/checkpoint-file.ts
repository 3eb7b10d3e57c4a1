// A checkpoint file: named float32 arrays with a JSON header. `NASCKPT1`, a little-endian uint32
// header length, the header (meta and the arrays' names, shapes and float offsets), then the float32
// data. Written to a temporary name and renamed, so a file is whole or absent. DARTS keeps a search's
// tensors in one (src/search/darts/state.ts); a trial keeps its training state in one at a rung
// (src/eval/train/train-state.ts).
import { open, readFile, rename } from 'node:fs/promises';
import type { Json } from '../core/arch.js';

const MAGIC = 'NASCKPT1';

/** One named float32 array and its shape. */
export type NamedArray = { readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array };

type Header = {
  readonly meta: Json;
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[]; readonly offset: number }[];
};

/** Writes `arrays` and `meta` to `file` atomically. */
export async function writeCheckpoint(file: string, meta: Json, arrays: readonly NamedArray[]): Promise<void> {
  let offset = 0;
  const tensors = arrays.map((a) => {
    const entry = { name: a.name, shape: [...a.shape], offset };
    offset += a.data.length;
    return entry;
  });
  const header = Buffer.from(JSON.stringify({ meta, tensors } satisfies Header), 'utf8');
  // Floats start on a 4-byte boundary so they can be read as a Float32Array view.
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  const prefix = Buffer.alloc(MAGIC.length + 4 + header.length + pad, 0x20);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length + pad, MAGIC.length);
  header.copy(prefix, MAGIC.length + 4);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.write(prefix);
    for (const a of arrays) await handle.write(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

/** Reads a checkpoint written by {@link writeCheckpoint}; a damaged file is an error naming it. */
export async function readCheckpoint(file: string): Promise<{ meta: Json; arrays: Map<string, NamedArray> }> {
  const bytes = await readFile(file);
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new Error(`${file} is not a nas checkpoint`);
  const length = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + length;
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, start)) as Header;
  const floats = (bytes.length - start) / 4;
  const arrays = new Map<string, NamedArray>();
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.offset + size > floats) throw new Error(`${file} is truncated: tensor "${t.name}" ends past the data`);
    const data = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + start + 4 * t.offset, bytes.byteOffset + start + 4 * (t.offset + size)),
    );
    arrays.set(t.name, { name: t.name, shape: t.shape, data });
  }
  return { meta: header.meta, arrays };
}
