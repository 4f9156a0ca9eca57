import { Config } from '@backstage/config';
import { readArgoCdInstances } from '../argocd/config';
import { readBindings } from '../binding/readBindings';
import { readCacheTtlMs, readEntityTtlMs } from '../cache/config';
import { readOverviewTtlMs } from '../overview/config';
import { readHelmClusters } from '../helm/config';
import { readGitSettings } from '../writeback/config';
import { readRegistries } from '../registry/config';
import { readMirrorConfig } from '../mirror/config';
import { ConfigProblems } from './errors';
import {
  readEnvironmentExecutionConfigs,
  readExecutionSettings,
} from './readExecution';
import { readPipelines } from './readPipelines';
import { readPolicies } from './readPolicies';
import { GitopsConfig } from './types';

/**
 * Reads the whole `gitops` config into its typed model, once. Every problem
 * found (in any section) is collected; a wrong config throws one
 * {@link GitopsConfigError} naming each key path and reason, so the plugin's
 * init fails and the backend does not start.
 *
 * @param cwd - base of relative local repository paths (`gitops.git`)
 * @internal
 */
export function readGitopsConfig(
  config: Config,
  options: { cwd?: string } = {},
): GitopsConfig {
  const problems = new ConfigProblems();
  const instances = readArgoCdInstances(config, problems);
  const helmClusters = readHelmClusters(config, problems);
  const pipelines = readPipelines(
    config,
    instances.map(i => i.name),
    helmClusters.map(c => c.name),
    problems,
  );
  const policies = readPolicies(pipelines, problems);
  const execution = readExecutionSettings(config, problems);
  const git = problems.attempt('gitops.git', () =>
    readGitSettings(config, options.cwd),
  );
  const environments = readEnvironmentExecutionConfigs(
    pipelines,
    policies,
    git?.repositories.map(r => r.name) ?? [],
    problems,
  );
  const cacheTtlMs = readCacheTtlMs(config, problems);
  const overviewTtlMs = readOverviewTtlMs(config, problems);
  const entityTtlMs = readEntityTtlMs(config, problems);
  const bindings = readBindings(
    config,
    [...pipelines.pipelines.keys()],
    pipelines.defaultPipeline,
    problems,
  );
  const registries = readRegistries(config, problems);
  const mirror = readMirrorConfig(config, problems);
  problems.throwIfAny();
  return {
    instances,
    helmClusters,
    pipelines,
    policies,
    execution,
    environments,
    git: git!,
    cacheTtlMs,
    overviewTtlMs,
    entityTtlMs,
    bindings,
    registries,
    mirror,
  };
}
