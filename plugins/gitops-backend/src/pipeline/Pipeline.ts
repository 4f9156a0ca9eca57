import { Config } from '@backstage/config';

/**
 * One environment of a pipeline, in pipeline order.
 *
 * `config` is the raw config block of the environment so that other modules
 * (policy, write-back) can read their own keys from the same entry.
 *
 * @public
 */
export interface PipelineEnvironment {
  /** Environment name, e.g. `prod`. */
  name: string;
  /** 0-based position in the pipeline. */
  order: number;
  /** Environment whose versions this one takes. */
  promotesFrom?: string;
  /** Argo CD instance that runs this environment's applications (from config; an entity annotation may override it). */
  instance?: string;
  /** Kubernetes cluster (from `gitops.helm.clusters`) holding this environment's Helm releases. */
  helmCluster?: string;
  /** Config path of this entry, e.g. `gitops.pipelines.standard.environments[2]`, for error messages. */
  configPath: string;
  /** The raw config block. */
  config: Config;
}

/** A promotion pipeline from `gitops.pipelines.<name>`. @public */
export interface Pipeline {
  name: string;
  /**
   * Application name template with `{app}` (the entity's base app name) and
   * `{env}` (environment name), e.g. `{app}-{env}`.
   */
  applicationName: string;
  /** Argo CD application label whose value is the environment name, if apps are matched by label. */
  environmentLabel?: string;
  environments: PipelineEnvironment[];
  /** Config path, e.g. `gitops.pipelines.standard`. */
  configPath: string;
  /** The raw config block. */
  config: Config;
}

/** All pipelines from config. @public */
export interface PipelineSet {
  /** `gitops.defaultPipeline`, or the only pipeline when there is exactly one. */
  defaultPipeline?: string;
  pipelines: Map<string, Pipeline>;
}
