import { Entity } from '@backstage/catalog-model';
import { RecheckResult } from '../policy/result';
import { StoredChange } from '../store/ChangeStore';
import { WriteBackSpec } from '../writeback/config';

/**
 * Where and how one change executes: the environment's Argo CD application
 * and the environment's policy settings that steer execution.
 *
 * @internal
 */
export interface ExecutionTarget {
  instance: string;
  /** Argo CD application name. */
  application: string;
  project?: string;
  appNamespace?: string;
  /** The entity's base app name (`gitops/app`), for `{app}` in values paths. */
  baseApp?: string;
  writeBack?: WriteBackSpec;
  /** Policy: dry-run sync before the real one. */
  dryRunRequired: boolean;
  /** Policy: prune resources no longer in Git on sync. */
  prune: boolean;
  /** Policy: a history rollback may switch auto-sync off first (recorded on the change). */
  allowDisableAutoSync: boolean;
  /** The catalog entity, read once per execution and passed on to the policy re-checks. */
  entity?: Entity;
}

/** Finds the execution target of a change (entity → pipeline → environment → app). @internal */
export interface ExecutionTargetResolver {
  resolve(change: StoredChange): Promise<ExecutionTarget>;
}

export type { RecheckResult } from '../policy/result';

/** The policy service as the executor uses it (src/policy PolicyService). @internal */
export interface ExecutionPolicy {
  recheck(
    change: StoredChange,
    now: Date,
    context?: { entity?: Entity },
  ): Promise<RecheckResult>;
}

/** Time source of the executor (injected in tests). @internal */
export interface ExecutionClock {
  now(): Date;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. @internal */
export const systemClock: ExecutionClock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason ?? new Error('aborted'));
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error('aborted'));
      };
      timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
