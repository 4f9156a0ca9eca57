import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CommitInfo,
  EntityGitOpsState,
  EnvironmentApplication,
  EnvironmentDiff,
  EnvironmentError,
  EnvironmentHistory,
  EnvironmentResources,
  EnvironmentState,
  HistoryEntry,
  WindowState,
} from '@internal/plugin-gitops-common';
import pLimit from 'p-limit';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { allowedHelmNamespaces } from '../binding/decideBinding';
import { ArgoRevisionHistory } from '../argocd/types';
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
import { ApplicationLocator, LocatedApplication } from './ApplicationLocator';
import {
  MAX_COMMIT_LOOKUPS,
  argoHistoryRows,
  historySources,
  isCommitRevision,
  isCommitSource,
  mergeHistory,
  toArgoHistoryEntry,
  toHelmHistoryEntry,
} from './history';
import {
  argoCdAppUrl,
  errorEnvironment,
  toEnvironmentError,
  toEnvironmentState,
} from './mapApplication';
import { toResourceDiff } from './resourceDiff';
import { WindowStateProvider } from './WindowStateProvider';

/** Longest reuse of a computed window state. */
const WINDOW_STATE_MAX_MS = 60_000;

/**
 * The read side: what runs where, for one catalog entity. Callers must have
 * checked that the user may see the entity.
 *
 * @public
 */
export class GitOpsStateService {
  readonly #client: ArgoCdClient;
  readonly #helm?: HelmReleaseReader;
  readonly #pipelines: PipelineSet;
  readonly #locator: ApplicationLocator;
  readonly #bindings: BindingConfig;
  readonly #logger?: LoggerService;
  readonly #deployments?: DeploymentService;
  readonly #windows?: WindowStateProvider;
  /**
   * Last application identity seen per entity environment, so that window
   * state (which needs the app's instance/name/project/namespace) can be read
   * in parallel with the application instead of after it.
   */
  readonly #identities = new Map<string, EnvironmentApplication>();
  /** Recent window states (they depend on time and config only; evaluating cron windows costs CPU). */
  readonly #windowStates = new Map<
    string,
    { value: Promise<WindowState | undefined>; expires: number }
  >();
  readonly #windowStateTtlMs: number;

  static create(options: {
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
  }): GitOpsStateService {
    return new GitOpsStateService(options);
  }

  private constructor(options: {
    client: ArgoCdClient;
    helm?: HelmReleaseReader;
    pipelines: PipelineSet;
    logger?: LoggerService;
    windowStateProvider?: WindowStateProvider;
    windowStateTtlMs?: number;
    bindings?: BindingConfig;
    deployments?: DeploymentService;
  }) {
    this.#deployments = options.deployments;
    this.#windowStateTtlMs = options.windowStateTtlMs ?? 5_000;
    this.#client = options.client;
    this.#helm = options.helm;
    this.#pipelines = options.pipelines;
    this.#bindings = options.bindings ?? DEFAULT_BINDINGS;
    this.#locator = new ApplicationLocator(options.client, this.#bindings);
    this.#logger = options.logger;
    this.#windows = options.windowStateProvider;
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
    if (this.#windows) {
      const afterIo = new Promise<void>(resolve => setImmediate(resolve));
      for (const env of pipeline.environments) {
        const known = this.#identities.get(key(env.name));
        if (known) {
          early.set(env.name, {
            app: known,
            window: afterIo.then(() =>
              this.#windowState(entityRef, pipeline, env, known),
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
        if (this.#windows) {
          const pre = early.get(env.name);
          state.window =
            pre && state.application && sameIdentity(pre.app, state.application)
              ? await pre.window
              : await this.#windowState(
                  entityRef,
                  pipeline,
                  env,
                  state.application,
                );
          if (state.application) {
            if (this.#identities.size > 10_000) this.#identities.clear();
            this.#identities.set(key(env.name), state.application);
          }
        }
        return state;
      }),
    );
    return { entityRef, pipeline: pipeline.name, environments };
  }

  async #windowState(
    entityRef: string,
    pipeline: Pipeline,
    environment: PipelineEnvironment,
    application: EnvironmentApplication | undefined,
  ): Promise<WindowState | undefined> {
    const a = application;
    const key = [
      entityRef,
      pipeline.name,
      environment.name,
      a?.instance,
      a?.name,
      a?.project,
      a?.namespace,
    ].join('|');
    const now = Date.now();
    const hit = this.#windowStates.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = (async () => {
      try {
        return await this.#windows!.getWindowState({
          entityRef,
          pipeline,
          environment,
          application,
        });
      } catch (e) {
        this.#logger?.warn(
          `Window state of ${entityRef}/${environment.name} failed: ${
            (e as Error).message
          }`,
        );
        return undefined;
      }
    })();
    if (this.#windowStateTtlMs > 0) {
      if (this.#windowStates.size > 10_000) this.#windowStates.clear();
      const entry = { value, expires: now + this.#windowStateTtlMs };
      this.#windowStates.set(key, entry);
      // A window state only changes at its next transition: keep it until
      // then (at most a minute, so that config changes show up).
      value.then(w => {
        const next = Math.min(
          ...[w?.openUntil, w?.nextOpen]
            .filter((x): x is string => !!x)
            .map(x => Date.parse(x)),
          now + WINDOW_STATE_MAX_MS,
        );
        entry.expires = Math.max(entry.expires, next);
      });
    }
    return value;
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
    const { pipeline, spec, env, located } = await this.locateEnvironment(
      entity,
      envName,
    );
    const errors: EnvironmentError[] = [];
    const rows: HistoryEntry[] = [];
    // Helm releases only in the namespaces the bound application deploys to
    // (or that a binding rule allows): none without a bound application.
    const helmNamespaces = located.app
      ? allowedHelmNamespaces(
          this.#bindings,
          {
            instance: located.instance,
            name: located.app.metadata.name,
            project: located.app.spec.project,
            labels: located.app.metadata.labels,
            annotations: located.app.metadata.annotations,
            destinationNamespace: located.app.spec.destination?.namespace,
          },
          { ref: spec.entityRef, owners: spec.owners },
        )
      : [];
    // An entity the application is not bound to reads no Helm history either
    // (the refusal of the application says why).
    const refused =
      located.error?.name === 'NotAllowedError' ||
      located.error?.name === 'ConflictError';
    const helmPart = refused
      ? Promise.resolve([])
      : this.#helmHistory(
          spec,
          env,
          errors,
          located.app
            ? { app: located.app.metadata.name, helmNamespaces }
            : undefined,
        );

    if (located.app) {
      const { app, instance } = located;
      const url = this.#url(located);
      const history = argoHistoryRows(app);
      const limit = pLimit(4);
      let commitErrors = 0;
      let lastCommitError: unknown;
      const metadata = (
        h: ArgoRevisionHistory,
        revision: string,
        sourceIndex?: number,
      ) =>
        limit(async (): Promise<CommitInfo> => {
          try {
            const m = await this.#client.getRevisionMetadata(
              instance,
              app.metadata.name,
              revision,
              {
                appNamespace: app.metadata.namespace,
                ...(sourceIndex !== undefined
                  ? { sourceIndex, versionId: Number(h.id) }
                  : {}),
              },
            );
            return {
              sha: revision,
              author: m.author,
              date: m.date,
              message: m.message,
              tags: m.tags ?? [],
            };
          } catch (e) {
            commitErrors += 1;
            lastCommitError = e;
            return { sha: revision };
          }
        });
      // Per row: one commit per source (multi-source apps: `revisions[]`,
      // metadata per `sourceIndex`), else the row's single commit.
      const perSource = await Promise.all(
        history.map(async (h, i): Promise<Array<CommitInfo | undefined>> => {
          if (i >= MAX_COMMIT_LOOKUPS) return [];
          if (h.sources?.length) {
            return Promise.all(
              h.sources.map((_, j) =>
                isCommitSource(h, j)
                  ? metadata(h, h.revisions![j], j)
                  : Promise.resolve(undefined),
              ),
            );
          }
          return isCommitRevision(h) ? [await metadata(h, h.revision!)] : [];
        }),
      );
      if (commitErrors) {
        const err = toEnvironmentError(lastCommitError, instance);
        errors.push({
          ...err,
          message: `Commit details of ${commitErrors} row(s) are missing: ${err.message}`,
        });
      }
      const ctx = {
        pipeline,
        environment: env,
        baseApp: spec.baseApp,
        entity,
        app,
        entityRef: stringifyEntityRef(entity),
        instance,
      };
      const tags = perSource.map(cs => cs.flatMap(c => c?.tags ?? []));
      const joined = this.#deployments
        ? await this.#deployments.joinHistory(ctx, history, tags)
        : undefined;
      const appNames = [app.metadata.name, spec.baseApp].filter(
        (n): n is string => !!n,
      );
      history.forEach((h, i) => {
        const commits = perSource[i];
        const j = joined?.[i];
        rows.push(
          toArgoHistoryEntry(h, commits.find(Boolean), url, {
            identity: j?.identity,
            record: j?.record,
            observation: j?.observation,
            deployedBy: j?.deployedBy,
            sources: historySources(h, commits),
            appNames,
          }),
        );
      });
    } else {
      errors.push(located.error);
    }
    rows.push(...(await helmPart));
    return { items: mergeHistory(rows), errors };
  }

  async #helmHistory(
    spec: EntityGitOpsSpec,
    env: PipelineEnvironment,
    errors: EnvironmentError[],
    /** The bound application and the namespaces its binding opens; undefined: no bound application. */
    bound: { app: string; helmNamespaces: string[] } | undefined,
  ): Promise<HistoryEntry[]> {
    const claimed = spec.helmReleases.filter(
      r => !r.environment || r.environment === env.name,
    );
    if (claimed.length === 0) return [];
    const releases = claimed.filter(r =>
      bound?.helmNamespaces.includes(r.namespace),
    );
    for (const r of claimed) {
      if (releases.includes(r)) continue;
      errors.push({
        name: 'NotAllowedError',
        message: bound
          ? `Helm release ${r.namespace}/${
              r.name
            } (annotation gitops/helm-release) is not read in environment '${
              env.name
            }': namespace '${r.namespace}' is not one that application '${
              bound.app
            }' deploys to${
              bound.helmNamespaces.length
                ? ` (${bound.helmNamespaces.map(n => `'${n}'`).join(', ')})`
                : ''
            } and no gitops.bindings rule allows it (helmNamespaces)`
          : `Helm release ${r.namespace}/${r.name} (annotation gitops/helm-release) is not read in environment '${env.name}': no application bound to this entity could be read there`,
        ...(env.helmCluster ? { instance: env.helmCluster } : {}),
      });
    }
    if (releases.length === 0) return [];
    if (!this.#helm || !env.helmCluster) {
      errors.push({
        name: 'InputError',
        message: `Environment '${env.name}' has a Helm release annotation but no Helm cluster (gitops.helm.clusters / helmCluster)`,
      });
      return [];
    }
    const out: HistoryEntry[] = [];
    await Promise.all(
      releases.map(async r => {
        try {
          const history = await this.#helm!.getHistory(
            env.helmCluster!,
            r.namespace,
            r.name,
          );
          out.push(...history.releases.map(toHelmHistoryEntry));
          for (const b of history.errors) {
            errors.push({
              name: 'HelmReleaseDecodeError',
              message: `Helm release ${r.namespace}/${r.name} revision ${
                b.revision ?? '?'
              }${
                b.status ? ` (${b.status})` : ''
              } could not be read from Secret ${b.secret}: ${b.reason}`,
              instance: env.helmCluster,
            });
          }
        } catch (e) {
          errors.push(toEnvironmentError(e, env.helmCluster));
        }
      }),
    );
    return out;
  }

  /** Managed resources with a readable diff of live vs target. */
  async getDiff(entity: Entity, envName: string): Promise<EnvironmentDiff> {
    const { located } = await this.locateEnvironment(entity, envName);
    if (!located.app) throw envError(located.error);
    const res = await this.#client.getManagedResources(
      located.instance,
      located.app.metadata.name,
      {
        appNamespace: located.app.metadata.namespace,
        cached: true,
      },
    );
    return { items: (res.items ?? []).map(toResourceDiff) };
  }

  /** Live resources with health and images. */
  async getResources(
    entity: Entity,
    envName: string,
  ): Promise<EnvironmentResources> {
    const { located } = await this.locateEnvironment(entity, envName);
    if (!located.app) throw envError(located.error);
    const tree = await this.#client.getResourceTree(
      located.instance,
      located.app.metadata.name,
      {
        appNamespace: located.app.metadata.namespace,
        cached: true,
      },
    );
    return {
      items: (tree.nodes ?? []).map(n => ({
        group: n.group || undefined,
        kind: n.kind,
        namespace: n.namespace || undefined,
        name: n.name,
        health: n.health?.status
          ? { status: n.health.status as any, message: n.health.message }
          : undefined,
        images: n.images ?? [],
        parentRefs: n.parentRefs?.map(p => ({ kind: p.kind, name: p.name })),
      })),
    };
  }
}

function sameIdentity(
  a: EnvironmentApplication,
  b: EnvironmentApplication,
): boolean {
  return (
    a.instance === b.instance &&
    a.name === b.name &&
    a.project === b.project &&
    a.namespace === b.namespace
  );
}

function envError(e: EnvironmentError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
