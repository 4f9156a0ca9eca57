import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import { GitopsConfigError } from '../argocd/config';
import { SyncWindow, parseDuration, validateWindow } from '../windows';
import {
  ApprovalPolicy,
  EnvironmentPolicy,
  OverridePolicy,
  PipelinePolicy,
  PolicySet,
} from './types';

/**
 * The pipeline structure the policy is read from. The read side's
 * `PipelineSet` (src/pipeline) has this shape; without one, the structure is
 * read from config here.
 *
 * @internal
 */
export interface PipelineStructure {
  defaultPipeline?: string;
  pipelines: Map<
    string,
    {
      name: string;
      configPath: string;
      environments: Array<{
        name: string;
        order: number;
        promotesFrom?: string;
        configPath: string;
        config: Config;
      }>;
    }
  >;
}

/** Check ids an emergency override may be allowed to bypass. */
export const OVERRIDE_BYPASSABLE = ['sync-window', 'source-healthy'];

/**
 * Reads and validates the promotion policy of every pipeline
 * (`gitops.pipelines.*.environments[*]`). A wrong policy throws
 * {@link GitopsConfigError} naming the key path and the reason, so the backend
 * stops at startup.
 *
 * @internal
 */
export function readPolicies(
  config: Config,
  structure: PipelineStructure = readPipelineStructure(config),
): PolicySet {
  const pipelines = new Map<string, PipelinePolicy>();
  for (const [name, p] of structure.pipelines) {
    checkGraph(p.environments, p.configPath);
    pipelines.set(name, {
      name,
      environments: p.environments.map(e => readEnvironmentPolicy(e.config, e)),
    });
  }
  return { defaultPipeline: structure.defaultPipeline, pipelines };
}

/**
 * Minimal reader of the pipeline structure (names, order, `promotesFrom`,
 * default pipeline), used when the read side's pipeline model is not passed.
 *
 * @internal
 */
export function readPipelineStructure(config: Config): PipelineStructure {
  const pipelines: PipelineStructure['pipelines'] = new Map();
  const root = config.getOptionalConfig('gitops.pipelines');
  for (const name of root?.keys() ?? []) {
    const path = `gitops.pipelines.${name}`;
    const envs = root!.getConfig(name).getOptionalConfigArray('environments');
    if (!envs || envs.length === 0) {
      throw new GitopsConfigError(
        `${path}.environments`,
        'a pipeline needs at least one environment',
      );
    }
    pipelines.set(name, {
      name,
      configPath: path,
      environments: envs.map((e, order) => ({
        name: e.getString('name'),
        order,
        promotesFrom: e.getOptionalString('promotesFrom'),
        configPath: `${path}.environments[${order}]`,
        config: e,
      })),
    });
  }
  const defaultPipeline = config.getOptionalString('gitops.defaultPipeline');
  if (defaultPipeline !== undefined && !pipelines.has(defaultPipeline)) {
    throw new GitopsConfigError(
      'gitops.defaultPipeline',
      `pipeline '${defaultPipeline}' is not defined under gitops.pipelines`,
    );
  }
  return {
    defaultPipeline:
      defaultPipeline ??
      (pipelines.size === 1 ? [...pipelines.keys()][0] : undefined),
    pipelines,
  };
}

/** Unknown `promotesFrom`, duplicates and cycles. */
function checkGraph(
  envs: PipelineStructure['pipelines'] extends Map<any, infer P>
    ? P extends { environments: infer E }
      ? E
      : never
    : never,
  path: string,
) {
  const names = new Set<string>();
  for (const e of envs) {
    if (names.has(e.name)) {
      throw new GitopsConfigError(
        `${e.configPath}.name`,
        `duplicate environment '${e.name}'`,
      );
    }
    names.add(e.name);
  }
  for (const e of envs) {
    if (e.promotesFrom !== undefined && !names.has(e.promotesFrom)) {
      throw new GitopsConfigError(
        `${e.configPath}.promotesFrom`,
        `unknown environment '${e.promotesFrom}' (environments of ${path}: ${[
          ...names,
        ].join(', ')})`,
      );
    }
  }
  const byName = new Map(envs.map(e => [e.name, e]));
  for (const e of envs) {
    const seen = [e.name];
    let cur = e.promotesFrom;
    while (cur !== undefined) {
      if (seen.includes(cur)) {
        throw new GitopsConfigError(
          `${e.configPath}.promotesFrom`,
          `cycle: ${[...seen, cur].join(' ← ')}`,
        );
      }
      seen.push(cur);
      cur = byName.get(cur)?.promotesFrom;
    }
  }
}

function readDuration(
  c: Config,
  key: string,
  path: string,
): number | undefined {
  const text = c.getOptionalString(key);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new GitopsConfigError(
      `${path}.${key}`,
      `cannot parse duration '${text}': expected e.g. 30m, 12h, 1h30m, 2d`,
    );
  }
  return ms;
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
  env: {
    name: string;
    order: number;
    promotesFrom?: string;
    configPath: string;
  },
): EnvironmentPolicy {
  const path = env.configPath;
  let tagPattern: RegExp | undefined;
  const pattern = c.getOptionalString('tagPattern');
  if (pattern !== undefined) {
    try {
      tagPattern = new RegExp(pattern);
    } catch (e) {
      throw new GitopsConfigError(
        `${path}.tagPattern`,
        `bad regular expression: ${(e as Error).message}`,
      );
    }
  }
  const forbiddenTags = [
    'latest',
    ...(c.getOptionalStringArray('forbiddenTags') ?? []).map(t =>
      t.toLocaleLowerCase('en-US'),
    ),
  ].filter((t, i, all) => all.indexOf(t) === i);

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

  const windows: SyncWindow[] = (c.getOptionalConfigArray('windows') ?? []).map(
    (w, i) => {
      const wPath = `${path}.windows[${i}]`;
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
      const problem = validateWindow(window)[0];
      if (problem) {
        throw new GitopsConfigError(
          `${wPath}.${problem.field}`,
          problem.reason,
        );
      }
      return window;
    },
  );

  return {
    name: env.name,
    order: env.order,
    promotesFrom: env.promotesFrom,
    configPath: path,
    tagPattern,
    forbiddenTags,
    requireSemver: c.getOptionalBoolean('requireSemver') ?? false,
    sourceMustBeHealthy: c.getOptionalBoolean('sourceMustBeHealthy') ?? false,
    requireRunInPrevious,
    dryRunRequired: c.getOptionalBoolean('dryRunRequired') ?? false,
    manualSyncRequired: c.getOptionalBoolean('manualSyncRequired') ?? false,
    approvals: readApprovals(c, path),
    windows,
    useArgoCdWindows: c.getOptionalBoolean('useArgoCdWindows') ?? true,
    override: readOverride(c, path),
  };
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
