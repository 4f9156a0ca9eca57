import { SyncWindow } from '../windows';

/**
 * Approval gate of an environment.
 *
 * @internal
 */
export interface ApprovalPolicy {
  /** Distinct approvals needed (the requester never counts). */
  min: number;
  /** User or group refs; a user matches directly or through membership. */
  approvers: string[];
  /** How long a request waits for approvals, and how long an approval stays valid (ms). */
  expiresAfterMs?: number;
}

/**
 * Emergency override of an environment: who may request it and who must
 * approve it. A reason is always required. It bypasses our policy's sync
 * windows (and the checks listed in `bypass`), never the version rules.
 *
 * @internal
 */
export interface OverridePolicy {
  /** User or group refs that may request an override. */
  allowed: string[];
  /** User or group refs of whom `minApprovals` must approve the override. */
  approvers: string[];
  minApprovals: number;
  /** Check ids the override bypasses; always includes `sync-window`. */
  bypass: string[];
}

/**
 * How a version is verified in an environment (sign-off by named groups,
 * Argo CD's PostSync hooks, staying Healthy for a soak time).
 *
 * @internal
 */
export interface VerificationPolicy {
  /** User or group refs whose members record "verified" or "failed". */
  signOff?: { groups: string[] };
  /** Argo CD's own verdict on the sync that deployed the version. */
  automated?: { postSyncHooks: boolean; soakMs: number };
}

/** Policy of one environment. @internal */
export interface EnvironmentPolicy {
  name: string;
  order: number;
  promotesFrom?: string;
  /** Config path for messages, e.g. `gitops.pipelines.standard.environments[2]`. */
  configPath: string;
  tagPattern?: RegExp;
  /** Lower-case tags never accepted; always contains `latest`. */
  forbiddenTags: string[];
  requireSemver: boolean;
  sourceMustBeHealthy: boolean;
  /** When set, the version (same X.Y.Z) must have run healthy in `promotesFrom` at least this long (ms). */
  requireRunInPrevious?: { soakMs: number };
  /** A promoted tag must exist in the image registry (check `image-exists`). */
  requireImageExists?: boolean;
  /** A promoted tag's manifest digest must equal that of a same-X.Y.Z version that ran in `promotesFrom` (check `same-digest`; implies `requireImageExists`). */
  requireSameDigest?: boolean;
  dryRunRequired: boolean;
  manualSyncRequired: boolean;
  approvals?: ApprovalPolicy;
  /** Our windows (source `policy`). */
  windows: SyncWindow[];
  /** Whether Argo CD's own windows of the application are merged in (default true). */
  useArgoCdWindows: boolean;
  override?: OverridePolicy;
  /** How versions running here are verified (sign-off, automated). */
  verification?: VerificationPolicy;
  /** The version (same X.Y.Z) must have been verified in `promotesFrom`. */
  requireVerification?: boolean;
  /** The version's X.Y.Z must have run in `promotesFrom` (lineage). */
  requireLineage?: boolean;
}

/** Policy of one pipeline. @internal */
export interface PipelinePolicy {
  name: string;
  environments: EnvironmentPolicy[];
}

/** All pipeline policies. @internal */
export interface PolicySet {
  defaultPipeline?: string;
  pipelines: Map<string, PipelinePolicy>;
}
