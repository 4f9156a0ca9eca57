/** Percentiles, spread and table text of the benchmark's figures (pure). */

export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** min / median / max of the runs' values. */
export function spread(values: number[]): {
  min: number;
  median: number;
  max: number;
} {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: pct(s, 50), max: s[s.length - 1] };
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toFixed(digits);
}

export function fmtSpread(values: number[], digits = 1): string {
  const s = spread(values);
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(
    s.max,
    digits,
  )})`;
}

/** A text table: header row, then rows, columns padded to the widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.map(r => (r[c] ?? '').length)),
  );
  return rows
    .map(r =>
      r
        .map((cell, c) =>
          c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  '),
    )
    .join('\n');
}
