import { useEffect, useRef } from 'react';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import type {
  GitOpsChangesSignal,
  GitOpsEntitySignal,
} from '@internal/plugin-gitops-common';

/** Poll interval when live updates (Backstage signals) are unavailable or turned off. */
export const FALLBACK_POLL_MS = 30_000;

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

  useEffect(() => {
    if (!pushed || !lastSignal) return;
    const { accept } = latest.current;
    if (!accept || accept(lastSignal)) latest.current.refresh();
    // every message is a new object: one refresh per message
  }, [pushed, lastSignal]);

  const poll = !pushed && (options.poll ?? true);
  useEffect(() => {
    if (!poll) return undefined;
    const timer = setInterval(() => latest.current.refresh(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  return { pushed };
}
