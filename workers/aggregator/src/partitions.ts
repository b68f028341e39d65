/**
 * Which partitions a worker process consumes: "all", or a comma-separated list of numbers and
 * ranges ("0-3,6"). Throws a RangeError naming the problem for a partition outside [0, total).
 */
export function parsePartitions(spec: string | undefined, total: number): number[] {
  if (spec === undefined || spec === 'all') return Array.from({ length: total }, (_, i) => i);
  const chosen = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (
      from === undefined ||
      to === undefined ||
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from > to
    ) {
      throw new RangeError(`bad partition range "${part}"`);
    }
    if (to >= total) {
      throw new RangeError(`partition ${to} does not exist: CAIRN_PARTITIONS is ${total}`);
    }
    for (let p = from; p <= to; p++) chosen.add(p);
  }
  return [...chosen].sort((a, b) => a - b);
}
