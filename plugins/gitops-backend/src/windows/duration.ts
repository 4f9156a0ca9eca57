/**
 * Durations as Argo CD and our config write them: Go-style `12h`, `1h30m`,
 * `90s`, `250ms`, plus `d` (days) and `w` (weeks). No sign, no spaces.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/**
 * Parses a duration such as `12h`, `1h30m` or `0s` to milliseconds.
 *
 * @returns milliseconds, or undefined when the text is not a duration.
 * @internal
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text.length === 0) {
    return undefined;
  }
  if (text === '0') {
    return 0;
  }
  PART.lastIndex = 0;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) {
      return undefined;
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

/**
 * A short human form: `3 h`, `2 h 5 min`, `45 s`, `2 d 4 h`.
 *
 * @internal
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000);
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (s && !d && !h) parts.push(`${s} s`);
  return parts.join(' ') || '0 s';
}
