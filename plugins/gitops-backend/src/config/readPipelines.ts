import { Config } from '@backstage/config';
import {
  Pipeline,
  PipelineEnvironment,
  PipelineSet,
} from '../pipeline/Pipeline';
import { collecting, ConfigProblems } from './errors';

/** Default application name template. */
export const DEFAULT_APPLICATION_NAME = '{app}-{env}';

const NAME_RE = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i;

/**
 * Reads and validates `gitops.defaultPipeline` and `gitops.pipelines` (the
 * structure: environments, order, `promotesFrom`, instances, clusters). The
 * one rule set for the pipeline graph. Every problem is collected; alone,
 * it throws a {@link GitopsConfigError} naming each key path and reason.
 *
 * @param knownInstances - Argo CD instance names, to check `instance` references
 * @param knownClusters - Helm cluster names, to check `helmCluster` references
 * @public
 */
export function readPipelines(
  config: Config,
  knownInstances: string[],
  knownClusters: string[] = [],
  problems?: ConfigProblems,
): PipelineSet {
  return collecting(problems, p =>
    readAll(config, knownInstances, knownClusters, p),
  );
}

function readAll(
  config: Config,
  knownInstances: string[],
  knownClusters: string[],
  problems: ConfigProblems,
): PipelineSet {
  const pipelines = new Map<string, Pipeline>();
  const root = problems.attempt('gitops.pipelines', () =>
    config.getOptionalConfig('gitops.pipelines'),
  );
  for (const name of root?.keys() ?? []) {
    const path = `gitops.pipelines.${name}`;
    const pipeline = problems.attempt(path, () =>
      readPipeline(
        root!.getConfig(name),
        name,
        path,
        knownInstances,
        knownClusters,
        problems,
      ),
    );
    if (pipeline) pipelines.set(name, pipeline);
  }
  let defaultPipeline = problems.attempt('gitops.defaultPipeline', () =>
    config.getOptionalString('gitops.defaultPipeline'),
  );
  if (defaultPipeline !== undefined && !root?.has(defaultPipeline)) {
    problems.add(
      'gitops.defaultPipeline',
      `pipeline '${defaultPipeline}' is not defined under gitops.pipelines (defined: ${
        root?.keys().join(', ') || 'none'
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
  problems: ConfigProblems,
): Pipeline {
  const applicationName =
    c.getOptionalString('applicationName') ?? DEFAULT_APPLICATION_NAME;
  const environmentLabel = c.getOptionalString('environmentLabel');
  const placeholders = applicationName.match(/\{[^}]*\}/g) ?? [];
  for (const p of placeholders) {
    if (p !== '{app}' && p !== '{env}') {
      problems.add(
        `${path}.applicationName`,
        `unknown placeholder ${p}; only {app} and {env} are supported`,
      );
    }
  }
  const envConfigs = c.getOptionalConfigArray('environments') ?? [];
  if (envConfigs.length === 0) {
    problems.add(
      `${path}.environments`,
      'a pipeline needs at least one environment',
    );
  }
  if (
    envConfigs.length > 1 &&
    !applicationName.includes('{env}') &&
    !environmentLabel
  ) {
    problems.add(
      `${path}.applicationName`,
      `must contain {env} (or set ${path}.environmentLabel) so that each environment has its own application`,
    );
  }
  const declared = envConfigs.map(e => ({
    name: e.getOptionalString('name'),
    promotesFrom: e.getOptionalString('promotesFrom'),
  }));
  const environments: PipelineEnvironment[] = [];
  envConfigs.forEach((e, order) => {
    const envPath = `${path}.environments[${order}]`;
    problems.attempt(envPath, () => {
      const env = readEnvironment(e, order, envPath, environments, declared, {
        path,
        knownInstances,
        knownClusters,
        problems,
      });
      if (env) environments.push(env);
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

function readEnvironment(
  e: Config,
  order: number,
  envPath: string,
  before: PipelineEnvironment[],
  declared: Array<{ name?: string; promotesFrom?: string }>,
  ctx: {
    path: string;
    knownInstances: string[];
    knownClusters: string[];
    problems: ConfigProblems;
  },
): PipelineEnvironment | undefined {
  const { problems, knownInstances, knownClusters } = ctx;
  const envName = e.getString('name');
  if (!NAME_RE.test(envName)) {
    problems.add(
      `${envPath}.name`,
      `'${envName}' is not a valid environment name`,
    );
    return undefined;
  }
  if (before.some(x => x.name === envName)) {
    problems.add(`${envPath}.name`, `duplicate environment '${envName}'`);
    return undefined;
  }
  const promotesFrom = e.getOptionalString('promotesFrom');
  if (promotesFrom !== undefined) {
    const problem = promotesFromProblem(
      envName,
      promotesFrom,
      before,
      declared,
      ctx.path,
    );
    if (problem) problems.add(`${envPath}.promotesFrom`, problem);
  }
  const instance = e.getOptionalString('instance');
  if (instance !== undefined && !knownInstances.includes(instance)) {
    problems.add(
      `${envPath}.instance`,
      `Argo CD instance '${instance}' is not configured (configured: ${
        knownInstances.join(', ') || 'none'
      })`,
    );
  }
  let helmCluster = e.getOptionalString('helmCluster');
  if (helmCluster !== undefined && !knownClusters.includes(helmCluster)) {
    problems.add(
      `${envPath}.helmCluster`,
      `Helm cluster '${helmCluster}' is not configured under gitops.helm.clusters`,
    );
  }
  if (helmCluster === undefined) {
    if (instance && knownClusters.includes(instance)) helmCluster = instance;
    else if (knownClusters.length === 1) helmCluster = knownClusters[0];
  }
  return {
    name: envName,
    order,
    promotesFrom,
    instance,
    helmCluster,
    configPath: envPath,
    config: e,
  };
}

/** `promotesFrom` must name an environment listed before this one. */
function promotesFromProblem(
  envName: string,
  promotesFrom: string,
  before: PipelineEnvironment[],
  declared: Array<{ name?: string; promotesFrom?: string }>,
  path: string,
): string | undefined {
  if (promotesFrom === envName) {
    return 'an environment cannot promote from itself';
  }
  if (before.some(x => x.name === promotesFrom)) return undefined;
  const names = declared.map(d => d.name).filter(Boolean);
  if (!names.includes(promotesFrom)) {
    return `unknown environment '${promotesFrom}' (environments of ${path}: ${names.join(
      ', ',
    )})`;
  }
  const seen = [envName];
  let cur: string | undefined = promotesFrom;
  while (cur !== undefined) {
    if (seen.includes(cur)) {
      return `cycle: ${[...seen, cur].join(' ← ')}`;
    }
    seen.push(cur);
    const from: string = cur;
    cur = declared.find(d => d.name === from)?.promotesFrom;
  }
  return `'${promotesFrom}' must be an environment listed before '${envName}' in the same pipeline`;
}
