import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  GITOPS_FLEET_CHANNEL,
  type FleetQuery,
  type FleetResponse,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';

/**
 * The fleet for a query: loaded once, again when the query changes, on
 * every message of the fleet channel (Backstage signals; at most one per
 * second), and every 30 s only when signals are unavailable. Keeps the last
 * answer while reloading.
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

  const { pushed } = useLiveRefresh(GITOPS_FLEET_CHANNEL, refresh);
  return { data, error, refresh, live: pushed };
}
