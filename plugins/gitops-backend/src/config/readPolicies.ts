import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import { PipelineEnvironment, PipelineSet } from '../pipeline/Pipeline';
import {
  ApprovalPolicy,
  EnvironmentPolicy,
  OverridePolicy,
  PipelinePolicy,
  PolicySet,
} from '../policy/types';
import { SyncWindow, validateWindow } from '../windows';
import { readDurationMs } from './duration';
import { collecting, ConfigProblems, GitopsConfigError } from './errors';
import {
  readVerification,
  verificationGraphProblems,
} from '../verification/readVerificationConfig';

/** Check ids an emergency override may be allowed to bypass. */
export const OVERRIDE_BYPASSABLE = ['sync-window', 'source-healthy'];

/**
 * Reads and validates the promotion policy of every pipeline environment
 * (`gitops.pipelines.*.environments[*]`) of the already read pipelines (the
 * graph rules live in {@link readPipelines}). Every problem is collected;
 * alone, it throws a {@link GitopsConfigError} naming each key path.
 *
 * @internal
 */
export function readPolicies(
  structure: PipelineSet,
  problems?: ConfigProblems,
): PolicySet {
  return collecting(problems, p => {
    const pipelines = new Map<string, PipelinePolicy>();
    for (const [name, pipeline] of structure.pipelines) {
      const environments: EnvironmentPolicy[] = [];
      for (const e of pipeline.environments) {
        const policy = p.attempt(e.configPath, () =>
          readEnvironmentPolicy(e.config, e, p),
        );
        if (policy) environments.push(policy);
      }
      for (const v of verificationGraphProblems(environments)) {
        p.add(v.path, v.reason);
      }
      pipelines.set(name, { name, environments });
    }
    return { defaultPipeline: structure.defaultPipeline, pipelines };
  });
}

function readDuration(
  c: Config,
  key: string,
  path: string,
): number | undefined {
  return c.has(key) ? readDurationMs(c, key, path) : undefined;
}

function readRefs(c: Config, key: string, path: string): string[] {
  const refs = c.getOptionalStringArray(key) ?? [];
  return refs.map((ref, i) => {
    try {
      const parsed = parseEntityRef(ref);
      const kind = parsed.kind.toLocaleLowerCase('en-US');
      if (kind !== 'user' && kind !== 'group') {
        throw new Error(`kind must be user or group, got '${parsed.kind}'`);
      }
      return `${kind}:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase(
        'en-US',
      );
    } catch (e) {
      throw new GitopsConfigError(
        `${path}.${key}[${i}]`,
        `'${ref}' is not a user or group entity ref such as group:default/platform-team (${
          (e as Error).message
        })`,
      );
    }
  });
}

function readEnvironmentPolicy(
  c: Config,
  env: PipelineEnvironment,
  problems: ConfigProblems,
): EnvironmentPolicy {
  const path = env.configPath;
  const at = <T>(key: string, read: () => T) =>
    problems.attempt(`${path}.${key}`, read);
  const flag = (key: string, fallback: boolean) =>
    at(key, () => c.getOptionalBoolean(key)) ?? fallback;
  let tagPattern: RegExp | undefined;
  const pattern = at('tagPattern', () => c.getOptionalString('tagPattern'));
  if (pattern !== undefined) {
    try {
      tagPattern = new RegExp(pattern);
    } catch (e) {
      problems.add(
        `${path}.tagPattern`,
        `bad regular expression: ${(e as Error).message}`,
      );
    }
  }
  const forbiddenTags = [
    'latest',
    ...(
      at('forbiddenTags', () => c.getOptionalStringArray('forbiddenTags')) ?? []
    ).map(t => t.toLocaleLowerCase('en-US')),
  ].filter((t, i, all) => all.indexOf(t) === i);

  const requireRunInPrevious = at('requireRunInPrevious', () =>
    readRunInPrevious(c, env),
  );
  const windows = (
    at('windows', () => c.getOptionalConfigArray('windows')) ?? []
  ).flatMap((w, i) => {
    const window = problems.attempt(`${path}.windows[${i}]`, () =>
      readWindow(w, `${path}.windows[${i}]`),
    );
    return window ? [window] : [];
  });

  return {
    name: env.name,
    order: env.order,
    promotesFrom: env.promotesFrom,
    configPath: path,
    tagPattern,
    forbiddenTags,
    requireSemver: flag('requireSemver', false),
    sourceMustBeHealthy: flag('sourceMustBeHealthy', false),
    requireRunInPrevious,
    ...readImageRules(c, env, problems),
    dryRunRequired: flag('dryRunRequired', false),
    manualSyncRequired: flag('manualSyncRequired', false),
    approvals: at('approvals', () => readApprovals(c, path)),
    windows,
    useArgoCdWindows: flag('useArgoCdWindows', true),
    override: at('override', () => readOverride(c, path)),
    verification: at('verification', () => readVerification(c, path)),
    requireVerification: flag('requireVerification', false),
    requireLineage: flag('requireLineage', false),
  };
}

/** `requireImageExists` and `requireSameDigest` (which needs a previous environment and implies the first). */
function readImageRules(
  c: Config,
  env: PipelineEnvironment,
  problems: ConfigProblems,
): Pick<EnvironmentPolicy, 'requireImageExists' | 'requireSameDigest'> {
  const path = env.configPath;
  const exists = problems.attempt(`${path}.requireImageExists`, () =>
    c.getOptionalBoolean('requireImageExists'),
  );
  const same = problems.attempt(`${path}.requireSameDigest`, () =>
    c.getOptionalBoolean('requireSameDigest'),
  );
  if (same && env.promotesFrom === undefined) {
    problems.add(
      `${path}.requireSameDigest`,
      `'${env.name}' has no promotesFrom, so there is no previous environment to compare digests with`,
    );
  }
  if (same && exists === false) {
    problems.add(
      `${path}.requireImageExists`,
      'requireSameDigest needs the image to exist; requireImageExists cannot be false with it',
    );
  }
  return {
    ...(exists || same ? { requireImageExists: true } : {}),
    ...(same ? { requireSameDigest: true } : {}),
  };
}

function readRunInPrevious(
  c: Config,
  env: PipelineEnvironment,
): EnvironmentPolicy['requireRunInPrevious'] {
  const path = env.configPath;
  let requireRunInPrevious: EnvironmentPolicy['requireRunInPrevious'];
  const rrp = c.getOptional('requireRunInPrevious');
  if (rrp === true) {
    requireRunInPrevious = { soakMs: 0 };
  } else if (rrp !== undefined && rrp !== false) {
    const rc = c.getConfig('requireRunInPrevious');
    requireRunInPrevious = {
      soakMs: readDuration(rc, 'soakTime', `${path}.requireRunInPrevious`) ?? 0,
    };
  }
  if (requireRunInPrevious && env.promotesFrom === undefined) {
    throw new GitopsConfigError(
      `${path}.requireRunInPrevious`,
      `'${env.name}' has no promotesFrom, so there is no previous environment`,
    );
  }
  return requireRunInPrevious;
}

/** One policy window; every problem of it at once. */
function readWindow(w: Config, wPath: string): SyncWindow {
  const window: SyncWindow = {
    kind: w.getString('kind') as SyncWindow['kind'],
    schedule: w.getString('schedule'),
    duration: w.getString('duration'),
    timeZone: w.getOptionalString('timeZone') ?? 'UTC',
    source: 'policy',
    ...(w.getOptionalString('description')
      ? { description: w.getString('description') }
      : {}),
  };
  const found = validateWindow(window);
  if (found.length) {
    throw new GitopsConfigError(
      found.map(p => ({ path: `${wPath}.${p.field}`, reason: p.reason })),
    );
  }
  return window;
}

function readApprovals(c: Config, path: string): ApprovalPolicy | undefined {
  const a = c.getOptionalConfig('approvals');
  if (!a) return undefined;
  const aPath = `${path}.approvals`;
  const min = a.getOptionalNumber('min') ?? 1;
  if (!Number.isInteger(min) || min < 0) {
    throw new GitopsConfigError(
      `${aPath}.min`,
      `must be a whole number ≥ 0, got ${min}`,
    );
  }
  const approvers = readRefs(a, 'approvers', aPath);
  if (min > 0 && approvers.length === 0) {
    throw new GitopsConfigError(
      `${aPath}.approvers`,
      `at least one approver ref is needed when min is ${min}`,
    );
  }
  if (a.getOptionalBoolean('allowSelfApproval') === true) {
    throw new GitopsConfigError(
      `${aPath}.allowSelfApproval`,
      'self-approval cannot be allowed: the requester never approves their own change',
    );
  }
  const expiresAfterMs = readDuration(a, 'expiresAfter', aPath);
  if (expiresAfterMs === 0) {
    throw new GitopsConfigError(
      `${aPath}.expiresAfter`,
      'must be longer than 0',
    );
  }
  if (min === 0) return undefined;
  return { min, approvers, expiresAfterMs };
}

function readOverride(c: Config, path: string): OverridePolicy | undefined {
  const o = c.getOptionalConfig('override');
  if (!o) return undefined;
  const oPath = `${path}.override`;
  const allowed = readRefs(o, 'allowed', oPath);
  if (allowed.length === 0) {
    throw new GitopsConfigError(
      `${oPath}.allowed`,
      'name at least one user or group ref that may request an override',
    );
  }
  const approvers = readRefs(o, 'approvers', oPath);
  const minApprovals =
    o.getOptionalNumber('minApprovals') ?? (approvers.length ? 1 : 0);
  if (!Number.isInteger(minApprovals) || minApprovals < 0) {
    throw new GitopsConfigError(
      `${oPath}.minApprovals`,
      `must be a whole number ≥ 0, got ${minApprovals}`,
    );
  }
  if (minApprovals > 0 && approvers.length === 0) {
    throw new GitopsConfigError(
      `${oPath}.approvers`,
      `at least one approver ref is needed when minApprovals is ${minApprovals}`,
    );
  }
  const bypass = ['sync-window'];
  (o.getOptionalStringArray('bypass') ?? []).forEach((id, i) => {
    if (!OVERRIDE_BYPASSABLE.includes(id)) {
      throw new GitopsConfigError(
        `${oPath}.bypass[${i}]`,
        `'${id}' cannot be bypassed (possible: ${OVERRIDE_BYPASSABLE.join(
          ', ',
        )}); version rules hold for hotfixes too`,
      );
    }
    if (!bypass.includes(id)) bypass.push(id);
  });
  return { allowed, approvers, minApprovals, bypass };
}
