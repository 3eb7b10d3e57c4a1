// TFRecord framing, the container of TensorFlow event files: per record its length (uint64, little
// endian), the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
import { maskedCrc32c } from './crc32c.js';

/** One record, framed: 8 + 4 + data + 4 bytes. */
export function tfRecord(data: Uint8Array): Buffer {
  const record = Buffer.alloc(data.length + 16);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskedCrc32c(record.subarray(0, 8)), 8);
  record.set(data, 12);
  record.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return record;
}
