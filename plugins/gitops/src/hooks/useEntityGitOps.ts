import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ChangeRequest,
  EntityGitOpsState,
} from '@internal/plugin-gitops-common';
import {
  OPEN_CHANGE_STATES,
  gitopsEntityChannel,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../api';
import { useLiveRefresh } from './useLiveRefresh';

export interface EntityGitOpsData {
  state?: EntityGitOpsState;
  /** Change requests of the entity, newest first. */
  changes: ChangeRequest[];
  /** Ids of changes waiting for the signed-in user's decision. */
  pendingForMe: Set<string>;
  loading: boolean;
  error?: Error;
  changesError?: Error;
  /** Whether something runs (an operation, a rollout, an approved or executing change). */
  live: boolean;
  /** Whether changes are pushed (Backstage signals); otherwise the data is polled every 30 s. */
  pushed: boolean;
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
 * an entity, and loads them again on every live update of the entity (a
 * signal on `gitops:entity:<ref>`: an environment changed in Argo CD, or one
 * of its change requests moved). Without signals: every 30 s.
 */
export function useEntityGitOps(
  entity: CompoundEntityRef,
  entityRef: string,
): EntityGitOpsData {
  const api = useApi(gitopsApiRef);
  const [data, setData] = useState<
    Omit<EntityGitOpsData, 'refresh' | 'live' | 'pushed'>
  >({
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
  const refresh = useCallback(() => setTick(t => t + 1), []);
  const { pushed } = useLiveRefresh(gitopsEntityChannel(entityRef), refresh);
  return { ...data, live, pushed, refresh };
}
