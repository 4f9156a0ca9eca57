import { act } from '@testing-library/react';
import type { SignalApi } from '@backstage/plugin-signals-react';
import type {
  GitOpsChangesSignal,
  GitOpsEntitySignal,
} from '@internal/plugin-gitops-common';

/** The signal API as the signals plugin provides it: subscribe per channel; the test pushes. */
export function fakeSignalApi() {
  const subs = new Map<string, Set<(m: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subs.get(channel) ?? new Set();
      set.add(onMessage as (m: any) => void);
      subs.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage as (m: any) => void) };
    },
  };
  // like the signals client: every message is a fresh object parsed from the socket
  const push = (
    channel: string,
    message: GitOpsEntitySignal | GitOpsChangesSignal,
  ) =>
    act(() =>
      subs.get(channel)?.forEach(fn => fn(JSON.parse(JSON.stringify(message)))),
    );
  return { api, push, subscribed: (c: string) => subs.get(c)?.size ?? 0 };
}
