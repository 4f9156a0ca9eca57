import type {
  SignalPayload,
  SignalsService,
} from '@backstage/plugin-signals-node';
import type { JsonObject } from '@backstage/types';

/** A hand-driven clock: timers fire only when the test advances it. */
export function manualTimers() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn: () => void, ms: number) => {
      const id = ++next;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id: unknown) => {
      due.delete(id as number);
    },
    advance(ms: number) {
      now += ms;
      for (;;) {
        const ready = [...due].filter(([, t]) => t.at <= now);
        if (!ready.length) return;
        for (const [id, t] of ready) {
          due.delete(id);
          t.fn();
        }
      }
    },
    now: () => now,
    get pending() {
      return due.size;
    },
  };
}

/** A SignalsService that records what is published (backend-test-utils has no signals mock). */
export function fakeSignals(options: { fail?: boolean } = {}) {
  const published: SignalPayload[] = [];
  const service: SignalsService = {
    async publish<T extends JsonObject>(signal: SignalPayload<T>) {
      if (options.fail) throw new Error('events bus down');
      published.push(signal as SignalPayload);
    },
  };
  return { service, published };
}
