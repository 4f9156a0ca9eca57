import { ChangeKind } from '@internal/plugin-gitops-common';

/** How a recorded deployment ended (so far). @internal */
export type DeploymentOutcome = 'running' | 'succeeded' | 'degraded' | 'failed';

/** One deployment made by a change of ours. @internal */
export interface DeploymentRecord {
  id: string;
  changeId: string;
  kind: ChangeKind;
  entityRef: string;
  environment: string;
  pipeline: string;
  instance: string;
  application: string;
  appNamespace?: string;
  version?: string;
  fromVersion?: string;
  /** Commit the git write-back made (or reverted with). */
  gitCommit?: string;
  /** Argo CD `status.history[].id` of the sync. */
  historyId?: number;
  /** Revision Argo CD synced. */
  syncedRevision?: string;
  outcome: DeploymentOutcome;
  startedAt: Date;
  finishedAt?: Date;
  healthySince?: Date;
  /** When the next deployment to this environment finished. */
  replacedAt?: Date;
  requestedBy: string;
  approvers: string[];
  override: boolean;
  updatedAt: Date;
}

/** What is known when a deployment starts. @internal */
export type NewDeployment = Pick<
  DeploymentRecord,
  | 'changeId'
  | 'kind'
  | 'entityRef'
  | 'environment'
  | 'pipeline'
  | 'instance'
  | 'application'
  | 'appNamespace'
  | 'version'
  | 'fromVersion'
  | 'gitCommit'
  | 'requestedBy'
  | 'approvers'
  | 'override'
  | 'startedAt'
>;

/** Fields set as the deployment goes on. @internal */
export type DeploymentUpdate = Partial<
  Pick<
    DeploymentRecord,
    | 'version'
    | 'gitCommit'
    | 'historyId'
    | 'syncedRevision'
    | 'outcome'
    | 'finishedAt'
    | 'healthySince'
  >
>;

/** Persistence of the deployment record. @internal */
export interface DeploymentStore {
  /**
   * Records the start of a change's deployment; recording the same change
   * again returns the existing row unchanged (resumed executions).
   */
  start(input: NewDeployment): Promise<DeploymentRecord>;
  /** Updates a change's deployment; `healthySince` is only ever set once. */
  update(
    changeId: string,
    patch: DeploymentUpdate,
    now: Date,
  ): Promise<DeploymentRecord | undefined>;
  getByChange(changeId: string): Promise<DeploymentRecord | undefined>;
  /** Deployments updated at or after `since` (for cross-replica freshness). */
  listUpdatedSince(
    since: Date,
  ): Promise<Array<{ changeId: string; instance: string; updatedAt: Date }>>;
  /** Deployments of one entity environment, newest first. */
  list(options: {
    entityRef: string;
    environment: string;
    limit?: number;
  }): Promise<DeploymentRecord[]>;
}
