import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ChangeRequest,
  EntityGitOpsOverview,
  EntityGitOpsState,
  EnvironmentVerification,
  ImageDigests,
} from '@internal/plugin-gitops-common';
import {
  OPEN_CHANGE_STATES,
  gitopsEntityChannel,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef, type GitopsApi } from '../api';
import { useLiveRefresh } from './useLiveRefresh';

export interface EntityGitOpsData {
  state?: EntityGitOpsState;
  /** Change requests of the entity, newest first. */
  changes: ChangeRequest[];
  /** Ids of changes waiting for the signed-in user's decision. */
  pendingForMe: Set<string>;
  /** Verification by environment, when the overview answered it (otherwise each panel asks). */
  verification?: Record<string, EnvironmentVerification>;
  /** Image digests by environment, when the overview answered them (otherwise each card asks). */
  digests?: Record<string, ImageDigests>;
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

type LoadedData = Omit<EntityGitOpsData, 'refresh' | 'live' | 'pushed'>;

const newestFirst = (changes: ChangeRequest[]) =>
  [...changes].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** A part the overview could not read, as an error (its sentence is the backend's). */
function partError(
  overview: EntityGitOpsOverview,
  part: string,
): Error | undefined {
  const message = overview.partErrors?.[part];
  if (message === undefined) return undefined;
  const error = new Error(message);
  error.name = 'OverviewPartError';
  return error;
}

/** One request: `GET …/overview` (a part it could not read keeps what was shown). */
async function loadOverview(
  getOverview: NonNullable<GitopsApi['getOverview']>,
  ref: CompoundEntityRef,
): Promise<(prev: LoadedData) => LoadedData> {
  try {
    const o = await getOverview(ref);
    const changesError = partError(o, 'changes');
    const pendingFailed = partError(o, 'pendingForMe') !== undefined;
    return prev => ({
      state: o.state,
      error: undefined,
      changes: changesError ? prev.changes : newestFirst(o.changes),
      changesError,
      pendingForMe: pendingFailed ? prev.pendingForMe : new Set(o.pendingForMe),
      verification: o.verification,
      digests: o.digests,
      loading: false,
    });
  } catch (e) {
    return prev => ({ ...prev, error: e as Error, loading: false });
  }
}

/** Three requests, for an API without the overview: environments, changes, pending approvals. */
async function loadParts(
  api: GitopsApi,
  ref: CompoundEntityRef,
  entityRef: string,
): Promise<(prev: LoadedData) => LoadedData> {
  const [envs, changes, pending] = await Promise.allSettled([
    api.getEnvironments(ref),
    api.listChanges({ entityRef }),
    api.getPendingApprovals(),
  ]);
  return prev => ({
    state: envs.status === 'fulfilled' ? envs.value : prev.state,
    error: envs.status === 'rejected' ? (envs.reason as Error) : undefined,
    changes:
      changes.status === 'fulfilled'
        ? newestFirst(changes.value.items)
        : prev.changes,
    changesError:
      changes.status === 'rejected' ? (changes.reason as Error) : undefined,
    pendingForMe:
      pending.status === 'fulfilled'
        ? new Set(pending.value.items.map(c => c.id))
        : prev.pendingForMe,
    loading: false,
  });
}

/**
 * Loads what the tab shows of an entity, and loads it again on every live
 * update of the entity (a signal on `gitops:entity:<ref>`: an environment
 * changed in Argo CD, or one of its change requests moved). Without signals:
 * every 30 s. With `getOverview` that is one request (state, changes,
 * pending approvals, verification and digests per environment); without it,
 * environments, change requests and the caller's pending approvals in
 * parallel (the panels and cards then ask for verification and digests).
 * A failed load keeps what was shown and sets `error`.
 */
export function useEntityGitOps(
  entity: CompoundEntityRef,
  entityRef: string,
): EntityGitOpsData {
  const api = useApi(gitopsApiRef);
  const [data, setData] = useState<LoadedData>({
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
    const load = api.getOverview
      ? loadOverview(api.getOverview.bind(api), ref)
      : loadParts(api, ref, entityRef);
    load.then(update => {
      if (cancelled || !mounted.current) return;
      setData(update);
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
