import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import type { StoredChange } from '../store/ChangeStore';
import { evaluateWindows } from '../windows';
import {
  PolicyChange,
  PolicySnapshot,
  evaluateApprovals,
  evaluatePolicy,
} from './evaluatePolicy';
import {
  environmentPolicy,
  gatherPolicyInputs,
  pipelinePolicy,
} from './gatherInputs';
import { EntityLoader, EnvironmentStateReader } from './ports';
import {
  ApprovalDecision,
  PolicyVerdict,
  RecheckResult,
  recheckResult,
} from './result';
import { PipelinePolicy, PolicySet } from './types';

/** Options of {@link PolicyService.create}. @internal */
export interface PolicyServiceOptions {
  policies: PolicySet;
  reader: EnvironmentStateReader;
  /** Loads the entity for background decisions (with `serviceCredentials`). */
  entities: EntityLoader;
  serviceCredentials: () => Promise<BackstageCredentials>;
  logger: LoggerService;
}

/** Decisions already recorded on a change, as the policy judges them. */
type Judged = Pick<PolicySnapshot, 'approvals' | 'requesterClaims'> & {
  now: Date;
  approvalsAt?: Date;
};

/**
 * The policy as a service: gathers the facts (read side, catalog) and
 * applies the pure rules of {@link evaluatePolicy}. It evaluates a new
 * change, decides after each approval or rejection, and re-checks right
 * before execution. It never writes: callers turn its results into state
 * transitions.
 *
 * @internal
 */
export class PolicyService {
  readonly #o: PolicyServiceOptions;

  static create(options: PolicyServiceOptions): PolicyService {
    return new PolicyService(options);
  }

  private constructor(options: PolicyServiceOptions) {
    this.#o = options;
  }

  /** The pipeline policy by name (InputError when not configured). */
  pipeline(name: string): PipelinePolicy {
    return pipelinePolicy(this.#o.policies, name);
  }

  /**
   * Evaluates a change of the entity. The pipeline is `pipelineName` (a
   * stored change keeps the one it was created with) or the entity's.
   */
  async evaluate(
    entity: Entity,
    change: PolicyChange,
    judged: Judged,
    pipelineName?: string,
  ): Promise<PolicyVerdict> {
    const { pipeline, facts } = await gatherPolicyInputs(
      this.#o.reader,
      this.#o.logger,
      entity,
      change,
      ofEntity => pipelinePolicy(this.#o.policies, pipelineName ?? ofEntity),
    );
    const evaluation = evaluatePolicy(pipeline, change, {
      ...facts,
      ...judged,
    });
    const target = facts.environments.find(
      e => e.name === change.environment,
    )?.application;
    return { evaluation, pipeline, target };
  }

  /**
   * The re-check right before execution: fresh environment state, the same
   * approvals (judged at the last decision), now. Pass the entity when the
   * caller already read it (the executor does, once per run).
   */
  async recheck(
    change: StoredChange,
    now: Date,
    context: { entity?: Entity } = {},
  ): Promise<RecheckResult> {
    const entity = context.entity ?? (await this.#loadEntity(change.entityRef));
    if (!entity) {
      return {
        outcome: 'deny',
        checks: [],
        message: `${change.entityRef} is no longer in the catalog`,
      };
    }
    const lastDecision = change.approvals.reduce<number | undefined>(
      (t, a) => Math.max(t ?? 0, Date.parse(a.decidedAt)),
      undefined,
    );
    try {
      const { evaluation } = await this.evaluate(
        entity,
        toPolicyChange(change),
        {
          now,
          approvals: change.approvals,
          requesterClaims: change.requesterClaims,
          approvalsAt:
            lastDecision !== undefined ? new Date(lastDecision) : undefined,
        },
        change.pipeline,
      );
      return recheckResult(evaluation);
    } catch (e) {
      return { outcome: 'deny', checks: [], message: (e as Error).message };
    }
  }

  /**
   * After a decision was recorded: rejected, still pending, or approved —
   * runnable now or when the window opens (policy windows plus Argo CD's,
   * unless an override bypasses ours). A failing window lookup leaves the
   * change runnable; the executor's re-check has the last word.
   */
  async decideApproval(
    change: StoredChange,
    now: Date,
    context: { entity?: Entity } = {},
  ): Promise<ApprovalDecision> {
    const pipeline = this.pipeline(change.pipeline);
    const result = evaluateApprovals(pipeline, toPolicyChange(change), {
      approvals: change.approvals,
      requesterClaims: change.requesterClaims,
      now,
    });
    if (result.rejected) return { outcome: 'rejected', checks: result.checks };
    if (!result.approved) return { outcome: 'pending', checks: result.checks };
    const env = environmentPolicy(pipeline, change.environment);
    try {
      const entity =
        context.entity ?? (await this.#loadEntity(change.entityRef));
      const reader = this.#o.reader;
      const argo =
        entity && env.useArgoCdWindows && reader.getArgoCdWindows
          ? await reader.getArgoCdWindows(entity, env.name)
          : [];
      const w = evaluateWindows([...env.windows, ...argo], now, {
        ignorePolicyWindows: change.override,
      });
      if (!w.open && w.nextOpen) {
        return {
          outcome: 'approved',
          checks: result.checks,
          state: 'waiting_for_window',
          runAfter: new Date(w.nextOpen),
        };
      }
    } catch (e) {
      this.#o.logger.warn(
        `window lookup for change ${change.id} failed; the executor re-checks: ${e}`,
      );
    }
    return { outcome: 'approved', checks: result.checks, state: 'approved' };
  }

  async #loadEntity(entityRef: string): Promise<Entity | undefined> {
    return this.#o.entities.getEntity(
      entityRef,
      await this.#o.serviceCredentials(),
    );
  }
}

/** The policy's view of a stored change. @internal */
export function toPolicyChange(c: StoredChange): PolicyChange {
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
