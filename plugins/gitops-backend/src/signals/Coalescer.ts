/** The timer functions the coalescer uses (injected so tests drive the clock). @internal */
export interface CoalescerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: CoalescerTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // never keeps the process alive
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: h => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Slot<T> {
  timer: unknown;
  pending?: T;
}

/**
 * At most one flush per key per window: the first value of a quiet key is
 * flushed at once (no added latency for a single event), the values that
 * arrive during the window are merged and flushed once when it ends, which
 * opens the next window. A key with nothing pending when its window ends is
 * forgotten, so memory holds only keys active in the last window.
 *
 * @internal
 */
export class Coalescer<T> {
  readonly #windowMs: number;
  readonly #merge: (pending: T, next: T) => T;
  readonly #flush: (key: string, value: T) => void;
  readonly #timers: CoalescerTimers;
  readonly #slots = new Map<string, Slot<T>>();
  #stopped = false;

  constructor(options: {
    windowMs: number;
    merge: (pending: T, next: T) => T;
    flush: (key: string, value: T) => void;
    timers?: CoalescerTimers;
  }) {
    this.#windowMs = options.windowMs;
    this.#merge = options.merge;
    this.#flush = options.flush;
    this.#timers = options.timers ?? realTimers;
  }

  push(key: string, value: T): void {
    if (this.#stopped) return;
    const slot = this.#slots.get(key);
    if (slot) {
      slot.pending =
        slot.pending === undefined ? value : this.#merge(slot.pending, value);
      return;
    }
    this.#slots.set(key, { timer: this.#startWindow(key) });
    this.#flush(key, value);
  }

  /** Keys with an open window (for tests and metrics). */
  get activeKeys(): number {
    return this.#slots.size;
  }

  /** Drops what is pending and every timer (backend shutdown). */
  stop(): void {
    this.#stopped = true;
    for (const slot of this.#slots.values())
      this.#timers.clearTimeout(slot.timer);
    this.#slots.clear();
  }

  #startWindow(key: string): unknown {
    return this.#timers.setTimeout(() => this.#endWindow(key), this.#windowMs);
  }

  #endWindow(key: string) {
    const slot = this.#slots.get(key);
    if (!slot) return;
    if (slot.pending === undefined) {
      this.#slots.delete(key);
      return;
    }
    const value = slot.pending;
    slot.pending = undefined;
    slot.timer = this.#startWindow(key);
    this.#flush(key, value);
  }
}
