import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import { readDurationMs } from '../config/duration';
import { GitopsConfigError } from '../config/errors';
import type { VerificationPolicy } from '../policy/types';

/**
 * Reads `environments[].verification` (`signOff.groups`, `automated.postSyncHooks`,
 * `automated.soakTime`); undefined when absent. Throws a
 * {@link GitopsConfigError} naming the key path.
 *
 * @internal
 */
export function readVerification(
  c: Config,
  path: string,
): VerificationPolicy | undefined {
  const v = c.getOptionalConfig('verification');
  if (!v) return undefined;
  const vPath = `${path}.verification`;
  const out: VerificationPolicy = {};
  const s = v.getOptionalConfig('signOff');
  if (s) {
    const groups = (s.getOptionalStringArray('groups') ?? []).map((ref, i) =>
      groupRef(ref, `${vPath}.signOff.groups[${i}]`),
    );
    if (!groups.length) {
      throw new GitopsConfigError(
        `${vPath}.signOff.groups`,
        'name at least one group (or user) ref whose members sign off, e.g. group:default/qa',
      );
    }
    out.signOff = { groups: [...new Set(groups)] };
  }
  const a = v.getOptionalConfig('automated');
  if (a) {
    const postSyncHooks = a.getOptionalBoolean('postSyncHooks') ?? false;
    const soakMs = a.has('soakTime')
      ? readDurationMs(a, 'soakTime', `${vPath}.automated`)
      : 0;
    if (!postSyncHooks && soakMs === 0) {
      throw new GitopsConfigError(
        `${vPath}.automated`,
        'set postSyncHooks: true or a soakTime longer than 0, or leave automated out',
      );
    }
    out.automated = { postSyncHooks, soakMs };
  }
  if (!out.signOff && !out.automated) {
    throw new GitopsConfigError(
      vPath,
      'set signOff, automated or both (an empty verification verifies nothing)',
    );
  }
  return out;
}

function groupRef(ref: string, path: string): string {
  try {
    const parsed = parseEntityRef(ref, { defaultKind: 'group' });
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') {
      throw new Error(`kind must be group or user, got '${parsed.kind}'`);
    }
    return `${kind}:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase(
      'en-US',
    );
  } catch (e) {
    throw new GitopsConfigError(
      path,
      `'${ref}' is not a group or user entity ref such as group:default/qa (${
        (e as Error).message
      })`,
    );
  }
}

/**
 * Checks the rules across environments: `requireVerification` and
 * `requireLineage` need a `promotesFrom`, and `requireVerification` needs
 * the previous environment to configure a verification. Returns the problems.
 *
 * @internal
 */
export function verificationGraphProblems(
  envs: Array<{
    name: string;
    configPath: string;
    promotesFrom?: string;
    verification?: VerificationPolicy;
    requireVerification?: boolean;
    requireLineage?: boolean;
  }>,
): Array<{ path: string; reason: string }> {
  const problems: Array<{ path: string; reason: string }> = [];
  for (const e of envs) {
    for (const key of ['requireVerification', 'requireLineage'] as const) {
      if (e[key] && !e.promotesFrom) {
        problems.push({
          path: `${e.configPath}.${key}`,
          reason: `'${e.name}' has no promotesFrom, so there is no previous environment`,
        });
      }
    }
    if (e.requireVerification && e.promotesFrom) {
      const prev = envs.find(p => p.name === e.promotesFrom);
      if (prev && !prev.verification) {
        problems.push({
          path: `${e.configPath}.requireVerification`,
          reason: `'${prev.name}' configures no verification (set ${prev.configPath}.verification)`,
        });
      }
    }
  }
  return problems;
}
