import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  EntityGitOpsState,
  EnvironmentApplication,
  EnvironmentDiff,
  EnvironmentHistory,
  EnvironmentResources,
  EnvironmentState,
  WindowState,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { HelmReleaseReader } from '../helm/HelmReleaseReader';
import {
  EntityGitOpsSpec,
  Pipeline,
  PipelineEnvironment,
  PipelineSet,
  readEntitySpec,
} from '../pipeline';
import { DeploymentService } from '../deployments/DeploymentService';
import { VersionContext } from '../deployments/versionEvidence';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { ApplicationLocator, LocatedApplication } from './ApplicationLocator';
import { ApplicationReads } from './ApplicationReads';
import { HistoryReader } from './HistoryReader';
import { LiveResources } from './LiveResources';
import {
  argoCdAppUrl,
  errorEnvironment,
  toEnvironmentState,
} from './mapApplication';
import { WindowStateProvider } from './WindowStateProvider';
import { WindowStates, sameIdentity } from './WindowStates';

/** Options of {@link GitOpsStateService.create}. @public */
export interface GitOpsStateServiceOptions {
  client: ArgoCdClient;
  helm?: HelmReleaseReader;
  pipelines: PipelineSet;
  logger?: LoggerService;
  windowStateProvider?: WindowStateProvider;
  /** How long a computed window state is reused (default 5 s). */
  windowStateTtlMs?: number;
  /** Which entities may steer which applications (`gitops.bindings`). */
  bindings?: BindingConfig;
  /** Deployment record and version identity (Git at the synced revision). */
  deployments?: DeploymentService;
  /**
   * Application objects from the watch-stream mirrors while they are live
   * (no Argo CD call); otherwise, and without mirrors, from Argo CD directly.
   */
  mirrors?: ApplicationMirrors;
}

/**
 * The read side: what runs where, for one catalog entity. Callers must have
 * checked that the user may see the entity.
 *
 * Application objects come from the instance's mirror when it is live
 * (`freshness.source: 'mirror'`), else from Argo CD through the read cache
 * (`'direct'`, `stale` while a configured mirror is down). History
 * (`HistoryReader`: revision metadata cached by SHA), diffs and resource
 * trees (`LiveResources`: read cache) are read from Argo CD.
 *
 * @public
 */
export class GitOpsStateService {
  readonly #client: ArgoCdClient;
  readonly #pipelines: PipelineSet;
  readonly #locator: ApplicationLocator;
  readonly #logger?: LoggerService;
  readonly #deployments?: DeploymentService;
  readonly #windowStates?: WindowStates;
  readonly #history: HistoryReader;
  readonly #resources: LiveResources;

  static create(options: GitOpsStateServiceOptions): GitOpsStateService {
    return new GitOpsStateService(options);
  }

  private constructor(options: GitOpsStateServiceOptions) {
    const bindings = options.bindings ?? DEFAULT_BINDINGS;
    this.#deployments = options.deployments;
    this.#client = options.client;
    this.#pipelines = options.pipelines;
    this.#logger = options.logger;
    this.#locator = new ApplicationLocator(
      options.client,
      bindings,
      new ApplicationReads(options.client, options.mirrors),
    );
    this.#windowStates = options.windowStateProvider
      ? new WindowStates({
          windows: options.windowStateProvider,
          logger: options.logger,
          ttlMs: options.windowStateTtlMs ?? 5_000,
        })
      : undefined;
    const locate = (entity: Entity, env: string) =>
      this.locateEnvironment(entity, env);
    this.#history = new HistoryReader({
      client: options.client,
      helm: options.helm,
      bindings,
      deployments: options.deployments,
      locate,
      url: l => this.#url(l),
    });
    this.#resources = new LiveResources(options.client, locate);
  }

  /** The entity's pipeline and annotations; NotFoundError when it is not set up for GitOps. */
  resolve(entity: Entity): { pipeline: Pipeline; spec: EntityGitOpsSpec } {
    const ref = stringifyEntityRef(entity);
    const spec = readEntitySpec(entity);
    if (!spec) {
      throw new NotFoundError(
        `Entity ${ref} has no GitOps annotations (gitops/app, argocd/app-name, argocd/app-selector or argocd/project-name)`,
      );
    }
    const name = spec.pipeline ?? this.#pipelines.defaultPipeline;
    if (!name) {
      throw new InputError(
        `Entity ${ref} names no pipeline (gitops/pipeline) and gitops.defaultPipeline is not set`,
      );
    }
    const pipeline = this.#pipelines.pipelines.get(name);
    if (!pipeline) {
      throw new InputError(
        `Entity ${ref} uses pipeline '${name}', which is not configured in gitops.pipelines`,
      );
    }
    for (const inst of spec.instances ?? []) {
      if (!this.#client.listInstances().some(i => i.name === inst)) {
        throw new InputError(
          `Entity ${ref} names Argo CD instance '${inst}', which is not configured`,
        );
      }
    }
    return { pipeline, spec };
  }

  #environment(pipeline: Pipeline, env: string): PipelineEnvironment {
    const e = pipeline.environments.find(x => x.name === env);
    if (!e) {
      throw new NotFoundError(
        `Pipeline '${pipeline.name}' has no environment '${env}'`,
      );
    }
    return e;
  }

  #url(l: LocatedApplication & { app: {} }): string {
    return argoCdAppUrl(
      this.#client.getInstance(l.instance).externalUrl,
      l.app.metadata.name,
      l.app.metadata.namespace,
    );
  }

  /**
   * Drops cached Argo CD reads of instances where a deployment was recorded
   * or updated since the last look (by any replica: the record is in the
   * shared database), so reads after our own changes are fresh everywhere.
   */
  async #freshen(): Promise<void> {
    if (!this.#deployments) return;
    try {
      for (const instance of await this.#deployments.changedInstances()) {
        if (this.#client.listInstances().some(i => i.name === instance)) {
          this.#client.invalidate(instance);
        }
      }
    } catch (e) {
      this.#logger?.warn(
        `deployment record could not be checked for changes: ${
          (e as Error).message
        }`,
      );
    }
  }

  /** Version identity of what runs now (Git read at the synced revision). */
  async #liveVersion(ctx: VersionContext) {
    if (!this.#deployments) return undefined;
    try {
      return await this.#deployments.liveVersion(ctx);
    } catch (e) {
      this.#logger?.warn(
        `version of ${ctx.app.metadata.name} could not be determined: ${
          (e as Error).message
        }`,
      );
      return undefined;
    }
  }

  /** Every environment of the entity; one failing instance only fails its environments. */
  async getEnvironments(entity: Entity): Promise<EntityGitOpsState> {
    const { pipeline, spec } = this.resolve(entity);
    const entityRef = stringifyEntityRef(entity);
    const key = (env: string) => `${entityRef}|${pipeline.name}|${env}`;
    await this.#freshen();
    // Upstream reads first, so that they are on the wire before any CPU work.
    const locating = this.#locator.locate(pipeline, spec);
    // Window state of known applications is computed meanwhile (after this
    // turn of the event loop, once the requests above are sent).
    const early = new Map<
      string,
      { app: EnvironmentApplication; window: Promise<WindowState | undefined> }
    >();
    const windows = this.#windowStates;
    if (windows) {
      const afterIo = new Promise<void>(resolve => setImmediate(resolve));
      for (const env of pipeline.environments) {
        const known = windows.knownIdentity(key(env.name));
        if (known) {
          early.set(env.name, {
            app: known,
            window: afterIo.then(() =>
              windows.get(entityRef, pipeline, env, known),
            ),
          });
        }
      }
    }
    const located = await locating;
    const environments = await Promise.all(
      pipeline.environments.map(async (env): Promise<EnvironmentState> => {
        const base = {
          name: env.name,
          order: env.order,
          promotesFrom: env.promotesFrom,
        };
        const l = located.get(env.name);
        let state: EnvironmentState;
        if (l?.app) {
          const identity = await this.#liveVersion({
            pipeline,
            environment: env,
            baseApp: spec.baseApp,
            entity,
            app: l.app,
          });
          state = toEnvironmentState(
            base,
            l.app,
            l.instance,
            this.#url(l),
            identity,
          );
          await this.#deployments?.observe(
            {
              pipeline,
              environment: env,
              baseApp: spec.baseApp,
              entity,
              app: l.app,
              entityRef,
              instance: l.instance,
            },
            state.version,
          );
        } else {
          state = errorEnvironment(
            base,
            l?.error ?? { name: 'NotFoundError', message: 'not located' },
          );
        }
        if (l?.freshness) state.freshness = l.freshness;
        if (windows) {
          const pre = early.get(env.name);
          state.window =
            pre && state.application && sameIdentity(pre.app, state.application)
              ? await pre.window
              : await windows.get(entityRef, pipeline, env, state.application);
          if (state.application) {
            windows.remember(key(env.name), state.application);
          }
        }
        return state;
      }),
    );
    return { entityRef, pipeline: pipeline.name, environments };
  }

  /**
   * The application of one environment of the entity, located and bound as
   * for every read of this service (the entity's pipeline, `gitops.bindings`,
   * fresh after recorded deployments). Other read sides (troubleshooting) use
   * this so that an entity reads the same applications everywhere.
   * NotFoundError for an environment the pipeline does not have.
   */
  async locateEnvironment(
    entity: Entity,
    envName: string,
  ): Promise<{
    pipeline: Pipeline;
    spec: EntityGitOpsSpec;
    env: PipelineEnvironment;
    located: LocatedApplication;
  }> {
    const { pipeline, spec } = this.resolve(entity);
    await this.#freshen();
    const env = this.#environment(pipeline, envName);
    const located = (await this.#locator.locate(pipeline, spec, env.name)).get(
      env.name,
    )!;
    return { pipeline, spec, env, located };
  }

  /** Argo CD history with commit data, merged with Helm release history. */
  async getHistory(
    entity: Entity,
    envName: string,
  ): Promise<EnvironmentHistory> {
    return this.#history.getHistory(entity, envName);
  }

  /** Managed resources with a readable diff of live vs target. */
  async getDiff(entity: Entity, envName: string): Promise<EnvironmentDiff> {
    return this.#resources.getDiff(entity, envName);
  }

  /** Live resources with health and images. */
  async getResources(
    entity: Entity,
    envName: string,
  ): Promise<EnvironmentResources> {
    return this.#resources.getResources(entity, envName);
  }
}
