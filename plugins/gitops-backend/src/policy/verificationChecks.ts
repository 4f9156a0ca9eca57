import type {
  AutomatedVerificationState,
  SignOffState,
  VerificationDecision,
  VerificationHook,
} from '@internal/plugin-gitops-common';
import type { VerificationFacts } from './verificationFacts';
import { formatDuration, formatWhen } from '../windows';
import { EnvironmentPolicy, VerificationPolicy } from './types';
import { compareVersionTags, coreOf } from './versions';
import { PolicyCheck } from './policyModel';

/* Verification of a version in an environment and the "verified in <env>" check. Pure. */

/** `user:default/erin` → `erin`. */
export function shortRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * The decision that stands for a version: in its latest round (a `requested`
 * opens a new one), the last `verified` or `failed`; pending otherwise.
 * `decisions` are newest first, as the store lists them.
 *
 * @internal
 */
export function standingSignOff(
  decisions: VerificationDecision[],
  version: string,
  groups: string[],
): SignOffState {
  const mine = decisions.filter(d => d.version === version);
  const round = Math.max(0, ...mine.map(d => d.round));
  const last = mine.find(d => d.round === round && d.decision !== 'requested');
  if (!last) return { status: 'pending', groups };
  return {
    status: last.decision === 'verified' ? 'verified' : 'failed',
    decision: last,
    groups,
  };
}

/** Argo CD's automated verdict on the running version. @internal */
export function automatedVerdict(
  automated: NonNullable<VerificationPolicy['automated']>,
  facts: VerificationFacts,
  now: number,
): AutomatedVerificationState {
  const env = facts.environment;
  const v = facts.running ?? 'the running version';
  const base = {
    soakMs: automated.soakMs,
    ...(facts.healthySince ? { healthySince: facts.healthySince } : {}),
  };
  const parts: string[] = [];
  let status: AutomatedVerificationState['status'] = 'pass';
  const worse = (s: 'fail' | 'pending') => {
    if (status === 'pass' || s === 'fail') status = s;
  };
  let hooks: VerificationHook[] = [];
  if (automated.postSyncHooks) {
    const op = facts.lastSync;
    const running = facts.runningRevisions ?? [];
    const same =
      op && running.length > 0 && running.every(r => op.revisions.includes(r));
    if (!op || !same) {
      worse('fail');
      parts.push(
        op
          ? `the last sync of ${env} is not the one that deployed ${v} (it synced ${op.revisions
              .map(r => r.slice(0, 7))
              .join(', ')}), so its PostSync hooks are unknown`
          : `Argo CD has no sync result for ${v} in ${env}, so its PostSync hooks are unknown`,
      );
    } else if (op.phase === 'Running' || op.phase === 'Terminating') {
      hooks = op.postSyncHooks;
      worse('pending');
      parts.push(`the sync that deploys ${v} is still running`);
    } else {
      hooks = op.postSyncHooks;
      const bad = hooks.filter(h => h.phase !== 'Succeeded');
      if (!hooks.length) {
        worse('fail');
        parts.push(`the sync that deployed ${v} ran no PostSync hook`);
      } else if (bad.length) {
        worse('fail');
        parts.push(
          `PostSync hook ${bad
            .map(
              h =>
                `${h.kind}/${h.name} ${h.phase ?? 'did not finish'}${
                  h.message ? ` (${h.message})` : ''
                }`,
            )
            .join(', ')}`,
        );
      } else if (op.phase !== 'Succeeded') {
        worse('fail');
        parts.push(`the sync that deployed ${v} ended ${op.phase}`);
      } else {
        parts.push(
          `its PostSync hooks succeeded (${hooks
            .map(h => `${h.kind}/${h.name}`)
            .join(', ')})`,
        );
      }
    }
  }
  const since = facts.healthySince ? Date.parse(facts.healthySince) : NaN;
  const soakText =
    automated.soakMs > 0
      ? ` (soak time ${formatDuration(automated.soakMs)})`
      : '';
  if (facts.degradedAt) {
    worse('fail');
    parts.push(`${v} was Degraded in ${env} (seen ${facts.degradedAt})`);
  } else if (facts.health !== 'Healthy') {
    worse(facts.health === 'Progressing' ? 'pending' : 'fail');
    parts.push(`${env} is ${facts.health ?? 'of unknown health'}`);
  } else if (Number.isNaN(since)) {
    if (automated.soakMs > 0) worse('fail');
    parts.push(
      automated.soakMs > 0
        ? `${env} is Healthy, but since when is unknown, so the soak time of ${formatDuration(
            automated.soakMs,
          )} cannot be confirmed`
        : `it is Healthy`,
    );
  } else if (now - since >= automated.soakMs) {
    parts.push(
      `it has been Healthy for ${formatDuration(now - since)}${soakText}`,
    );
  } else {
    worse('pending');
    parts.push(
      `it has been Healthy for ${formatDuration(
        now - since,
      )} only; the soak time is ${formatDuration(
        automated.soakMs,
      )} (enough at ${formatWhen(since + automated.soakMs, now, 'UTC')})`,
    );
  }
  return {
    ...base,
    status,
    message: parts.join('; '),
    ...(automated.postSyncHooks
      ? { postSyncHooks: { required: true, hooks } }
      : {}),
  };
}

/**
 * `verified-in-<prev>`: the version (same X.Y.Z) was verified in the
 * previous environment. The version judged there is the one running now when
 * it shares X.Y.Z, else the newest of that X.Y.Z with a sign-off decision.
 * Sign-off must stand as verified; automated verification is judged on the
 * running version only (Argo CD keeps the last operation alone).
 *
 * @internal
 */
export function verificationCheck(
  prev: EnvironmentPolicy,
  version: string,
  facts: VerificationFacts | undefined,
  now: number,
): PolicyCheck {
  const id = `verified-in-${prev.name}`;
  const fail = (message: string): PolicyCheck => ({
    id,
    status: 'fail',
    field: 'version',
    message,
  });
  const core = coreOf(version);
  if (!core) {
    return fail(
      `'${version}' is not a semantic version, so it cannot be matched to what was verified in ${prev.name}`,
    );
  }
  const policy = prev.verification;
  if (!policy) {
    return fail(`${prev.name} configures no verification`);
  }
  if (!facts) {
    return fail(
      `the verification of ${prev.name} could not be read, so ${version} cannot be shown verified there`,
    );
  }
  const decided = [
    ...new Set(
      facts.decisions
        .filter(d => coreOf(d.version) === core)
        .map(d => d.version),
    ),
  ].sort((a, b) => compareVersionTags(b, a));
  const subject =
    facts.running && coreOf(facts.running) === core
      ? facts.running
      : decided[0];
  if (!subject) {
    return fail(
      `no ${core} version was verified in ${prev.name} (${prev.name} runs ${
        facts.running ?? 'an unknown version'
      })`,
    );
  }
  const said: string[] = [];
  if (policy.signOff) {
    const s = standingSignOff(facts.decisions, subject, policy.signOff.groups);
    const d = s.decision;
    if (s.status === 'failed' && d) {
      return fail(
        `${subject} failed QA in ${prev.name}: ${
          d.comment ?? 'no comment'
        } (${shortRef(d.decidedBy)}, ${formatDuration(
          now - Date.parse(d.decidedAt),
        )} ago)`,
      );
    }
    if (s.status !== 'verified' || !d) {
      const earlier = decided.find(
        x =>
          x !== subject &&
          standingSignOff(facts.decisions, x, []).status === 'verified',
      );
      return fail(
        `${subject} has not been signed off in ${
          prev.name
        } yet (needs "verified" from ${policy.signOff.groups.join(', ')})${
          earlier ? `; ${earlier} was, but ${subject} replaced it` : ''
        }`,
      );
    }
    said.push(
      `${subject} was verified in ${prev.name} by ${shortRef(
        d.decidedBy,
      )} ${formatDuration(now - Date.parse(d.decidedAt))} ago${
        d.comment ? ` (${d.comment})` : ''
      }`,
    );
  }
  if (policy.automated) {
    if (facts.running !== subject) {
      return fail(
        `${prev.name} runs ${
          facts.running ?? 'an unknown version'
        }, not ${subject}, so Argo CD's verification of ${subject} is unknown`,
      );
    }
    const a = automatedVerdict(policy.automated, facts, now);
    if (a.status !== 'pass') {
      return fail(
        `${subject} is not verified in ${prev.name} yet: ${a.message}`,
      );
    }
    said.push(
      policy.signOff
        ? a.message
        : `${subject} passed ${prev.name}'s automated verification: ${a.message}`,
    );
  }
  return { id, status: 'pass', message: said.join('; ') };
}
