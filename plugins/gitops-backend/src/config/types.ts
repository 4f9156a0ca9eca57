import type { ArgoCdInstanceConfig } from '../argocd/config';
import type { BindingConfig } from '../binding/types';
import type { HelmClusterConfig } from '../helm/config';
import type { PipelineSet } from '../pipeline/Pipeline';
import type { PolicySet } from '../policy/types';
import type { RegistryConfig } from '../registry/config';
import type { GitSettings } from '../writeback/config';
import type { MirrorConfig } from '../mirror/types';
import type {
  EnvironmentExecutionConfig,
  ExecutionSettings,
} from './readExecution';

/**
 * The plugin's whole `gitops` config, read and validated once at startup by
 * {@link readGitopsConfig}. Every module takes its part of this model; none
 * reads `gitops.*` keys itself. Holds secrets (instances, clusters): never
 * serialise it into a response or a log line.
 *
 * @internal
 */
export interface GitopsConfig {
  /** `gitops.argocd.instances[]` (+ the community plugin's instances). */
  instances: ArgoCdInstanceConfig[];
  /** `gitops.helm.clusters[]`. */
  helmClusters: HelmClusterConfig[];
  /** `gitops.pipelines` structure and `gitops.defaultPipeline`. */
  pipelines: PipelineSet;
  /** The promotion policy of every pipeline environment. */
  policies: PolicySet;
  /** `gitops.execution` timings. */
  execution: ExecutionSettings;
  /** Execution keys per environment, by `<pipeline>/<environment>`. */
  environments: Map<string, EnvironmentExecutionConfig>;
  /** `gitops.git` (write-back repositories). */
  git: GitSettings;
  /** `gitops.cache.ttl` in ms. */
  cacheTtlMs: number;
  /** `gitops.cache.overviewTtl` in ms (the tab's overview, see src/overview). */
  overviewTtlMs: number;
  /** `gitops.cache.entityTtl` in ms (a caller's entity read reused by the read routes, see state/CachedEntityReads). */
  entityTtlMs: number;
  /** `gitops.bindings`: which entities may steer which applications. */
  bindings: BindingConfig;
  /** `gitops.registries[]`: image registries the image checks read (holds credentials). */
  registries: RegistryConfig[];
  /** `gitops.mirror`: application mirrors kept by Argo CD's watch stream. */
  mirror: MirrorConfig;
}
