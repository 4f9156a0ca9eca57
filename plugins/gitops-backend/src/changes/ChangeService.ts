import type { WriteBackSpec } from '../writeback/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ChangePreview,
  ChangeRequest,
  ChangeState,
} from '@internal/plugin-gitops-common';
import { z } from 'zod';
import {
  PolicyChange,
  PolicyService,
  matchesRefs,
  stripField,
} from '../policy';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { ChangeExpiry } from './ChangeExpiry';
import { applyApprovalDecision } from './applyApprovalDecision';
import { refuseFailed } from './checks';
import { alreadyDecided } from './alreadyDecided';
import { EntityAccess } from './EntityAccess';
import { newChangeRecord } from './newChangeRecord';
import { Caller } from './ports';
import { createChangeSchema } from './schemas';
import { toApiChange } from './toApi';

/** Input of {@link ChangeService.create}. @internal */
export type CreateChangeInput = z.output<typeof createChangeSchema>;

/** Options of {@link ChangeService.create}. @internal */
export interface ChangeServiceOptions {
  store: ChangeStore;
  policy: PolicyService;
  access: EntityAccess;
  expiry: ChangeExpiry;
  logger: LoggerService;
  /**
   * Called when a change becomes runnable (approved / waiting for its
   * window), e.g. the execution runner's `kick`. Its failure is logged; the
   * scheduler picks the change up anyway.
   */
  onApproved: (changeId: string) => void | Promise<void>;
  /** The environment's write-back, fixed on the change at creation. */
  writeBackOf?: (
    pipeline: string,
    environment: string,
  ) => WriteBackSpec | undefined;
  now?: () => Date;
}

const lc = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * The change request state machine: create (or preview), decide, cancel.
 * The policy decides ({@link PolicyService}); races are resolved by the
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

  /**
   * Evaluates a new change; with `preview` returns the checks and stores
   * nothing, otherwise stores it (201) or refuses with a 4xx naming the field.
   */
  async create(
    input: CreateChangeInput,
    caller: Caller,
  ): Promise<ChangeRequest | ChangePreview> {
    const entity = await this.#o.access.entity(
      input.entityRef,
      caller.credentials,
    );
    await this.#o.access.require('create', input.entityRef, caller.credentials);
    if (input.override) {
      await this.#o.access.require(
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
    const { evaluation, pipeline, target } = await this.#o.policy.evaluate(
      entity,
      change,
      {
        now,
        approvals: [],
        requesterClaims: caller.claims,
      },
    );
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
    const { record, event, state } = newChangeRecord({
      input,
      caller,
      change,
      evaluated: { evaluation, pipeline, target },
      writeBack: this.#o.writeBackOf
        ? { spec: this.#o.writeBackOf(pipeline.name, input.environment) }
        : undefined,
      checks,
      now,
    });
    const stored = await this.#o.store.createChange(record, event);
    if (state !== 'awaiting_approval') {
      await this.#notify(stored.id);
    }
    return toApiChange(stored);
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
    /** The change as the caller already read it (saves a row read). */
    stored?: StoredChange,
  ): Promise<ChangeRequest> {
    const { change, entity } = await this.#o.access.visibleChange(
      id,
      caller,
      stored,
    );
    const me = lc(caller.userEntityRef);
    // Before the permission check: the requester is told why, not "not allowed".
    if (lc(change.requestedBy) === me) {
      throw new NotAllowedError(
        `approver: you requested this change (${id}); someone else must decide on it`,
      );
    }
    await this.#o.access.require(
      'approve',
      change.entityRef,
      caller.credentials,
    );
    const mine = change.approvals.find(a => lc(a.approver) === me);
    if (mine && mine.decision === decision) {
      return toApiChange(change); // idempotent repeat
    }
    if (mine) {
      throw new ConflictError(
        `decision: you already decided '${mine.decision}' on change ${id} at ${mine.decidedAt}; a decision cannot be changed`,
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
    if (this.#o.expiry.isOverdue(change, now)) {
      await this.#o.expiry.expire(change, now);
      throw new ConflictError(
        `state: change ${id} expired at ${change.expiresAt}; request it again`,
      );
    }
    if (change.state !== 'awaiting_approval') {
      throw new ConflictError(alreadyDecided(change));
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
        // Another approver's decision closed it first: say who.
        throw new ConflictError(alreadyDecided(result.change));
      default:
        break;
    }
    return toApiChange(await this.#afterDecision(result.change, now, entity));
  }

  /** Cancels an open change that has not started executing. */
  async cancel(
    id: string,
    caller: Caller,
    reason?: string,
    stored?: StoredChange,
  ): Promise<ChangeRequest> {
    const { change } = await this.#o.access.visibleChange(id, caller, stored);
    if (lc(change.requestedBy) !== lc(caller.userEntityRef)) {
      await this.#o.access.require(
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
      const now = await this.#o.access.stored(id);
      throw new ConflictError(
        `state: change ${id} is ${now.state}; only ${from.join(
          ', ',
        )} changes can be cancelled`,
      );
    }
    return toApiChange(done);
  }

  /** Applies the policy's decision after an approval/rejection; a runnable change is kicked. */
  async #afterDecision(
    change: StoredChange,
    now: Date,
    entity: Entity,
  ): Promise<StoredChange> {
    const { change: after, runnable } = await applyApprovalDecision(
      this.#o,
      change,
      now,
      entity,
    );
    if (runnable) await this.#notify(change.id);
    return after;
  }

  async #notify(id: string) {
    try {
      await this.#o.onApproved(id);
    } catch (e) {
      this.#o.logger.warn(`onApproved hook failed for change ${id}: ${e}`);
    }
  }
}
