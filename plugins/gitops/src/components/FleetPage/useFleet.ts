import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  GITOPS_CHANGES_CHANNEL,
  type FleetQuery,
  type FleetResponse,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';

/** Fleet-wide channel: any entity's environments or changes moved. */
export const FLEET_CHANNEL = 'gitops:fleet';
/** Poll interval when signals are unavailable. */
export const FLEET_POLL_MS = 30_000;
/** Signals arriving within this time cause one reload. */
const SIGNAL_DEBOUNCE_MS = 500;

/**
 * The fleet for a query: loaded once, again when the query changes, when a
 * change request or environment moves (signals), and every 30 s only when
 * signals are unavailable. Keeps the last answer while reloading.
 */
export function useFleet(query: FleetQuery) {
  const api = useApi(gitopsApiRef);
  const [data, setData] = useState<FleetResponse>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(n => n + 1), []);
  const key = JSON.stringify(query);

  useEffect(() => {
    let current = true;
    api.getFleet(JSON.parse(key)).then(
      r => {
        if (!current) return;
        setData(r);
        setError(undefined);
      },
      e => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [api, key, tick]);

  const changes = useSignal(GITOPS_CHANGES_CHANNEL);
  const fleet = useSignal(FLEET_CHANNEL);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (!changes.lastSignal && !fleet.lastSignal) return undefined;
    clearTimeout(timer.current);
    timer.current = setTimeout(refresh, SIGNAL_DEBOUNCE_MS);
    return () => clearTimeout(timer.current);
  }, [changes.lastSignal, fleet.lastSignal, refresh]);

  const live = changes.isSignalsAvailable;
  useEffect(() => {
    if (live) return undefined;
    const id = setInterval(refresh, FLEET_POLL_MS);
    return () => clearInterval(id);
  }, [live, refresh]);

  return { data, error, refresh, live };
}
