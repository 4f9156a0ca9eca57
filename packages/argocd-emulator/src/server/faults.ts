/** Fault injection settings (latency, jitter, error rate, down, slow operations). */

/** @public */
export interface Faults {
  /** Fixed latency added to every API response (ms). */
  latencyMs?: number;
  /** Extra random latency, uniform in [0, jitterMs] (ms). */
  jitterMs?: number;
  /** Fraction (0..1) of API requests answered with 503 Unavailable. */
  errorRate?: number;
  /** When true, every API connection is reset (as if the server were unreachable). */
  down?: boolean;
  /** Added to every operation's Running time (ms). */
  slowOperationsMs?: number;
}

/** Validates a faults object; throws a message naming the field. @public */
export function validateFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error('faults must be an object');
  }
  const f = input as Record<string, unknown>;
  const out: Faults = {};
  for (const k of ['latencyMs', 'jitterMs', 'slowOperationsMs'] as const) {
    if (f[k] === undefined) continue;
    if (
      typeof f[k] !== 'number' ||
      !Number.isFinite(f[k] as number) ||
      (f[k] as number) < 0
    ) {
      throw new Error(`faults.${k} must be a non-negative number`);
    }
    out[k] = f[k] as number;
  }
  if (f.errorRate !== undefined) {
    if (typeof f.errorRate !== 'number' || f.errorRate < 0 || f.errorRate > 1) {
      throw new Error('faults.errorRate must be a number between 0 and 1');
    }
    out.errorRate = f.errorRate;
  }
  if (f.down !== undefined) {
    if (typeof f.down !== 'boolean')
      throw new Error('faults.down must be a boolean');
    out.down = f.down;
  }
  const unknown = Object.keys(f).filter(
    k =>
      ![
        'latencyMs',
        'jitterMs',
        'errorRate',
        'down',
        'slowOperationsMs',
      ].includes(k),
  );
  if (unknown.length) throw new Error(`faults: unknown field ${unknown[0]}`);
  return out;
}
