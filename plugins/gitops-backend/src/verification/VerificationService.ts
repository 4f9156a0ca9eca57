import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type {
  EntityGitOpsState,
  EnvironmentVerification,
  VerificationDecisionRequest,
} from '@internal/plugin-gitops-common';
import type { ArgoApplication } from '../argocd/types';
import type { Caller } from '../changes/ports';
import { EnvironmentStateReader, PolicySet, matchesRefs } from '../policy';
import { environmentPolicy, pipelinePolicy } from '../policy/gatherInputs';
import {
  automatedVerdict,
  standingSignOff,
} from '../policy/verificationChecks';
import type {
  SyncOperationFacts,
  VerificationFacts,
} from '../policy/verificationFacts';
import type { VerificationStore } from './VerificationStore';

/** Reads one application (Argo CD), for its last operation. @internal */
export interface ApplicationReader {
  getApplication(
    instance: string,
    name: string,
    options: { appNamespace?: string; project?: string; cached?: boolean },
  ): Promise<ArgoApplication>;
}

/** Collaborators of {@link VerificationService}. @internal */
export interface VerificationServiceOptions {
  store: Pick<VerificationStore, 'list' | 'record'>;
  policies: PolicySet;
  reader: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  argo: ApplicationReader;
  /** The entity as the caller sees it (404 when hidden): `EntityAccess.entity`. */
  entity(entityRef: string, credentials: BackstageCredentials): Promise<Entity>;
  /** Throws NotAllowedError unless the caller has `gitops.verification.signoff` on the entity. */
  requireSignOffPermission(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
  logger: LoggerService;
  /** A decision was recorded for the entity (views of it are out of date). */
  onDecided?: (entityRef: string) => void;
  now?: () => Date;
}

/** The sync of the last operation, as far as verification needs it. Pure. */
export function syncFacts(
  app: ArgoApplication,
): SyncOperationFacts | undefined {
  const os = app.status?.operationState;
  const sync = os?.operation?.sync;
  if (!os || !sync || sync.dryRun) return undefined;
  const r = os.syncResult;
  const revisions = [r?.revision, ...(r?.revisions ?? [])].filter(
    (x): x is string => Boolean(x),
  );
  return {
    phase: os.phase,
    revisions,
    ...(os.finishedAt ? { finishedAt: os.finishedAt } : {}),
    postSyncHooks: (r?.resources ?? [])
      .filter(x => x.hookType === 'PostSync')
      .map(x => ({
        kind: x.kind,
        name: x.name,
        ...(x.hookPhase ? { phase: x.hookPhase } : {}),
        ...(x.message ? { message: x.message } : {}),
      })),
  };
}

/**
 * Verification of the version running in an environment: the sign-off
 * decisions (one per version and round, by members of the policy's groups
 * with the `gitops.verification.signoff` permission, only for the version
 * running there) and Argo CD's automated verdict. It also gathers the facts
 * the policy's `verified-in-<env>` check judges.
 *
 * @internal
 */
export class VerificationService {
  readonly #o: VerificationServiceOptions;
  readonly #now: () => Date;

  constructor(options: VerificationServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The facts of one environment (for the policy and the panel). */
  async facts(entity: Entity, environment: string): Promise<VerificationFacts> {
    const entityRef = stringifyEntityRef(entity);
    const [state, decisions] = await Promise.all([
      this.#o.reader.getEnvironments(entity),
      this.#o.store.list({ entityRef, environment }),
    ]);
    const env = state.environments.find(e => e.name === environment);
    const facts: VerificationFacts = {
      environment,
      decisions,
      ...(env?.version ? { running: env.version } : {}),
      ...(env?.health?.status ? { health: env.health.status } : {}),
      ...(env?.healthySince ? { healthySince: env.healthySince } : {}),
    };
    const app = env?.application;
    if (!app || env?.error) return facts;
    try {
      const live = await this.#o.argo.getApplication(app.instance, app.name, {
        appNamespace: app.namespace,
        project: app.project,
        cached: true,
      });
      const newest = [...(live.status?.history ?? [])].sort(
        (a, b) => Number(b.id) - Number(a.id),
      )[0];
      const running = [
        newest?.revision ?? live.status?.sync?.revision,
        ...(newest?.revisions ?? live.status?.sync?.revisions ?? []),
      ].filter((x): x is string => Boolean(x));
      facts.runningRevisions = running;
      const sync = syncFacts(live);
      if (sync) facts.lastSync = sync;
    } catch (e) {
      this.#o.logger.warn(
        `application ${app.name} of ${environment} could not be read for its verification: ${e}`,
      );
    }
    if (env?.version && this.#o.reader.getHistory) {
      const history = await this.#o.reader
        .getHistory(entity, environment)
        .catch(() => undefined);
      const current = history?.items
        .filter(h => h.source === 'argocd' && h.deployedAt)
        .sort(
          (a, b) => Date.parse(b.deployedAt!) - Date.parse(a.deployedAt!),
        )[0];
      if (current?.version === env.version && current.degradedAt) {
        facts.degradedAt = current.degradedAt;
      }
    }
    return facts;
  }

  /**
   * Versions whose sign-off stands as verified in the environment (for the
   * promote dialog's tag list: "verified in staging").
   */
  async verifiedVersions(
    entity: Entity,
    environment: string,
  ): Promise<Set<string>> {
    const decisions = await this.#o.store.list({
      entityRef: stringifyEntityRef(entity),
      environment,
    });
    const versions = [...new Set(decisions.map(d => d.version))];
    return new Set(
      versions.filter(
        v => standingSignOff(decisions, v, []).status === 'verified',
      ),
    );
  }

  /** `GET …/environments/:env/verification`. */
  async get(
    entityRef: string,
    environment: string,
    caller: Pick<Caller, 'credentials' | 'claims'>,
  ): Promise<EnvironmentVerification> {
    const entity = await this.#o.entity(entityRef, caller.credentials);
    return this.#view(entity, environment, caller.claims);
  }

  /**
   * The verification of an environment of an entity the caller has already
   * loaded with its own credentials, `canSignOff` for `claims` (the tab's
   * overview, which has read `state` already). Where the environment's
   * policy configures no verification the answer is only that (no decisions,
   * no Argo CD read): the tab shows nothing there.
   */
  async view(
    entity: Entity,
    environment: string,
    claims: string[],
    state: Pick<EntityGitOpsState, 'pipeline'>,
  ): Promise<EnvironmentVerification> {
    const policy = environmentPolicy(
      pipelinePolicy(this.#o.policies, state.pipeline),
      environment,
    );
    if (!policy.verification) {
      return {
        entityRef: stringifyEntityRef(entity),
        environment,
        configured: false,
        decisions: [],
        canSignOff: false,
      };
    }
    return this.#view(entity, environment, claims);
  }

  /** `POST …/environments/:env/verification`: records one decision. */
  async decide(
    entityRef: string,
    environment: string,
    body: VerificationDecisionRequest,
    caller: Caller,
  ): Promise<EnvironmentVerification> {
    const entity = await this.#o.entity(entityRef, caller.credentials);
    const ref = stringifyEntityRef(entity);
    const policy = await this.#policy(entity, environment);
    const groups = policy.verification?.signOff?.groups;
    if (!groups) {
      throw new InputError(
        `environment: ${environment} has no sign-off in its policy (${policy.configPath}.verification.signOff)`,
      );
    }
    await this.#o.requireSignOffPermission(ref, caller.credentials);
    if (!matchesRefs(caller.claims, groups)) {
      throw new NotAllowedError(
        `decidedBy: ${caller.userEntityRef} is not a member of ${groups.join(
          ', ',
        )}, who sign off in ${environment}`,
      );
    }
    const state = await this.#o.reader.getEnvironments(entity);
    const running = state.environments.find(
      e => e.name === environment,
    )?.version;
    if (running !== body.version) {
      throw new ConflictError(
        running
          ? `version: ${environment} runs ${running}, not ${body.version}; only the version running there can be signed off`
          : `version: the version running in ${environment} is unknown, so ${body.version} cannot be signed off there`,
      );
    }
    const result = await this.#o.store.record({
      entityRef: ref,
      environment,
      version: body.version,
      decision: body.decision,
      decidedBy: caller.userEntityRef,
      claims: caller.claims,
      comment: body.comment,
      now: this.#now(),
    });
    if (!('recorded' in result)) throw new ConflictError(result.reason);
    try {
      this.#o.onDecided?.(ref);
    } catch {
      // telling the views never fails a recorded decision
    }
    return this.#view(entity, environment, caller.claims);
  }

  async #policy(entity: Entity, environment: string) {
    const state = await this.#o.reader.getEnvironments(entity);
    const pipeline = pipelinePolicy(this.#o.policies, state.pipeline);
    return environmentPolicy(pipeline, environment);
  }

  async #view(
    entity: Entity,
    environment: string,
    claims: string[],
  ): Promise<EnvironmentVerification> {
    const policy = await this.#policy(entity, environment);
    const v = policy.verification;
    const facts = await this.facts(entity, environment);
    const groups = v?.signOff?.groups;
    return {
      entityRef: stringifyEntityRef(entity),
      environment,
      configured: Boolean(v),
      ...(facts.running ? { version: facts.running } : {}),
      ...(groups && facts.running
        ? { signOff: standingSignOff(facts.decisions, facts.running, groups) }
        : {}),
      ...(groups && !facts.running
        ? { signOff: { status: 'pending' as const, groups } }
        : {}),
      ...(v?.automated
        ? {
            automated: automatedVerdict(
              v.automated,
              facts,
              this.#now().getTime(),
            ),
          }
        : {}),
      decisions: facts.decisions,
      canSignOff: Boolean(groups && matchesRefs(claims, groups)),
    };
  }
}
