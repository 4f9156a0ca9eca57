import {
  Approval,
  ChangeKind,
  Check,
  EnvironmentState,
  HistoryEntry,
  RollbackTarget,
} from '@internal/plugin-gitops-common';
import {
  ArgoWindowFacts,
  SyncWindow,
  WindowEvaluation,
  decideWindows,
  evaluateWindows,
  formatDuration,
  formatWhen,
} from '../windows';
import { EnvironmentPolicy, PipelinePolicy } from './types';
import { coreOf, parseVersionTag } from './versions';

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
  now: Date;
  /**
   * Time at which approval expiry is judged; default `now`. Once a change is
   * approved its approvals are used up, so a re-check before execution
   * judges them at the moment of the last decision.
   */
  approvalsAt?: Date;
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

const lc = (s: string) => s.toLocaleLowerCase('en-US');

/** Whether a user with these claims matches any of the refs. @internal */
export function matchesRefs(claims: string[], refs: string[]): boolean {
  const set = new Set(claims.map(lc));
  return refs.some(r => set.has(lc(r)));
}

/**
 * The pure policy engine: given a change, the environment policy and a
 * snapshot, returns every check with a sentence for people. No I/O.
 *
 * @internal
 */
export function evaluatePolicy(
  pipeline: PipelinePolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): PolicyEvaluation {
  const env = pipeline.environments.find(e => e.name === change.environment);
  if (!env) {
    throw new Error(
      `environment '${change.environment}' is not in pipeline '${pipeline.name}'`,
    );
  }
  const now = snapshot.now.getTime();
  const checks: PolicyCheck[] = [];
  const state = snapshot.environments.find(e => e.name === env.name);
  const fromVersion = state?.version;
  let version = change.version;
  let sourceEnvironment: string | undefined;
  const overrideOk = overrideValid(env, change, snapshot);

  // The target must be readable.
  if (!state || state.error) {
    checks.push({
      id: 'environment-readable',
      status: 'fail',
      message: `${env.name} could not be read${
        state?.error ? ` (${state.error.message})` : ''
      }, so the policy cannot be checked`,
    });
  }

  if (change.kind === 'promote') {
    sourceEnvironment = env.promotesFrom;
    checks.push(pipelineOrderCheck(pipeline, env, change));
    if (version !== undefined) {
      checks.push(...versionChecks(env, version));
    }
    const source = snapshot.environments.find(e => e.name === env.promotesFrom);
    if (env.sourceMustBeHealthy && env.promotesFrom) {
      checks.push(sourceHealthyCheck(env, source, overrideOk));
    }
    if (env.requireRunInPrevious && env.promotesFrom && version !== undefined) {
      checks.push(
        previousEnvironmentCheck(
          env.promotesFrom,
          env.requireRunInPrevious.soakMs,
          version,
          source,
          snapshot.history[env.promotesFrom] ?? [],
          now,
        ),
      );
    }
  } else if (change.kind === 'rollback') {
    const { check, entry, recordedVersion } = rollbackTargetCheck(
      env,
      change.rollbackTo,
      snapshot.history[env.name] ?? [],
      snapshot.recorded?.[env.name] ?? [],
    );
    checks.push(check);
    version = entry?.version ?? change.rollbackTo?.version ?? version;
    if ((entry || recordedVersion) && version) {
      checks.push(...versionChecks(env, version));
    }
  }

  if (env.manualSyncRequired) {
    checks.push(manualSyncCheck(env, state));
  }

  if (env.dryRunRequired) {
    checks.push({
      id: 'dry-run',
      status: 'pending',
      message: `a dry-run sync of ${env.name} runs first and must succeed before the real sync`,
    });
  }

  if (change.override) {
    checks.push(...overrideChecks(env, change, snapshot));
  }

  // Approvals.
  const approval = approvalChecks(env, change, snapshot, overrideOk);
  checks.push(...approval.checks);

  // Windows: ours, and Argo CD's own as Argo CD decides them (its canSync).
  const facts = env.useArgoCdWindows ? snapshot.argoCdWindowFacts : undefined;
  const windows = [
    ...env.windows,
    ...(env.useArgoCdWindows && !facts ? snapshot.argoCdWindows ?? [] : []),
  ];
  const decide = (ignorePolicyWindows: boolean) =>
    facts
      ? decideWindows(env.windows, facts, snapshot.now, { ignorePolicyWindows })
      : evaluateWindows(windows, snapshot.now, { ignorePolicyWindows });
  let window: WindowEvaluation = decide(false);
  let windowMessage = window.message;
  if (!window.open && overrideOk) {
    const bypassed = decide(true);
    window = bypassed;
    windowMessage = bypassed.open
      ? 'outside the window; bypassed by the emergency override'
      : `${bypassed.message}; the emergency override cannot bypass Argo CD's windows`;
  }
  if (window.applies || env.windows.length) {
    checks.push({
      id: 'sync-window',
      status: window.open ? 'pass' : 'pending',
      message: windowMessage,
    });
  }

  const failed = checks.some(c => c.status === 'fail');
  return {
    checks,
    allowed: !failed,
    approved: approval.approved,
    rejected: approval.rejected,
    windowOpen: window.open,
    window,
    requiredApprovals: approval.required,
    approverRefs: approval.refs,
    fromVersion,
    sourceEnvironment,
    version,
  };
}

function manualSyncCheck(
  env: EnvironmentPolicy,
  state: EnvironmentState | undefined,
): PolicyCheck {
  const auto = state?.application?.autoSync;
  if (auto === false) {
    return {
      id: 'manual-sync',
      status: 'pass',
      message: `${env.name} has automated sync off, as required`,
    };
  }
  return {
    id: 'manual-sync',
    status: 'fail',
    message: auto
      ? `${
          env.name
        } has automated sync on; it requires manual sync (turn off automated sync of ${
          state?.application?.name ?? 'the application'
        } in Argo CD)`
      : `${env.name}'s sync policy is unknown; it requires manual sync`,
  };
}

function pipelineOrderCheck(
  pipeline: PipelinePolicy,
  env: EnvironmentPolicy,
  change: PolicyChange,
): PolicyCheck {
  if (!env.promotesFrom) {
    return {
      id: 'pipeline-order',
      status: 'fail',
      field: 'environment',
      message: `${env.name} is the first environment of pipeline ${pipeline.name}; versions enter it from CI, not by promotion`,
    };
  }
  if (
    change.sourceEnvironment &&
    change.sourceEnvironment !== env.promotesFrom
  ) {
    return {
      id: 'pipeline-order',
      status: 'fail',
      field: 'environment',
      message: `${env.name} takes versions only from ${env.promotesFrom}, not from ${change.sourceEnvironment} (pipeline ${pipeline.name})`,
    };
  }
  return {
    id: 'pipeline-order',
    status: 'pass',
    message: `${env.name} takes versions from ${env.promotesFrom}`,
  };
}

function versionChecks(env: EnvironmentPolicy, version: string): PolicyCheck[] {
  const checks: PolicyCheck[] = [];
  const forbidden = env.forbiddenTags.includes(lc(version));
  checks.push({
    id: 'forbidden-tag',
    status: forbidden ? 'fail' : 'pass',
    field: forbidden ? 'version' : undefined,
    message: forbidden
      ? `'${version}' is a mutable tag and never allowed in ${env.name}`
      : `${version} is not a forbidden tag (${env.forbiddenTags.join(', ')})`,
  });
  if (env.requireSemver) {
    const parsed = parseVersionTag(version);
    checks.push({
      id: 'semver',
      status: parsed.ok ? 'pass' : 'fail',
      field: parsed.ok ? undefined : 'version',
      message: parsed.ok
        ? `${version} is a semantic version`
        : `${parsed.reason}; ${env.name} requires semantic versions`,
    });
  }
  if (env.tagPattern) {
    const ok = env.tagPattern.test(version);
    checks.push({
      id: 'tag-pattern',
      status: ok ? 'pass' : 'fail',
      field: ok ? undefined : 'version',
      message: ok
        ? `${version} matches ${env.name}'s tag pattern ${env.tagPattern.source}`
        : `'${version}' does not match ${env.name}'s tag pattern ${env.tagPattern.source}`,
    });
  }
  return checks;
}

function sourceHealthyCheck(
  env: EnvironmentPolicy,
  source: EnvironmentState | undefined,
  overrideOk: boolean,
): PolicyCheck {
  const from = env.promotesFrom!;
  const status = source?.error ? undefined : source?.health?.status;
  if (status === 'Healthy') {
    return {
      id: 'source-healthy',
      status: 'pass',
      message: `${from} is Healthy`,
    };
  }
  let why = `${from}'s health is unknown`;
  if (source?.error) {
    why = `${from} could not be read (${source.error.message})`;
  } else if (status) {
    why = `${from} is ${status}`;
  }
  if (overrideOk && env.override?.bypass.includes('source-healthy')) {
    return {
      id: 'source-healthy',
      status: 'pass',
      message: `${why}; bypassed by the emergency override`,
    };
  }
  return {
    id: 'source-healthy',
    status: 'fail',
    message: `${why}; promotions out of ${from} need it Healthy`,
  };
}

/**
 * "The version ran healthy in the previous environment" means, with X.Y.Z
 * the version's core (`v1.2.0` and `v1.2.0-rc.3` share `1.2.0`):
 * (a) the previous environment runs X.Y.Z now, is Healthy, and has run it for
 *     at least the soak time (since its last deploy); or
 * (b) its history has an earlier deployment of X.Y.Z that stayed at least the
 *     soak time (and longer than zero) before the next deployment replaced it.
 *     Argo CD keeps only successful syncs in history, so a successful sync that
 *     stayed that long counts as having run healthy.
 */
function previousEnvironmentCheck(
  prev: string,
  soakMs: number,
  version: string,
  source: EnvironmentState | undefined,
  history: HistoryEntry[],
  now: number,
): PolicyCheck {
  const base = { id: 'previous-environment-healthy' };
  const core = coreOf(version);
  if (!core) {
    return {
      ...base,
      status: 'fail',
      field: 'version',
      message: `'${version}' is not a semantic version, so it cannot be matched to what ran in ${prev}`,
    };
  }
  const soakText = soakMs > 0 ? ` (soak time ${formatDuration(soakMs)})` : '';
  const rows = history
    .filter(h => h.version && h.deployedAt)
    .map(h => ({ ...h, t: Date.parse(h.deployedAt!) }))
    .filter(h => !Number.isNaN(h.t))
    .sort((a, b) => a.t - b.t);

  // (a) running now
  let reasonNow: string | undefined;
  if (source?.version && coreOf(source.version) === core) {
    const health = source.health?.status;
    // Healthy since (Argo CD's health transition, not before the deploy), else the deploy time.
    let since = Date.parse(source.healthySince ?? source.lastDeployedAt ?? '');
    if (Number.isNaN(since)) {
      const last = [...rows].reverse().find(r => r.version === source.version);
      since = last ? last.t : NaN;
    }
    if (health !== 'Healthy') {
      reasonNow = `${prev} runs ${source.version} but is ${
        health ?? 'of unknown health'
      }`;
    } else if (soakMs === 0) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} runs ${source.version} (same ${core}) and is Healthy${
          Number.isNaN(since) ? '' : ` for ${formatDuration(now - since)}`
        }`,
      };
    } else if (Number.isNaN(since)) {
      reasonNow = `${prev} runs ${
        source.version
      } Healthy, but its deploy time is unknown, so the soak time of ${formatDuration(
        soakMs,
      )} cannot be confirmed`;
    } else if (now - since >= soakMs) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} runs ${
          source.version
        } (same ${core}) Healthy for ${formatDuration(now - since)}${soakText}`,
      };
    } else {
      reasonNow = `${prev} runs ${source.version} Healthy for ${formatDuration(
        now - since,
      )} only; the soak time is ${formatDuration(
        soakMs,
      )} (enough at ${formatWhen(since + soakMs, now, 'UTC')})`;
    }
  }

  // (b) an earlier deployment that ran Healthy (recorded by our change or
  // seen by the read side) for the soak time before the next one replaced
  // it, and was never seen Degraded.
  let reasonPast: string | undefined;
  for (let i = rows.length - 2; i >= 0; i--) {
    const r = rows[i];
    if (coreOf(r.version) !== core) continue;
    if (r.degradedAt) {
      reasonPast ??= `${prev} ran ${r.version}, but it was Degraded there (seen ${r.degradedAt})`;
      continue;
    }
    const healthy = r.healthySince ? Date.parse(r.healthySince) : NaN;
    if (Number.isNaN(healthy)) {
      reasonPast ??= `${prev} ran ${r.version}, but nothing recorded it Healthy there`;
      continue;
    }
    const from = Math.max(healthy, r.t);
    const stayed = rows[i + 1].t - from;
    if (stayed > 0 && stayed >= soakMs) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} ran ${r.version} (same ${core}) for ${formatDuration(
          stayed,
        )} from ${new Date(from).toISOString()} until ${
          rows[i + 1].version
        } replaced it${soakText}`,
      };
    }
    reasonPast ??= `${prev} ran ${r.version} Healthy for ${formatDuration(
      Math.max(0, stayed),
    )} only before ${rows[i + 1].version} replaced it${soakText}`;
  }

  return {
    ...base,
    status: 'fail',
    field: 'version',
    message:
      reasonNow ??
      reasonPast ??
      `${version} never ran healthy in ${prev}: ${prev} runs ${
        source?.version ?? 'an unknown version'
      } and its history has no ${core} that stayed${
        soakMs > 0 ? ` ${formatDuration(soakMs)}` : ''
      } (hotfixes too must run in ${prev} first)`,
  };
}

function rollbackTargetCheck(
  env: EnvironmentPolicy,
  target: RollbackTarget | undefined,
  history: HistoryEntry[],
  recorded: RecordedDeployment[],
): { check: PolicyCheck; entry?: HistoryEntry; recordedVersion?: string } {
  const entry = target
    ? history.find(
        h =>
          (target.historyId !== undefined && h.id === target.historyId) ||
          (target.revision !== undefined && h.revision === target.revision) ||
          (target.version !== undefined && h.version === target.version),
      )
    : undefined;
  const what =
    target?.version ??
    target?.revision ??
    (target?.historyId ? `history #${target.historyId}` : 'nothing');
  const record =
    !entry && target?.version
      ? recorded.find(r => r.version === target.version)
      : undefined;
  if (record) {
    return {
      recordedVersion: record.version,
      check: {
        id: 'rollback-target',
        status: 'pass',
        message: `${env.name} ran ${
          record.version
        } before (deployed by change ${record.changeId}${
          record.finishedAt ? ` at ${record.finishedAt}` : ''
        })`,
      },
    };
  }
  if (!entry) {
    return {
      check: {
        id: 'rollback-target',
        status: 'fail',
        field: 'rollbackTo',
        message: `${what} is not in ${env.name}'s deployment history; a rollback goes back to an earlier deployment of ${env.name}`,
      },
    };
  }
  return {
    entry,
    check: {
      id: 'rollback-target',
      status: 'pass',
      message: `${env.name} ran ${
        entry.version ?? entry.revision ?? `#${entry.id}`
      } before (history #${entry.id}${
        entry.deployedAt ? `, deployed ${entry.deployedAt}` : ''
      })`,
    },
  };
}

/** Result of {@link evaluateApprovals}. @internal */
export interface ApprovalEvaluation {
  checks: PolicyCheck[];
  approved: boolean;
  rejected: boolean;
  required: number;
  /** Refs whose members may decide. */
  refs: string[];
}

/**
 * Only the approval gates of a change (used when a decision arrives).
 *
 * @internal
 */
export function evaluateApprovals(
  pipeline: PipelinePolicy,
  change: PolicyChange,
  snapshot: Pick<
    PolicySnapshot,
    'approvals' | 'requesterClaims' | 'now' | 'approvalsAt'
  >,
): ApprovalEvaluation {
  const env = pipeline.environments.find(e => e.name === change.environment);
  if (!env) {
    throw new Error(
      `environment '${change.environment}' is not in pipeline '${pipeline.name}'`,
    );
  }
  const full = { environments: [], history: {}, ...snapshot };
  return approvalChecks(env, change, full, overrideValid(env, change, full));
}

function overrideValid(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): boolean {
  return Boolean(
    change.override &&
      env.override &&
      change.reason?.trim() &&
      matchesRefs(snapshot.requesterClaims, env.override.allowed),
  );
}

function overrideChecks(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): PolicyCheck[] {
  if (!env.override) {
    return [
      {
        id: 'override',
        status: 'fail',
        field: 'override',
        message: `${env.name} has no emergency override in its policy`,
      },
    ];
  }
  const checks: PolicyCheck[] = [];
  const may = matchesRefs(snapshot.requesterClaims, env.override.allowed);
  checks.push({
    id: 'override',
    status: may ? 'pass' : 'fail',
    field: may ? undefined : 'override',
    message: may
      ? `emergency override requested by ${
          change.requestedBy
        }; it bypasses ${env.override.bypass.join(', ')}`
      : `${change.requestedBy} may not request an emergency override for ${
          env.name
        } (allowed: ${env.override.allowed.join(', ')})`,
  });
  const reason = change.reason?.trim();
  checks.push({
    id: 'override-reason',
    status: reason ? 'pass' : 'fail',
    field: reason ? undefined : 'reason',
    message: reason
      ? `reason given: ${reason}`
      : 'an emergency override needs a reason',
  });
  return checks;
}

function approvalChecks(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
  overrideOk: boolean,
): {
  checks: PolicyCheck[];
  approved: boolean;
  rejected: boolean;
  required: number;
  refs: string[];
} {
  const now = (snapshot.approvalsAt ?? snapshot.now).getTime();
  const expiresMs = env.approvals?.expiresAfterMs;
  const requester = lc(change.requestedBy);
  const gates: Array<{
    id: string;
    min: number;
    refs: string[];
    label: string;
  }> = [];
  if (env.approvals) {
    gates.push({
      id: 'approvals',
      min: env.approvals.min,
      refs: env.approvals.approvers,
      label: 'approval',
    });
  }
  if (
    change.override &&
    overrideOk &&
    env.override &&
    env.override.minApprovals > 0
  ) {
    gates.push({
      id: 'override-approval',
      min: env.override.minApprovals,
      refs: env.override.approvers,
      label: 'override approval',
    });
  }
  const refs = [...new Set(gates.flatMap(g => g.refs))];
  if (!gates.length) {
    return {
      checks: [
        {
          id: 'approvals',
          status: 'pass',
          message: `no approval required for ${env.name}`,
        },
      ],
      approved: true,
      rejected: false,
      required: 0,
      refs,
    };
  }
  const eligible = (a: SnapshotApproval, gateRefs: string[]) =>
    lc(a.approver) !== requester &&
    (a.claims ? matchesRefs(a.claims, gateRefs) : true);
  const rejection = snapshot.approvals.find(
    a => a.decision === 'reject' && eligible(a, refs),
  );
  const checks: PolicyCheck[] = [];
  let approved = true;
  for (const g of gates) {
    if (rejection) {
      checks.push({
        id: g.id,
        status: 'fail',
        message: `rejected by ${rejection.approver}${
          rejection.comment ? `: ${rejection.comment}` : ''
        }`,
      });
      approved = false;
      continue;
    }
    const valid = snapshot.approvals.filter(
      a => a.decision === 'approve' && eligible(a, g.refs),
    );
    const live = valid.filter(
      a => expiresMs === undefined || Date.parse(a.decidedAt) + expiresMs > now,
    );
    const expired = valid.length - live.length;
    const who = live.map(a => a.approver).join(', ');
    const expiredText = expired
      ? `; ${expired} approval${expired > 1 ? 's' : ''} expired`
      : '';
    if (live.length >= g.min) {
      checks.push({
        id: g.id,
        status: 'pass',
        message: `${g.label} by ${who} (${live.length} of ${g.min})`,
      });
    } else {
      approved = false;
      checks.push({
        id: g.id,
        status: 'pending',
        message: `needs ${g.min - live.length} more ${g.label}${
          g.min - live.length > 1 ? 's' : ''
        } from ${g.refs.join(', ')} (${live.length} of ${
          g.min
        }; the requester cannot approve${expiredText})`,
      });
    }
  }
  return {
    checks,
    approved,
    rejected: Boolean(rejection),
    // one person may satisfy several gates when they belong to each
    required: Math.max(...gates.map(g => g.min)),
    refs,
  };
}
