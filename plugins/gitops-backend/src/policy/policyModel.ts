import {
  Approval,
  ChangeKind,
  Check,
  EnvironmentState,
  HistoryEntry,
  RollbackTarget,
} from '@internal/plugin-gitops-common';
import { ArgoWindowFacts, SyncWindow, WindowEvaluation } from '../windows';
import type { VerificationFacts } from './verificationFacts';

/* The inputs and results of the pure policy engine (evaluatePolicy). */

/** The change being judged. @internal */
export interface PolicyChange {
  kind: ChangeKind;
  environment: string;
  /** promote: the version to run; rollback: filled from the history entry. */
  version?: string;
  sourceEnvironment?: string;
  rollbackTo?: RollbackTarget;
  /** User entity ref. */
  requestedBy: string;
  override: boolean;
  reason?: string;
}

/** An approval with the approver's ownership refs at decision time. @internal */
export interface SnapshotApproval extends Approval {
  /** The approver's user ref and group refs when they decided. */
  claims?: string[];
}

/** Everything the engine looks at; produced by the service, no I/O here. @internal */
export interface PolicySnapshot {
  /** States of the entity's environments (read side). */
  environments: EnvironmentState[];
  /** History by environment name (at least the target's and the source's). */
  history: Record<string, HistoryEntry[] | undefined>;
  approvals: SnapshotApproval[];
  /** The requester's user ref and group refs (ownership entity refs). */
  requesterClaims: string[];
  /** Argo CD's own windows assigned to the target application. */
  argoCdWindows?: SyncWindow[];
  /**
   * What Argo CD says about the target's windows (its `canSync` verdict is
   * authoritative; windows carry their time zones). Preferred over
   * `argoCdWindows` when present.
   */
  argoCdWindowFacts?: ArgoWindowFacts;
  /** Versions our deployment record holds per environment (succeeded deployments). */
  recorded?: Record<string, RecordedDeployment[] | undefined>;
  /** What the image registry says about the tags the image checks need (see imageChecks.ts). */
  images?: ImageFacts;
  /** Verification facts by environment (the previous one, when the target requires it). */
  verification?: Record<string, VerificationFacts | undefined>;
  now: Date;
  /**
   * Time at which approval expiry is judged; default `now`. Once a change is
   * approved its approvals are used up, so a re-check before execution
   * judges them at the moment of the last decision.
   */
  approvalsAt?: Date;
}

/**
 * The registry's answer for the application's image, as the image checks
 * need it (gathered through the `ImageFactsReader` port).
 *
 * @internal
 */
export interface ImageFacts {
  /** The application's image repository, e.g. `example.org/shop/api`. */
  repository?: string;
  /** Why the registry could not be asked (no repository known, no registry configured, unreachable, refused). */
  unavailable?: string;
  /** Manifest digest by tag; `null`: the registry has no such tag. */
  digests: Record<string, string | null>;
}

/** A deployment of ours, as far as the policy needs it. @internal */
export interface RecordedDeployment {
  version: string;
  changeId: string;
  /** When it finished (ISO). */
  finishedAt?: string;
}

/** A check with the request field it is about, when it is about one. @internal */
export interface PolicyCheck extends Check {
  field?: 'environment' | 'version' | 'rollbackTo' | 'override' | 'reason';
}

/** Result of {@link evaluatePolicy}. @internal */
export interface PolicyEvaluation {
  checks: PolicyCheck[];
  /** No check failed (pending checks are allowed: approvals, window, dry-run). */
  allowed: boolean;
  /** Enough valid approvals (or none needed). */
  approved: boolean;
  /** Someone with a say rejected. */
  rejected: boolean;
  /** The window allows running now. */
  windowOpen: boolean;
  window: WindowEvaluation;
  requiredApprovals: number;
  /** Refs whose members may decide (approvers plus override approvers). */
  approverRefs: string[];
  /** Version running in the target now. */
  fromVersion?: string;
  /** promote: where it comes from; rollback: the version gone back to. */
  sourceEnvironment?: string;
  version?: string;
}

export const lc = (s: string) => s.toLocaleLowerCase('en-US');

/** Whether a user with these claims matches any of the refs. @internal */
export function matchesRefs(claims: string[], refs: string[]): boolean {
  const set = new Set(claims.map(lc));
  return refs.some(r => set.has(lc(r)));
}
