import { randomFillSync } from 'node:crypto';

const ID_BYTES = 9;
const IDS_PER_FILL = 512;

/**
 * Allocation ids (reported on /v1/status and in logs): 9 random bytes as 12 base64url characters.
 * The bytes come from a pool refilled 512 ids at a time, because one randomBytes call per
 * allocation cost more than everything else the id needs.
 */
export function allocationIdSource(): () => string {
  const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('base64url', offset, offset + ID_BYTES);
    offset += ID_BYTES;
    return id;
  };
}
