import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CommitInfo,
  EnvironmentError,
  EnvironmentHistory,
  HistoryEntry,
} from '@internal/plugin-gitops-common';
import pLimit from 'p-limit';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoRevisionHistory } from '../argocd/types';
import { allowedHelmNamespaces } from '../binding/decideBinding';
import { BindingConfig } from '../binding/types';
import { DeploymentService } from '../deployments/DeploymentService';
import { HelmReleaseReader } from '../helm/HelmReleaseReader';
import { EntityGitOpsSpec, Pipeline, PipelineEnvironment } from '../pipeline';
import { LocatedApplication } from './ApplicationLocator';
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
import { toEnvironmentError } from './mapApplication';

/** Locates one environment's application as the read side does everywhere. */
export type LocateEnvironment = (
  entity: Entity,
  envName: string,
) => Promise<{
  pipeline: Pipeline;
  spec: EntityGitOpsSpec;
  env: PipelineEnvironment;
  located: LocatedApplication;
}>;

/**
 * History of one environment: Argo CD history rows with commit metadata
 * (revision metadata reads, cached by SHA in the client) joined to the
 * deployment record, merged with the Helm release history the binding lets
 * the entity read.
 */
export class HistoryReader {
  readonly #client: ArgoCdClient;
  readonly #helm?: HelmReleaseReader;
  readonly #bindings: BindingConfig;
  readonly #deployments?: DeploymentService;
  readonly #locate: LocateEnvironment;
  readonly #url: (l: LocatedApplication & { app: {} }) => string;

  constructor(options: {
    client: ArgoCdClient;
    helm?: HelmReleaseReader;
    bindings: BindingConfig;
    deployments?: DeploymentService;
    locate: LocateEnvironment;
    url: (l: LocatedApplication & { app: {} }) => string;
  }) {
    this.#client = options.client;
    this.#helm = options.helm;
    this.#bindings = options.bindings;
    this.#deployments = options.deployments;
    this.#locate = options.locate;
    this.#url = options.url;
  }

  /** Argo CD history with commit data, merged with Helm release history. */
  async getHistory(
    entity: Entity,
    envName: string,
  ): Promise<EnvironmentHistory> {
    const { pipeline, spec, env, located } = await this.#locate(
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
}
