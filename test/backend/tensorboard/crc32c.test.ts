import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../../src/backend/tensorboard/crc32c.js';
import { crc32cBitwise, unmask } from './event-reader.js';

// Known CRC-32C values: the classic check value, and the test vectors of iSCSI (RFC 3720, B.4).
const VECTORS: [string, Uint8Array, number][] = [
  ['"123456789"', Buffer.from('123456789', 'ascii'), 0xe3069283],
  ['no bytes', new Uint8Array(0), 0],
  ['32 zeros', new Uint8Array(32), 0x8a9136aa],
  ['32 × 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['0, 1, …, 31', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
  ['31, 30, …, 0', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
];

describe('CRC-32C', () => {
  it.each(VECTORS)('of %s is the known value (the writer and the test reader)', (_name, bytes, crc) => {
    expect(crc32c(bytes)).toBe(crc);
    expect(crc32cBitwise(bytes)).toBe(crc);
  });

  it('is the same bit by bit and by table on a longer buffer', () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 167 + (i >> 5)) & 0xff);
    expect(crc32c(bytes)).toBe(crc32cBitwise(bytes));
  });

  it('masks by rotating and adding the delta, which the reader undoes', () => {
    const bytes = Buffer.from('123456789', 'ascii');
    // 0xE3069283 rotated right by 15 is 0x2507C60D; plus 0xA282EAD8 (mod 2³²) is 0xC78AB0E5.
    expect(maskedCrc32c(bytes)).toBe(0xc78ab0e5);
    expect(unmask(maskedCrc32c(bytes))).toBe(0xe3069283);
    for (const [, b, crc] of VECTORS) expect(unmask(maskedCrc32c(b))).toBe(crc);
  });
});
