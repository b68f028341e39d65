/** A plain-text table: a header row, a rule, then rows; numbers right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(cellText));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[], raw: readonly Cell[] | null) =>
    cells
      .map((c, i) => {
        const width = widths[i] ?? c.length;
        const numeric = raw !== null && (typeof raw[i] === 'number' || raw[i] === null);
        return numeric ? c.padStart(width) : c.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(headers, null),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...text.map((row, r) => line(row, rows[r] ?? null)),
  ].join('\n');
}

export type Cell = string | number | null;

/** Numbers with up to 3 significant digits (thousands grouped), '-' for none. */
export function cellText(value: Cell): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '-';
  if (typeof value === 'string') return value;
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}
