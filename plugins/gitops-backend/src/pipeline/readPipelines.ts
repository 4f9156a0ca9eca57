import { Config } from '@backstage/config';
import { GitopsConfigError } from '../argocd/config';
import { Pipeline, PipelineEnvironment, PipelineSet } from './Pipeline';

/** Default application name template. */
export const DEFAULT_APPLICATION_NAME = '{app}-{env}';

const NAME_RE = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i;

/**
 * Reads and validates `gitops.defaultPipeline` and `gitops.pipelines`. A wrong
 * config throws {@link GitopsConfigError} naming the key path and the reason.
 *
 * @param knownInstances - Argo CD instance names, to check `instance` references
 * @param knownClusters - Helm cluster names, to check `helmCluster` references
 * @public
 */
export function readPipelines(
  config: Config,
  knownInstances: string[],
  knownClusters: string[] = [],
): PipelineSet {
  const pipelines = new Map<string, Pipeline>();
  const root = config.getOptionalConfig('gitops.pipelines');
  for (const name of root?.keys() ?? []) {
    const path = `gitops.pipelines.${name}`;
    pipelines.set(
      name,
      readPipeline(
        root!.getConfig(name),
        name,
        path,
        knownInstances,
        knownClusters,
      ),
    );
  }
  let defaultPipeline = config.getOptionalString('gitops.defaultPipeline');
  if (defaultPipeline !== undefined && !pipelines.has(defaultPipeline)) {
    throw new GitopsConfigError(
      'gitops.defaultPipeline',
      `pipeline '${defaultPipeline}' is not defined under gitops.pipelines (defined: ${
        [...pipelines.keys()].join(', ') || 'none'
      })`,
    );
  }
  if (defaultPipeline === undefined && pipelines.size === 1) {
    defaultPipeline = [...pipelines.keys()][0];
  }
  return { defaultPipeline, pipelines };
}

function readPipeline(
  c: Config,
  name: string,
  path: string,
  knownInstances: string[],
  knownClusters: string[],
): Pipeline {
  const applicationName =
    c.getOptionalString('applicationName') ?? DEFAULT_APPLICATION_NAME;
  const environmentLabel = c.getOptionalString('environmentLabel');
  const placeholders = applicationName.match(/\{[^}]*\}/g) ?? [];
  for (const p of placeholders) {
    if (p !== '{app}' && p !== '{env}') {
      throw new GitopsConfigError(
        `${path}.applicationName`,
        `unknown placeholder ${p}; only {app} and {env} are supported`,
      );
    }
  }
  const envConfigs = c.getOptionalConfigArray('environments') ?? [];
  if (envConfigs.length === 0) {
    throw new GitopsConfigError(
      `${path}.environments`,
      'a pipeline needs at least one environment',
    );
  }
  if (
    envConfigs.length > 1 &&
    !applicationName.includes('{env}') &&
    !environmentLabel
  ) {
    throw new GitopsConfigError(
      `${path}.applicationName`,
      `must contain {env} (or set ${path}.environmentLabel) so that each environment has its own application`,
    );
  }
  const environments: PipelineEnvironment[] = [];
  envConfigs.forEach((e, order) => {
    const envPath = `${path}.environments[${order}]`;
    const envName = e.getString('name');
    if (!NAME_RE.test(envName)) {
      throw new GitopsConfigError(
        `${envPath}.name`,
        `'${envName}' is not a valid environment name`,
      );
    }
    if (environments.some(x => x.name === envName)) {
      throw new GitopsConfigError(
        `${envPath}.name`,
        `duplicate environment '${envName}'`,
      );
    }
    const promotesFrom = e.getOptionalString('promotesFrom');
    if (promotesFrom !== undefined) {
      if (promotesFrom === envName) {
        throw new GitopsConfigError(
          `${envPath}.promotesFrom`,
          'an environment cannot promote from itself',
        );
      }
      if (!environments.some(x => x.name === promotesFrom)) {
        throw new GitopsConfigError(
          `${envPath}.promotesFrom`,
          `'${promotesFrom}' must be an environment listed before '${envName}' in the same pipeline`,
        );
      }
    }
    const instance = e.getOptionalString('instance');
    if (instance !== undefined && !knownInstances.includes(instance)) {
      throw new GitopsConfigError(
        `${envPath}.instance`,
        `Argo CD instance '${instance}' is not configured (configured: ${
          knownInstances.join(', ') || 'none'
        })`,
      );
    }
    let helmCluster = e.getOptionalString('helmCluster');
    if (helmCluster !== undefined && !knownClusters.includes(helmCluster)) {
      throw new GitopsConfigError(
        `${envPath}.helmCluster`,
        `Helm cluster '${helmCluster}' is not configured under gitops.helm.clusters`,
      );
    }
    if (helmCluster === undefined) {
      if (instance && knownClusters.includes(instance)) helmCluster = instance;
      else if (knownClusters.length === 1) helmCluster = knownClusters[0];
    }
    environments.push({
      name: envName,
      order,
      promotesFrom,
      instance,
      helmCluster,
      configPath: envPath,
      config: e,
    });
  });
  return {
    name,
    applicationName,
    environmentLabel,
    environments,
    configPath: path,
    config: c,
  };
}
