import { InputError, NotFoundError } from '@backstage/errors';
import {
  EnvironmentError,
  EnvironmentFreshness,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import {
  EntityGitOpsSpec,
  Pipeline,
  PipelineEnvironment,
  applicationNameFor,
  environmentOfApplication,
} from '../pipeline';
import { decideBinding } from '../binding/decideBinding';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { checkApplicationName } from '../pipeline/names';
import { toEnvironmentError } from './mapApplication';
import { ApplicationReads } from './ApplicationReads';

/** Where one environment's application was found, or why not. @public */
export type LocatedApplication =
  | {
      app: ArgoApplication;
      instance: string;
      error?: undefined;
      /** Where the application object came from (mirror or Argo CD). */
      freshness?: EnvironmentFreshness;
    }
  | {
      app?: undefined;
      instance?: string;
      error: EnvironmentError;
      freshness?: EnvironmentFreshness;
    };

/**
 * Finds each pipeline environment's Argo CD application for an entity, from
 * its annotations (see the README). Instances are queried in parallel; an
 * instance failure only affects the environments it could have served.
 *
 * The annotations only claim applications: an application is returned only
 * when its binding (the Application's own annotation, or the platform's
 * `gitops.bindings` rules) allows this entity and this pipeline; otherwise
 * the environment carries the reason (NotAllowedError, or ConflictError when
 * two entities are bound to the application) and no application data.
 *
 * @public
 */
export class ApplicationLocator {
  readonly #client: ArgoCdClient;
  readonly #bindings: BindingConfig;
  readonly #reads: ApplicationReads;

  constructor(
    client: ArgoCdClient,
    bindings: BindingConfig = DEFAULT_BINDINGS,
    /** Where Application objects are read (default: Argo CD directly). */
    reads: ApplicationReads = new ApplicationReads(client),
  ) {
    this.#client = client;
    this.#bindings = bindings;
    this.#reads = reads;
  }

  /** The application if its binding lets this entity steer it under this pipeline, else the reason. */
  #bind(
    pipeline: Pipeline,
    spec: EntityGitOpsSpec,
    app: ArgoApplication,
    instance: string,
    freshness?: EnvironmentFreshness,
  ): LocatedApplication {
    const decision = decideBinding(
      this.#bindings,
      {
        instance,
        name: app.metadata.name,
        project: app.spec.project,
        labels: app.metadata.labels,
        annotations: app.metadata.annotations,
      },
      { ref: spec.entityRef, owners: spec.owners },
      pipeline.name,
    );
    if (decision.bound) return { app, instance, freshness };
    return {
      instance,
      freshness,
      error: {
        name: decision.conflict ? 'ConflictError' : 'NotAllowedError',
        message: decision.reason,
        instance,
      },
    };
  }

  #candidates(spec: EntityGitOpsSpec, env: PipelineEnvironment): string[] {
    if (spec.instances) return spec.instances;
    if (env.instance) return [env.instance];
    return this.#client.listInstances().map(i => i.name);
  }

  #scope(spec: EntityGitOpsSpec) {
    return {
      project: spec.projects?.length === 1 ? spec.projects[0] : undefined,
      appNamespace: spec.appNamespace,
    };
  }

  /** Locates the application of every environment (or only of `only`). */
  async locate(
    pipeline: Pipeline,
    spec: EntityGitOpsSpec,
    only?: string,
  ): Promise<Map<string, LocatedApplication>> {
    const envs = pipeline.environments.filter(e => !only || e.name === only);
    if (spec.baseApp) {
      // Every name is checked before the first call goes out.
      const names = envs.map(env => {
        const name = applicationNameFor(pipeline, spec.baseApp!, env.name);
        const problem = checkApplicationName(name);
        if (problem) {
          throw new InputError(
            `Annotation gitops/app '${spec.baseApp}' gives environment '${env.name}' of pipeline '${pipeline.name}' an invalid name: ${problem}`,
          );
        }
        return name;
      });
      const result = new Map<string, LocatedApplication>();
      await Promise.all(
        envs.map(async (env, i) => {
          const name = names[i];
          const found = await this.#findByName(
            name,
            this.#candidates(spec, env),
            spec,
          );
          result.set(
            env.name,
            found.app
              ? this.#bind(
                  pipeline,
                  spec,
                  found.app,
                  found.instance,
                  found.freshness,
                )
              : found,
          );
        }),
      );
      return result;
    }
    return this.#locateByQuery(pipeline, spec, envs);
  }

  async #findByName(
    name: string,
    instances: string[],
    spec: EntityGitOpsSpec,
  ): Promise<LocatedApplication> {
    const attempts = await Promise.all(
      instances.map(async instance => {
        try {
          const read = await this.#reads.get(instance, name, this.#scope(spec));
          return { instance, app: read.app, freshness: read.freshness };
        } catch (error) {
          return { instance, error };
        }
      }),
    );
    const found = attempts.find(a => a.app);
    if (found?.app) {
      return {
        app: found.app,
        instance: found.instance,
        freshness: found.freshness,
      };
    }
    // Argo CD answers 403 for a missing app (existence hiding) and 404 with a project.
    const failed = attempts.find(
      a =>
        a.error &&
        !['NotFoundError', 'NotAllowedError'].includes((a.error as Error).name),
    );
    if (failed) {
      return {
        instance: failed.instance,
        error: toEnvironmentError(failed.error, failed.instance),
      };
    }
    return {
      instance: instances.length === 1 ? instances[0] : undefined,
      error: toEnvironmentError(
        new NotFoundError(
          `Application '${name}' was not found on Argo CD instance${
            instances.length > 1 ? 's' : ''
          } ${instances
            .map(i => `'${i}'`)
            .join(', ')} (or the configured Argo CD account may not read it)`,
        ),
        instances.length === 1 ? instances[0] : undefined,
      ),
    };
  }

  async #locateByQuery(
    pipeline: Pipeline,
    spec: EntityGitOpsSpec,
    envs: PipelineEnvironment[],
  ): Promise<Map<string, LocatedApplication>> {
    const instances = [
      ...new Set(envs.flatMap(e => this.#candidates(spec, e))),
    ];
    const perInstance = await Promise.all(
      instances.map(async instance => {
        try {
          let apps: ArgoApplication[];
          let freshness: EnvironmentFreshness | undefined;
          if (spec.appNames) {
            const found = await Promise.all(
              spec.appNames.map(n =>
                this.#reads
                  .get(instance, n, this.#scope(spec))
                  .then(r => {
                    freshness = r.freshness;
                    return r.app;
                  })
                  .catch(e => {
                    if (
                      ['NotFoundError', 'NotAllowedError'].includes(
                        (e as Error).name,
                      )
                    )
                      return undefined;
                    throw e;
                  }),
              ),
            );
            apps = found.filter((a): a is ArgoApplication => !!a);
          } else {
            const listed = await this.#reads.list(instance, {
              selector: spec.selector,
              projects: spec.projects,
              appNamespace: spec.appNamespace,
            });
            apps = listed.apps;
            freshness = listed.freshness;
          }
          return { instance, apps, freshness };
        } catch (error) {
          return {
            instance,
            apps: [] as ArgoApplication[],
            freshness: undefined,
            error,
          };
        }
      }),
    );

    const result = new Map<string, LocatedApplication>();
    // The first refusal per environment, shown when no bound app serves it.
    const refused = new Map<string, LocatedApplication>();
    for (const { instance, apps, freshness } of perInstance) {
      for (const app of [...apps].sort((a, b) =>
        a.metadata.name.localeCompare(b.metadata.name),
      )) {
        const env = environmentOfApplication(
          pipeline,
          { name: app.metadata.name, labels: app.metadata.labels },
          spec.baseApp,
        );
        const target = envs.find(e => e.name === env);
        if (!target || result.has(target.name)) continue;
        if (!this.#candidates(spec, target).includes(instance)) continue;
        const bound = this.#bind(pipeline, spec, app, instance, freshness);
        if (bound.app) {
          result.set(target.name, bound);
        } else if (!refused.has(target.name)) {
          refused.set(target.name, bound);
        }
      }
    }
    for (const [env, refusal] of refused) {
      if (!result.has(env)) result.set(env, refusal);
    }
    const how = spec.appNames
      ? `argocd/app-name '${spec.appNames.join(',')}'`
      : [
          spec.selector && `selector '${spec.selector}'`,
          spec.projects && `project '${spec.projects.join(',')}'`,
        ]
          .filter(Boolean)
          .join(' and ');
    const match = pipeline.environmentLabel
      ? `label '${pipeline.environmentLabel}'`
      : `name template '${pipeline.applicationName}'`;
    for (const env of envs) {
      if (result.has(env.name)) continue;
      const candidates = this.#candidates(spec, env);
      const failed = perInstance.find(
        p => p.error && candidates.includes(p.instance),
      );
      if (failed) {
        result.set(env.name, {
          instance: failed.instance,
          error: toEnvironmentError(failed.error, failed.instance),
        });
      } else {
        result.set(env.name, {
          instance: candidates.length === 1 ? candidates[0] : undefined,
          error: toEnvironmentError(
            new NotFoundError(
              `No application found by ${how} for environment '${env.name}' (matched by ${match})`,
            ),
            candidates.length === 1 ? candidates[0] : undefined,
          ),
        });
      }
    }
    return result;
  }
}
