import type {
  VerificationDecision,
  VerificationHook,
} from '@internal/plugin-gitops-common';

/* The facts a verification is judged by (types only; gathered through a port). */

/** What Argo CD says about the sync that deployed the running version. @internal */
export interface SyncOperationFacts {
  phase: string;
  /** Revision(s) the operation synced. */
  revisions: string[];
  finishedAt?: string;
  /** Its PostSync hooks (`syncResult.resources[]` with `hookType: PostSync`). */
  postSyncHooks: VerificationHook[];
}

/** The facts of one environment a verification is judged by. @internal */
export interface VerificationFacts {
  environment: string;
  /** Version running there now. */
  running?: string;
  /** Revision(s) running there now (the newest history row or the synced revision). */
  runningRevisions?: string[];
  health?: string;
  /** Healthy now since (ISO). */
  healthySince?: string;
  /** The running deployment was seen Degraded (ISO). */
  degradedAt?: string;
  /** The application's last operation (`status.operationState`), when it was a sync. */
  lastSync?: SyncOperationFacts;
  /** Every sign-off decision recorded in the environment, newest first. */
  decisions: VerificationDecision[];
}
