/**
 * The partition of an evidence subject (a canonical identifier key): FNV-1a over its UTF-16 code
 * units, modulo `partitions`. Stable across processes and releases, since every aggregator must
 * agree on it: changing the function or CAIRN_PARTITIONS while jobs are queued would let two
 * partitions write one person's buckets at once, so both change only with the pipeline drained.
 */
export function partitionOf(subject: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  let hash = 0x811c9dc5;
  for (let i = 0; i < subject.length; i++) {
    hash ^= subject.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
