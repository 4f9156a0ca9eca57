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
    /** Moves the clock by `ms`, firing each due timer at its own time, in order. */
    advance(ms: number) {
      const target = now + ms;
      const nextDue = () =>
        [...due]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      for (let due1 = nextDue(); due1; due1 = nextDue()) {
        const [id, t] = due1;
        now = t.at;
        due.delete(id);
        t.fn();
      }
      now = target;
    },
    now: () => now,
    get pending() {
      return due.size;
    },
  };
}

/**
 * A SignalsService that records what is published (backend-test-utils has no
 * signals mock); messages of the `aside` channels go to `asideMessages`.
 */
export function fakeSignals(
  options: { fail?: boolean; aside?: string[] } = {},
) {
  const published: SignalPayload[] = [];
  const asideMessages: SignalPayload[] = [];
  const service: SignalsService = {
    async publish<T extends JsonObject>(signal: SignalPayload<T>) {
      if (options.fail) throw new Error('events bus down');
      (options.aside?.includes(signal.channel)
        ? asideMessages
        : published
      ).push(signal as SignalPayload);
    },
  };
  return { service, published, asideMessages };
}
