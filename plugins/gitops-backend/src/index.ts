/**
 * The GitOps backend plugin: Argo CD and Helm state per catalog entity,
 * promotion pipelines, policy-checked changes.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';

// Service refs other plugins and modules may use, and the types they expose.
// The plugin's own services (read side, deployments, changes) are not
// public: their factories depend on this plugin's database and config
// model, so another plugin would get a second, disconnected copy.
export { argoCdClientServiceRef } from './argocd/argoCdClientServiceRef';
export type {
  AppScope,
  ArgoCdClient,
  ArgoCdClientStats,
  ArgoCdInstanceInfo,
  ReadOptions,
} from './argocd/ArgoCdClient';
export type * from './argocd/types';
export type { ApplicationWatchQuery } from './argocd/ApplicationStream';
export type {
  ArgoAppProject,
  ArgoProjectSyncWindow,
} from './argocd/projectCalls';
export type {
  ArgoEvent,
  ArgoEventList,
  PodLogsQuery,
  ResourceEventsQuery,
} from './argocd/troubleshootingCalls';
export { helmReleaseReaderServiceRef } from './helm/helmReleaseReaderServiceRef';
export type {
  HelmHistory,
  HelmReleaseReader,
  HelmRevisionError,
} from './helm/HelmReleaseReader';
export type { HelmRelease } from './helm/decodeRelease';
export { pipelinesServiceRef } from './pipeline/pipelinesServiceRef';
export type {
  Pipeline,
  PipelineEnvironment,
  PipelineSet,
} from './pipeline/Pipeline';
