/**
 * A local Argo CD (v3.5.1 REST API) + Kubernetes Secrets slice emulator backed
 * by a real git repository, for the gitops plugin's `start`, e2e tests and benchmarks.
 *
 * @packageDocumentation
 */
export { startEmulator, DEFAULT_BROKEN_TAGS } from './startEmulator';
export type { EmulatorHandle, EmulatorOptions } from './startEmulator';
export type { Faults } from './server/faults';
export type { Clock, AppProject } from './server/Controller';
export type {
  Application,
  ApplicationSource,
  RevisionHistory,
  OperationState,
} from './logic/types';
export type { SyncWindow } from './logic/windows';
export {
  encodeRelease,
  decodeRelease,
  releaseSecretName,
} from './helm/release';
export type { HelmRelease } from './helm/release';
export {
  seedImages,
  seedImage,
  SEED_REGISTRY_HOST,
  OCI_MANIFEST,
} from './registry/seedImages';
export type { SeedImage, SeedBlob } from './registry/seedImages';
export { pushImage, pushImages } from './registry/pushImages';
export type { PushOptions } from './registry/pushImages';
