export * from './DeploymentStore';
export { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
export { DeploymentService, matchRecords } from './DeploymentService';
export type { JoinedHistoryRow } from './DeploymentService';
export { GitRevisionReader } from './GitRevisionReader';
export type { RevisionFileReader } from './GitRevisionReader';
export {
  VersionEvidenceReader,
  IMAGE_ANNOTATION,
  liveRevision,
  valuesSourceIndex,
} from './versionEvidence';
export type { VersionContext, DeployedRevision } from './versionEvidence';
export {
  identifyVersion,
  parseImageRef,
  tagsForApp,
  normaliseRepository,
} from './versionIdentity';
export type { VersionEvidence, ImageRef } from './versionIdentity';
export { deploymentServiceRef } from './deploymentServiceRef';
export { HealthObservationStore, healthyStart } from './HealthObservationStore';
export type {
  HealthObservation,
  HealthSighting,
} from './HealthObservationStore';
