/**
 * Verification of a version in an environment: sign-off by named groups
 * ("verified" / "failed" with a comment) and Argo CD's automated verdict
 * (PostSync hooks of the sync that deployed it, staying Healthy for a soak
 * time). The next environment's policy can require it (`verified-in-<env>`).
 */

/** What a person records; `requested` asks for a new decision (it revokes the standing one). @public */
export type VerificationDecisionKind = 'verified' | 'failed' | 'requested';

/** One recorded decision (append-only; the audit trail). @public */
export interface VerificationDecision {
  id: string;
  version: string;
  decision: VerificationDecisionKind;
  /** User entity ref of who decided. */
  decidedBy: string;
  comment?: string;
  /** ISO time. */
  decidedAt: string;
  /** Sign-off round of the version (a `requested` starts the next one). */
  round: number;
}

/** Body of `POST …/environments/:env/verification`. @public */
export interface VerificationDecisionRequest {
  /** The version the caller decides on; must be the one running there. */
  version: string;
  decision: VerificationDecisionKind;
  comment?: string;
}

/** The standing sign-off of one version. @public */
export interface SignOffState {
  status: 'verified' | 'failed' | 'pending';
  /** The decision that stands (absent when pending). */
  decision?: VerificationDecision;
  /** Refs whose members sign off. */
  groups: string[];
}

/** One PostSync hook of the sync that deployed the version. @public */
export interface VerificationHook {
  kind: string;
  name: string;
  /** Argo CD's `hookPhase`: Succeeded, Failed, Error, Running, … */
  phase?: string;
  message?: string;
}

/** Argo CD's automated verdict on the running version. @public */
export interface AutomatedVerificationState {
  status: 'pass' | 'fail' | 'pending';
  /** Sentence for people. */
  message: string;
  postSyncHooks?: { required: boolean; hooks: VerificationHook[] };
  /** Soak time required (ms). */
  soakMs: number;
  /** Healthy since (ISO), when Healthy. */
  healthySince?: string;
}

/** Response of `GET …/environments/:env/verification`. @public */
export interface EnvironmentVerification {
  entityRef: string;
  environment: string;
  /** Whether the environment's policy configures a verification. */
  configured: boolean;
  /** Version running there now (absent when unknown). */
  version?: string;
  signOff?: SignOffState;
  automated?: AutomatedVerificationState;
  /** Every decision recorded in this environment, newest first. */
  decisions: VerificationDecision[];
  /** Whether the caller is in a sign-off group (the permission is checked on POST). */
  canSignOff: boolean;
}

/**
 * Routes of verification (mounted at `/api/gitops`):
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/verification` → EnvironmentVerification
 * - `POST /entities/:kind/:namespace/:name/environments/:env/verification` (VerificationDecisionRequest) → EnvironmentVerification
 *
 * @public
 */
export const gitopsVerificationPaths = {
  verification: (kind: string, namespace: string, name: string, env: string) =>
    `/entities/${encodeURIComponent(kind)}/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}/environments/${encodeURIComponent(
      env,
    )}/verification`,
};
