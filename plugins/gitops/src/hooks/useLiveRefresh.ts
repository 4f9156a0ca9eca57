import { useEffect, useRef } from 'react';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import type {
  GitOpsChangesSignal,
  GitOpsEntitySignal,
} from '@internal/plugin-gitops-common';

/** Poll interval when live updates (Backstage signals) are unavailable or turned off. */
export const FALLBACK_POLL_MS = 30_000;

/** Messages within this many ms of a refresh cause at most one more refresh. */
export const COALESCE_MS = 250;

/** The messages the GitOps backend publishes. */
export type GitOpsSignal = GitOpsEntitySignal | GitOpsChangesSignal;

export interface LiveRefreshOptions<T extends GitOpsSignal> {
  /** Only messages this accepts trigger a refresh (default: every message). */
  accept?: (message: T) => boolean;
  /** Whether the fallback poll runs at all (default true), e.g. only while something runs. */
  poll?: boolean;
}

/**
 * Refreshes on every live update of `channel` (a Backstage signal from the
 * GitOps backend: it only says "look again", the refresh reads through the
 * authorized API). When signals are not available (the app has no signals
 * plugin) or `gitops.signals.enabled` is false, polls every
 * {@link FALLBACK_POLL_MS} instead. Returns whether updates are pushed.
 */
export function useLiveRefresh<T extends GitOpsSignal>(
  channel: string,
  refresh: () => void,
  options: LiveRefreshOptions<T> = {},
): { pushed: boolean } {
  const config = useApi(configApiRef);
  const enabled = config.getOptionalBoolean('gitops.signals.enabled') ?? true;
  const { lastSignal, isSignalsAvailable } = useSignal<T>(channel);
  const pushed = enabled && isSignalsAvailable;
  // the latest callbacks, without resubscribing when they change
  const latest = useRef({ refresh, accept: options.accept });
  latest.current = { refresh, accept: options.accept };

  // Messages that arrive together are one refresh: the first at once, the
  // rest at most one more, COALESCE_MS later (every replica's mirror sees an
  // Argo CD change and signals it, so with N replicas one change arrives N
  // times within milliseconds).
  const coalesce = useRef<{
    last: number;
    timer?: ReturnType<typeof setTimeout>;
  }>({ last: -Infinity });
  useEffect(() => {
    if (!pushed || !lastSignal) return;
    const { accept } = latest.current;
    if (accept && !accept(lastSignal)) return;
    const c = coalesce.current;
    if (c.timer) return; // a refresh is already due and will read this too
    const wait = c.last + COALESCE_MS - Date.now();
    const run = () => {
      c.timer = undefined;
      c.last = Date.now();
      latest.current.refresh();
    };
    if (wait <= 0) run();
    else c.timer = setTimeout(run, wait);
  }, [pushed, lastSignal]);
  useEffect(
    () => () => {
      if (coalesce.current.timer) clearTimeout(coalesce.current.timer);
    },
    [],
  );

  const poll = !pushed && (options.poll ?? true);
  useEffect(() => {
    if (!poll) return undefined;
    const timer = setInterval(() => latest.current.refresh(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  return { pushed };
}
