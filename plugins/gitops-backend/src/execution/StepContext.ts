import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Check } from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { argoCdErrorInfo } from '../argocd/errors';
import { ArgoApplication } from '../argocd/types';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { GitWriteBack } from '../writeback/GitWriteBack';
import { DeploymentService } from '../deployments/DeploymentService';
import { ExecutionSettings } from '../config/readExecution';
import { Progress, RollbackMethod } from './plan';
import { ExecutionClock, ExecutionPolicy, ExecutionTarget } from './types';

/** The Argo CD calls execution makes (a view of {@link ArgoCdClient}). @internal */
export type ExecutionArgoClient = Pick<
  ArgoCdClient,
  | 'getApplication'
  | 'getManagedResources'
  | 'sync'
  | 'rollback'
  | 'patchApplication'
  | 'terminateOperation'
>;

/** Services a step may use. @internal */
export interface ExecutionServices {
  store: ChangeStore;
  argo: ExecutionArgoClient;
  /** Absent when no git repository is configured. */
  git?: GitWriteBack;
  policy: ExecutionPolicy;
  settings: ExecutionSettings;
  clock: ExecutionClock;
  logger: LoggerService;
  /** Emits `change-execute` for every finished execution (succeeded or failed). */
  auditor?: AuditorService;
  /** The deployment record: every deployment a change makes is recorded. */
  deployments?: Pick<DeploymentService, 'recordStarted' | 'recordProgress'>;
  /** The requester's catalog profile (`spec.profile`) for the commit author. */
  userProfile?: (
    userRef: string,
  ) => Promise<{ displayName?: string; email?: string } | undefined>;
}

/** Everything one step of one change sees. @internal */
export interface StepContext {
  change: StoredChange;
  target: ExecutionTarget;
  progress: Progress;
  rollback?: RollbackMethod;
  owner: string;
  signal: AbortSignal;
  services: ExecutionServices;
  /** Records `step.sync.requested` before a sync/rollback call may reach Argo CD. */
  markSyncRequested(data: Record<string, unknown>): Promise<void>;
}

/** What a step ended with. @internal */
export type StepOutcome =
  | { kind: 'done'; message: string; data?: Record<string, unknown> }
  /** Not now: park the change in `waiting_for_window` until `runAfter`. */
  | { kind: 'wait'; message: string; runAfter: Date; checks?: Check[] }
  | {
      kind: 'fail';
      message: string;
      rollbackOffered?: boolean;
      checks?: Check[];
      /** The application turned Degraded (the deployment then never counts as healthy). */
      degraded?: boolean;
    };

/** Reads the application fresh (never cached). @internal */
export function readApp(
  ctx: StepContext,
  refresh?: 'hard' | 'normal',
): Promise<ArgoApplication> {
  const { target } = ctx;
  return ctx.services.argo.getApplication(target.instance, target.application, {
    project: target.project,
    appNamespace: target.appNamespace,
    refresh,
  });
}

/** The commit SHA written by this change, if any. @internal */
export function writtenCommit(ctx: StepContext): string | undefined {
  const data = ctx.progress.done.get('write')?.data;
  return data?.changed !== false && typeof data?.commitSha === 'string'
    ? data.commitSha
    : undefined;
}

/** Whether this change already changed what Git / Argo CD says (a rollback is then offered on failure). @internal */
export function wroteSomething(ctx: StepContext): boolean {
  const data = ctx.progress.done.get('write')?.data;
  return !!data && data.changed !== false;
}

/** The version the environment should run after the change, when known. @internal */
export function expectedVersion(ctx: StepContext): string | undefined {
  const c = ctx.change;
  return c.kind === 'rollback' ? c.rollbackTo?.version ?? c.version : c.version;
}

/**
 * Polls `probe` with growing intervals until it returns a value or the
 * deadline passes (then `{ timedOut: true, last }` with the last reason).
 * `waitedFor` tells whether it had to wait for another operation first.
 * Transient errors of a probe (Argo CD unavailable, timed out, 5xx) count
 * as "not yet"; any other error ends the step.
 *
 * @internal
 */
export async function pollUntil<T>(
  ctx: StepContext,
  deadline: number,
  probe: () => Promise<{ value: T } | { waiting: string }>,
): Promise<
  { value: T; waitedFor?: string } | { timedOut: true; last: string }
> {
  const { clock, settings } = ctx.services;
  let interval = settings.pollIntervalMs;
  let last = 'not started';
  let waitedFor: string | undefined;
  for (;;) {
    try {
      const r = await probe();
      if ('value' in r) return { value: r.value, waitedFor };
      last = r.waiting;
      if (!waitedFor && /^waiting for|another operation/.test(r.waiting))
        waitedFor = r.waiting;
    } catch (e) {
      if (ctx.signal.aborted || !isTransient(e)) throw e;
      last = `error: ${(e as Error).message}`;
    }
    if (clock.now().getTime() >= deadline) {
      return { timedOut: true, last };
    }
    await clock.sleep(
      Math.min(interval, Math.max(1, deadline - clock.now().getTime())),
      ctx.signal,
    );
    interval = Math.min(settings.maxPollIntervalMs, Math.round(interval * 1.5));
  }
}

/**
 * Whether an error is worth waiting out: Argo CD unreachable, slow, or
 * answering 5xx — told by the code the Argo CD client put on the error; any
 * other error is transient only when it is a `ServiceUnavailableError`.
 *
 * @internal
 */
export function isTransient(e: unknown): boolean {
  const info = argoCdErrorInfo(e);
  if (info) return info.transient;
  return (e as Error | undefined)?.name === 'ServiceUnavailableError';
}

/** `12m 30s`-style text for a duration in ms. @internal */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
}
