/**
 * The GitOps backend plugin: Argo CD and Helm state per catalog entity,
 * promotion pipelines, policy-checked changes.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
export { argoCdClientServiceRef } from './argocd/argoCdClientServiceRef';
export type { ArgoCdClient } from './argocd/ArgoCdClient';
export { helmReleaseReaderServiceRef } from './helm/helmReleaseReaderServiceRef';
export { pipelinesServiceRef } from './pipeline/pipelinesServiceRef';
export type {
  Pipeline,
  PipelineEnvironment,
  PipelineSet,
} from './pipeline/Pipeline';
export { gitopsStateServiceRef } from './state/gitopsStateServiceRef';
export type { WindowStateProvider } from './state/WindowStateProvider';
