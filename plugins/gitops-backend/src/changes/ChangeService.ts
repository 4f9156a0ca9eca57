import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  ChangeState,
  HistoryEntry,
} from '@internal/plugin-gitops-common';
import { z } from 'zod';
import {
  PipelinePolicy,
  PolicyChange,
  PolicyCheck,
  PolicyEvaluation,
  PolicySet,
  evaluateApprovals,
  evaluatePolicy,
  matchesRefs,
} from '../policy';
import { RecheckResult } from '../execution/types';
import { evaluateWindows } from '../windows';
import { ChangeStore, StoredChange } from './ChangeStore';
import {
  Caller,
  ChangePermissions,
  EntityLoader,
  EnvironmentStateReader,
} from './ports';
import { createChangeSchema, listQuerySchema } from './schemas';
import { toApiChange, toApiDetail } from './toApi';

/** Input of {@link ChangeService.create}. @internal */
export type CreateChangeInput = z.output<typeof createChangeSchema>;

/** Options of {@link ChangeService.create}. @internal */
export interface ChangeServiceOptions {
  store: ChangeStore;
  policies: PolicySet;
  reader: EnvironmentStateReader;
  entities: EntityLoader;
  permissions: ChangePermissions;
  logger: LoggerService;
  /** Credentials for background re-checks (the plugin's own service credentials). */
  serviceCredentials: () => Promise<BackstageCredentials>;
  /** Audits system-initiated mutations (expiry); user mutations are audited by the router. */
  auditor?: AuditorService;
  /** Called when a change becomes runnable (approved / waiting for its window). */
  onApproved?: (changeId: string) => void | Promise<void>;
  now?: () => Date;
}

const lc = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * The change request state machine: create (or preview), decide, cancel,
 * expire, and the policy re-check before execution. Races are resolved by the
 * store's conditional writes; this class never read-then-writes a state.
 *
 * @internal
 */
export class ChangeService {
  readonly #o: ChangeServiceOptions;
  readonly #now: () => Date;

  static create(options: ChangeServiceOptions): ChangeService {
    return new ChangeService(options);
  }

  private constructor(options: ChangeServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Sets the hook called when a change becomes runnable (wired by the plugin). */
  setOnApproved(hook: (changeId: string) => void | Promise<void>) {
    this.#o.onApproved = hook;
  }

  /**
   * Evaluates a new change; with `preview` returns the checks and stores
   * nothing, otherwise stores it (201) or refuses with a 4xx naming the field.
   */
  async create(
    input: CreateChangeInput,
    caller: Caller,
  ): Promise<ChangeRequest | ChangePreview> {
    const entity = await this.#entity(input.entityRef, caller.credentials);
    await this.#o.permissions.require(
      'create',
      input.entityRef,
      caller.credentials,
    );
    if (input.override) {
      await this.#o.permissions.require(
        'override',
        input.entityRef,
        caller.credentials,
      );
    }
    const change: PolicyChange = {
      kind: input.kind,
      environment: input.environment,
      version: input.version,
      sourceEnvironment: input.sourceEnvironment,
      rollbackTo: input.rollbackTo,
      requestedBy: caller.userEntityRef,
      override: Boolean(input.override),
      reason: input.reason?.trim() || undefined,
    };
    const now = this.#now();
    const { evaluation, pipeline } = await this.#evaluate(entity, change, {
      now,
      approvals: [],
      requesterClaims: caller.claims,
    });
    const checks = evaluation.checks.map(stripField);
    if (input.preview) {
      return {
        allowed: evaluation.allowed,
        checks,
        requiredApprovals: evaluation.requiredApprovals,
        fromVersion: evaluation.fromVersion,
        version: evaluation.version,
      };
    }
    refuseFailed(evaluation.checks);
    const open = await this.#o.store.findOpenChange(
      input.entityRef,
      input.environment,
    );
    if (open) {
      throw new ConflictError(
        `environment: ${input.entityRef} already has an open change for '${input.environment}' (${open.id}, ${open.state})`,
      );
    }
    const env = pipeline.environments.find(e => e.name === input.environment)!;
    const { state, runAfter } = runnableState(evaluation);
    const expiresAfter = env.approvals?.expiresAfterMs;
    const stored = await this.#o.store.createChange(
      {
        entityRef: input.entityRef,
        environment: input.environment,
        pipeline: pipeline.name,
        kind: input.kind,
        state,
        version: evaluation.version,
        fromVersion: evaluation.fromVersion,
        sourceEnvironment: evaluation.sourceEnvironment,
        rollbackTo: input.rollbackTo,
        requestedBy: caller.userEntityRef,
        reason: change.reason,
        override: change.override,
        requiredApprovals: evaluation.requiredApprovals,
        approverRefs: evaluation.approverRefs,
        checks,
        expiresAt:
          state === 'awaiting_approval' && expiresAfter
            ? new Date(now.getTime() + expiresAfter)
            : undefined,
        runAfter,
        createdAt: now,
      },
      {
        type: 'created',
        actor: caller.userEntityRef,
        outcome: 'success',
        message: `${input.kind} requested${
          change.override ? ' with emergency override' : ''
        }; state ${state}`,
        data: {
          requesterClaims: caller.claims,
          kind: input.kind,
          override: change.override,
        },
      },
    );
    if (state !== 'awaiting_approval') {
      await this.#notify(stored.id);
    }
    return toApiChange(stored);
  }

  /** Changes of entities the caller may see, newest first. */
  async list(
    query: z.output<typeof listQuerySchema>,
    credentials: BackstageCredentials,
  ): Promise<ChangeList> {
    const items = await this.#o.store.listChanges({
      entityRef: query.entityRef,
      environment: query.environment,
      states: query.state,
      limit: query.limit,
    });
    return {
      items: (await this.#visible(items, credentials)).map(toApiChange),
    };
  }

  /** One change with its events (404 when its entity is not visible to the caller). */
  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequestDetail> {
    const detail = await this.#o.store.getChangeDetail(id);
    if (!detail || !(await this.#visible([detail], credentials)).length) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return toApiDetail(detail);
  }

  /** The changes whose entity the caller may see in the catalog. */
  async #visible<T extends { entityRef: string }>(
    changes: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    const refs = [...new Set(changes.map(c => c.entityRef))];
    if (!refs.length) return changes;
    let visible: Set<string>;
    if (this.#o.entities.getVisibleRefs) {
      visible = await this.#o.entities.getVisibleRefs(refs, credentials);
    } else {
      const found = await Promise.all(
        refs.map(async r =>
          (await this.#o.entities.getEntity(r, credentials)) ? r : undefined,
        ),
      );
      visible = new Set(found.filter((r): r is string => Boolean(r)));
    }
    return changes.filter(c => visible.has(c.entityRef));
  }

  async #getVisible(id: string, caller: Caller): Promise<StoredChange> {
    const change = await this.getStored(id);
    if (!(await this.#visible([change], caller.credentials)).length) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return change;
  }

  /** Raw stored change (for permission and audit lookups). */
  async getStored(id: string): Promise<StoredChange> {
    const change = await this.#o.store.getChange(id);
    if (!change) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return change;
  }

  /** Changes awaiting a decision of the caller, across all entities. */
  async pendingFor(caller: Caller): Promise<ChangeList> {
    const open = await this.#o.store.listChanges({
      states: ['awaiting_approval'],
      limit: 500,
    });
    const me = lc(caller.userEntityRef);
    const now = this.#now().getTime();
    const items = open.filter(
      c =>
        lc(c.requestedBy) !== me &&
        !c.approvals.some(a => lc(a.approver) === me) &&
        (!c.expiresAt || Date.parse(c.expiresAt) > now) &&
        matchesRefs(caller.claims, c.approverRefs),
    );
    return {
      items: (await this.#visible(items, caller.credentials)).map(toApiChange),
    };
  }

  /**
   * Approve or reject. Rules: never your own request (403); only members of
   * the approver refs (403); identical repeat is idempotent; a conflicting
   * repeat or a finished/expired change is 409; any reject rejects.
   */
  async decide(
    id: string,
    decision: 'approve' | 'reject',
    caller: Caller,
    comment?: string,
  ): Promise<ChangeRequest> {
    const change = await this.#getVisible(id, caller);
    await this.#o.permissions.require(
      'approve',
      change.entityRef,
      caller.credentials,
    );
    const me = lc(caller.userEntityRef);
    const mine = change.approvals.find(a => lc(a.approver) === me);
    if (mine && mine.decision === decision) {
      return toApiChange(change); // idempotent repeat
    }
    if (mine) {
      throw new ConflictError(
        `decision: you already decided '${mine.decision}' on change ${id} at ${mine.decidedAt}; a decision cannot be changed`,
      );
    }
    if (lc(change.requestedBy) === me) {
      throw new NotAllowedError(
        `approver: you requested change ${id}; someone else must decide on it`,
      );
    }
    if (!matchesRefs(caller.claims, change.approverRefs)) {
      throw new NotAllowedError(
        `approver: ${
          caller.userEntityRef
        } is not an approver of change ${id} (approvers: ${
          change.approverRefs.join(', ') || 'none'
        })`,
      );
    }
    const now = this.#now();
    if (
      change.state === 'awaiting_approval' &&
      change.expiresAt &&
      Date.parse(change.expiresAt) <= now.getTime()
    ) {
      await this.#expire(change, now);
      throw new ConflictError(
        `state: change ${id} expired at ${change.expiresAt}; request it again`,
      );
    }
    if (change.state !== 'awaiting_approval') {
      throw new ConflictError(
        `state: change ${id} is ${change.state}; it no longer takes decisions`,
      );
    }
    const result = await this.#o.store.addDecision(
      id,
      {
        approver: caller.userEntityRef,
        decision,
        comment: comment?.trim() || undefined,
        decidedAt: now.toISOString(),
        claims: caller.claims,
      },
      {
        type: decision === 'approve' ? 'approval' : 'rejection',
        actor: caller.userEntityRef,
        at: now,
        reason: comment?.trim() || undefined,
        outcome: 'success',
      },
    );
    switch (result.outcome) {
      case 'not_found':
        throw new NotFoundError(`id: change ${id} does not exist`);
      case 'duplicate':
        return toApiChange(result.change);
      case 'conflict':
        throw new ConflictError(
          `decision: you already decided '${result.previous.decision}' on change ${id}; a decision cannot be changed`,
        );
      case 'not_open':
        throw new ConflictError(
          `state: change ${id} is ${result.change.state}; it no longer takes decisions`,
        );
      default:
        break;
    }
    return toApiChange(await this.#afterDecision(result.change, now));
  }

  /** Cancels an open change that has not started executing. */
  async cancel(
    id: string,
    caller: Caller,
    reason?: string,
  ): Promise<ChangeRequest> {
    const change = await this.#getVisible(id, caller);
    if (lc(change.requestedBy) !== lc(caller.userEntityRef)) {
      await this.#o.permissions.require(
        'create',
        change.entityRef,
        caller.credentials,
      );
    }
    const from: ChangeState[] = [
      'awaiting_approval',
      'approved',
      'waiting_for_window',
    ];
    const done = await this.#o.store.transition({
      id,
      from,
      to: 'cancelled',
      now: this.#now(),
      event: {
        type: 'cancelled',
        actor: caller.userEntityRef,
        reason: reason?.trim() || undefined,
        outcome: 'success',
      },
    });
    if (!done) {
      const now = await this.getStored(id);
      throw new ConflictError(
        `state: change ${id} is ${now.state}; only ${from.join(
          ', ',
        )} changes can be cancelled`,
      );
    }
    return toApiChange(done);
  }

  /**
   * Expires changes whose approval deadline passed (run by the scheduler).
   * Returns how many expired.
   */
  async expireOverdue(): Promise<number> {
    const now = this.#now();
    const open = await this.#o.store.listChanges({
      states: ['awaiting_approval'],
      limit: 500,
    });
    let n = 0;
    for (const c of open) {
      if (c.expiresAt && Date.parse(c.expiresAt) <= now.getTime()) {
        if (await this.#expire(c, now)) n++;
      }
    }
    return n;
  }

  /**
   * The policy re-check right before execution (for the executor): fresh
   * environment state, same approvals (judged at the last decision), now.
   */
  async recheck(change: StoredChange, now: Date): Promise<RecheckResult> {
    const credentials = await this.#o.serviceCredentials();
    const entity = await this.#o.entities.getEntity(
      change.entityRef,
      credentials,
    );
    if (!entity) {
      return {
        outcome: 'deny',
        checks: [],
        message: `${change.entityRef} is no longer in the catalog`,
      };
    }
    const detail = await this.#o.store.getChangeDetail(change.id);
    const created = detail?.events.find(e => e.type === 'created');
    const requesterClaims = (created?.data?.requesterClaims as
      | string[]
      | undefined) ?? [change.requestedBy];
    const lastDecision = change.approvals.reduce<number | undefined>(
      (t, a) => Math.max(t ?? 0, Date.parse(a.decidedAt)),
      undefined,
    );
    let evaluation: PolicyEvaluation;
    try {
      ({ evaluation } = await this.#evaluate(
        entity,
        toPolicyChange(change),
        {
          now,
          approvals: change.approvals,
          requesterClaims,
          approvalsAt:
            lastDecision !== undefined ? new Date(lastDecision) : undefined,
        },
        change.pipeline,
      ));
    } catch (e) {
      return { outcome: 'deny', checks: [], message: (e as Error).message };
    }
    const checks = evaluation.checks.map(stripField);
    const failed = evaluation.checks.filter(c => c.status === 'fail');
    if (failed.length) {
      return {
        outcome: 'deny',
        checks,
        message: failed.map(c => c.message).join('; '),
      };
    }
    if (!evaluation.approved) {
      const a = evaluation.checks.find(
        c => c.id === 'approvals' || c.id === 'override-approval',
      );
      return {
        outcome: 'deny',
        checks,
        message: `approvals are no longer sufficient: ${a?.message ?? ''}`,
      };
    }
    if (!evaluation.windowOpen) {
      if (!evaluation.window.nextOpen) {
        return { outcome: 'deny', checks, message: evaluation.window.message };
      }
      return {
        outcome: 'wait',
        checks,
        runAfter: new Date(evaluation.window.nextOpen),
        message: evaluation.window.message,
      };
    }
    return { outcome: 'allow', checks };
  }

  /** {@link ChangeService.recheck} by id. */
  async reevaluate(changeId: string): Promise<RecheckResult> {
    return this.recheck(await this.getStored(changeId), this.#now());
  }

  async #afterDecision(change: StoredChange, now: Date): Promise<StoredChange> {
    const pipeline = this.#pipeline(change.pipeline);
    const created = (
      await this.#o.store.getChangeDetail(change.id)
    )?.events.find(e => e.type === 'created');
    const requesterClaims = (created?.data?.requesterClaims as
      | string[]
      | undefined) ?? [change.requestedBy];
    const result = evaluateApprovals(pipeline, toPolicyChange(change), {
      approvals: change.approvals,
      requesterClaims,
      now,
    });
    if (result.rejected) {
      const rejection = change.approvals.find(a => a.decision === 'reject');
      return (
        (await this.#o.store.transition({
          id: change.id,
          from: ['awaiting_approval'],
          to: 'rejected',
          now,
          patch: { checks: mergeChecks(change.checks, result.checks) },
          event: {
            type: 'rejected',
            actor: rejection?.approver,
            reason: rejection?.comment,
            outcome: 'failure',
            message: result.checks.map(c => c.message).join('; '),
          },
        })) ?? (await this.getStored(change.id))
      );
    }
    if (!result.approved) {
      return change;
    }
    // Enough approvals: runnable now, or when the window opens.
    const env = pipeline.environments.find(e => e.name === change.environment)!;
    let state: ChangeState = 'approved';
    let runAfter: Date | undefined;
    try {
      const entity = await this.#o.entities.getEntity(
        change.entityRef,
        await this.#o.serviceCredentials(),
      );
      const argo =
        entity && env.useArgoCdWindows && this.#o.reader.getArgoCdWindows
          ? await this.#o.reader.getArgoCdWindows(entity, env.name)
          : [];
      const w = evaluateWindows([...env.windows, ...argo], now, {
        ignorePolicyWindows: change.override,
      });
      if (!w.open && w.nextOpen) {
        state = 'waiting_for_window';
        runAfter = new Date(w.nextOpen);
      }
    } catch (e) {
      this.#o.logger.warn(
        `window lookup for change ${change.id} failed; the executor re-checks: ${e}`,
      );
    }
    const approved = await this.#o.store.transition({
      id: change.id,
      from: ['awaiting_approval'],
      to: state,
      now,
      patch: {
        checks: mergeChecks(change.checks, result.checks),
        runAfter: runAfter ?? null,
      },
      event: {
        type: 'approved',
        actor: change.approvals[change.approvals.length - 1]?.approver,
        outcome: 'success',
        message: `${result.checks.map(c => c.message).join('; ')}${
          runAfter
            ? `; waits for the window (opens ${runAfter.toISOString()})`
            : ''
        }`,
      },
    });
    if (!approved) {
      // Another approver's request made the transition.
      return this.getStored(change.id);
    }
    await this.#notify(change.id);
    return approved;
  }

  async #expire(change: StoredChange, now: Date) {
    const expired = await this.#o.store.transition({
      id: change.id,
      from: ['awaiting_approval'],
      to: 'expired',
      now,
      event: {
        type: 'expired',
        actor: 'system:gitops',
        outcome: 'failure',
        message: `not approved before ${change.expiresAt}`,
      },
    });
    if (expired && this.#o.auditor) {
      try {
        const event = await this.#o.auditor.createEvent({
          eventId: 'change-expire',
          severityLevel: 'low',
          meta: {
            changeId: change.id,
            entityRef: change.entityRef,
            environment: change.environment,
            version: change.version ?? null,
            fromVersion: change.fromVersion ?? null,
            expiresAt: change.expiresAt ?? null,
          },
        });
        await event.success();
      } catch (e) {
        this.#o.logger.warn(
          `auditing the expiry of change ${change.id} failed: ${e}`,
        );
      }
    }
    return expired;
  }

  async #notify(id: string) {
    try {
      await this.#o.onApproved?.(id);
    } catch (e) {
      this.#o.logger.warn(`onApproved hook failed for change ${id}: ${e}`);
    }
  }

  #pipeline(name: string): PipelinePolicy {
    const p = this.#o.policies.pipelines.get(name);
    if (!p) {
      throw new InputError(
        `pipeline '${name}' is not configured under gitops.pipelines`,
      );
    }
    return p;
  }

  async #entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.#o.entities.getEntity(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(
        `entityRef: no entity ${entityRef} in the catalog`,
      );
    }
    return entity;
  }

  async #evaluate(
    entity: Entity,
    change: PolicyChange,
    snap: {
      now: Date;
      approvals: StoredChange['approvals'];
      requesterClaims: string[];
      approvalsAt?: Date;
    },
    pipelineName?: string,
  ): Promise<{ evaluation: PolicyEvaluation; pipeline: PipelinePolicy }> {
    const state = await this.#o.reader.getEnvironments(entity);
    const pipeline = this.#pipeline(pipelineName ?? state.pipeline);
    const env = pipeline.environments.find(e => e.name === change.environment);
    if (!env) {
      throw new InputError(
        `environment: '${
          change.environment
        }' is not an environment of pipeline ${
          pipeline.name
        } (${pipeline.environments.map(e => e.name).join(', ')})`,
      );
    }
    const history: Record<string, HistoryEntry[]> = {};
    const wanted = new Set<string>();
    if (
      change.kind === 'promote' &&
      env.promotesFrom &&
      env.requireRunInPrevious
    )
      wanted.add(env.promotesFrom);
    if (change.kind === 'rollback') wanted.add(env.name);
    await Promise.all(
      [...wanted].map(async name => {
        try {
          history[name] = (await this.#o.reader.getHistory(entity, name)).items;
        } catch (e) {
          this.#o.logger.warn(`history of ${name} could not be read: ${e}`);
          history[name] = [];
        }
      }),
    );
    const argoCdWindows =
      env.useArgoCdWindows && this.#o.reader.getArgoCdWindows
        ? await this.#o.reader
            .getArgoCdWindows(entity, env.name)
            .catch(() => [])
        : [];
    const evaluation = evaluatePolicy(pipeline, change, {
      environments: state.environments,
      history,
      approvals: snap.approvals,
      requesterClaims: snap.requesterClaims,
      argoCdWindows,
      now: snap.now,
      approvalsAt: snap.approvalsAt,
    });
    return { evaluation, pipeline };
  }
}

function toPolicyChange(c: StoredChange): PolicyChange {
  return {
    kind: c.kind,
    environment: c.environment,
    version: c.kind === 'rollback' ? undefined : c.version,
    sourceEnvironment: c.sourceEnvironment,
    rollbackTo: c.rollbackTo,
    requestedBy: c.requestedBy,
    override: c.override,
    reason: c.reason,
  };
}

function stripField({ field: _field, ...check }: PolicyCheck) {
  return check;
}

function mergeChecks(old: StoredChange['checks'], updates: PolicyCheck[]) {
  const byId = new Map(updates.map(u => [u.id, stripField(u)]));
  return old.map(c => byId.get(c.id) ?? c);
}

/** State of a new change whose checks did not fail. */
function runnableState(e: PolicyEvaluation): {
  state: ChangeState;
  runAfter?: Date;
} {
  if (!e.approved) return { state: 'awaiting_approval' };
  if (!e.windowOpen && e.window.nextOpen) {
    return {
      state: 'waiting_for_window',
      runAfter: new Date(e.window.nextOpen),
    };
  }
  return { state: 'approved' };
}

/** Failing checks → 400 naming the fields, or 403 for policy refusals. */
function refuseFailed(checks: PolicyCheck[]) {
  const failed = checks.filter(c => c.status === 'fail');
  if (!failed.length) return;
  const withField = failed.filter(c => c.field);
  if (withField.length) {
    throw new InputError(
      withField.map(c => `${c.field}: ${c.message}`).join('; '),
    );
  }
  throw new NotAllowedError(`policy: ${failed.map(c => c.message).join('; ')}`);
}
