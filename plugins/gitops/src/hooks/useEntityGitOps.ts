import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ChangeRequest,
  EntityGitOpsState,
} from '@internal/plugin-gitops-common';
import { OPEN_CHANGE_STATES } from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../api';

/** Poll interval while something runs. */
export const LIVE_POLL_MS = 2000;

export interface EntityGitOpsData {
  state?: EntityGitOpsState;
  /** Change requests of the entity, newest first. */
  changes: ChangeRequest[];
  /** Ids of changes waiting for the signed-in user's decision. */
  pendingForMe: Set<string>;
  loading: boolean;
  error?: Error;
  changesError?: Error;
  /** Whether something runs, so the data is polled. */
  live: boolean;
  refresh: () => void;
}

/** Whether anything of the entity is running (an operation, a rollout) or about to run, so it is worth polling. */
export function isLive(
  state: EntityGitOpsState | undefined,
  changes: ChangeRequest[],
): boolean {
  const running = (state?.environments ?? []).some(
    e =>
      e.operation?.phase === 'Running' ||
      e.operation?.phase === 'Terminating' ||
      e.health?.status === 'Progressing',
  );
  return (
    running ||
    changes.some(c => c.state === 'executing' || c.state === 'approved')
  );
}

/** The open change of an environment, if any. */
export function openChangeOf(
  changes: ChangeRequest[],
  env: string,
): ChangeRequest | undefined {
  return changes.find(
    c => c.environment === env && OPEN_CHANGE_STATES.includes(c.state),
  );
}

/**
 * Loads environments, change requests and the caller's pending approvals of
 * an entity; polls every {@link LIVE_POLL_MS} only while something runs.
 */
export function useEntityGitOps(
  entity: CompoundEntityRef,
  entityRef: string,
): EntityGitOpsData {
  const api = useApi(gitopsApiRef);
  const [data, setData] = useState<Omit<EntityGitOpsData, 'refresh' | 'live'>>({
    changes: [],
    pendingForMe: new Set(),
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const mounted = useRef(true);
  const { kind, namespace, name } = entity;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    const ref = { kind, namespace, name };
    Promise.allSettled([
      api.getEnvironments(ref),
      api.listChanges({ entityRef }),
      api.getPendingApprovals(),
    ]).then(([envs, changes, pending]) => {
      if (cancelled || !mounted.current) return;
      setData(prev => ({
        state: envs.status === 'fulfilled' ? envs.value : prev.state,
        error: envs.status === 'rejected' ? (envs.reason as Error) : undefined,
        changes:
          changes.status === 'fulfilled'
            ? [...changes.value.items].sort((a, b) =>
                b.createdAt.localeCompare(a.createdAt),
              )
            : prev.changes,
        changesError:
          changes.status === 'rejected' ? (changes.reason as Error) : undefined,
        pendingForMe:
          pending.status === 'fulfilled'
            ? new Set(pending.value.items.map(c => c.id))
            : prev.pendingForMe,
        loading: false,
      }));
    });
    return () => {
      cancelled = true;
    };
  }, [api, kind, namespace, name, entityRef, tick]);

  const live = isLive(data.state, data.changes);

  useEffect(() => {
    if (!live || data.loading) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), LIVE_POLL_MS);
    return () => clearTimeout(timer);
  }, [live, data]);

  const refresh = useCallback(() => setTick(t => t + 1), []);
  return { ...data, live, refresh };
}
