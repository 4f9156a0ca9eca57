import { EnvironmentState, HistoryEntry } from '@internal/plugin-gitops-common';
import { ImageFacts, PolicyCheck } from './policyModel';
import { EnvironmentPolicy } from './types';
import { coreOf } from './versions';

/*
 * Image identity checks (pure): the promoted tag exists in the registry
 * (`image-exists`), and optionally its manifest digest equals the digest of
 * a version with the same X.Y.Z that ran in the previous environment
 * (`same-digest`), so the next environment gets the bits that ran there.
 * The facts (digests by tag) come from the registry through a port; when it
 * could not be asked the checks fail as "unavailable", never pass.
 */

/** `sha256:0123456789ab…` (the first 12 hex digits). @internal */
export function shortDigest(digest: string): string {
  const [alg, hex] = digest.split(':');
  return hex && hex.length > 12 ? `${alg}:${hex.slice(0, 12)}` : digest;
}

/** Whether the environment asks for any image check. @internal */
export function needsImageFacts(env: EnvironmentPolicy): boolean {
  return !!(env.requireImageExists || env.requireSameDigest);
}

/** A version that ran in the previous environment (now or in its history). @internal */
export interface RanVersion {
  version: string;
  /** Runs there now. */
  now: boolean;
}

/**
 * The versions with the same X.Y.Z as `version` that ran in the source
 * environment: the one it runs now first, then its Argo CD history (as
 * given, without repeats; Helm release rows are other workloads).
 * Non-semver versions have none.
 *
 * @internal
 */
export function sameCoreVersionsRan(
  version: string,
  source: EnvironmentState | undefined,
  history: HistoryEntry[],
): RanVersion[] {
  const core = coreOf(version);
  if (!core) return [];
  const out: RanVersion[] = [];
  const seen = new Set<string>();
  const add = (v: string | undefined, now: boolean) => {
    if (!v || seen.has(v) || coreOf(v) !== core) return;
    seen.add(v);
    out.push({ version: v, now });
  };
  if (!source?.error) add(source?.version, true);
  // Argo CD rows only: a Helm release in the same cluster is another workload
  for (const h of history) {
    if (h.source === 'argocd' && !h.degradedAt) add(h.version, false);
  }
  return out;
}

/** The tags whose digests the checks need. @internal */
export function imageTagsNeeded(
  env: EnvironmentPolicy,
  version: string,
  ran: RanVersion[],
): string[] {
  if (!needsImageFacts(env)) return [];
  return [
    version,
    ...(env.requireSameDigest ? ran.map(r => r.version) : []),
  ].filter((t, i, all) => all.indexOf(t) === i);
}

function unavailable(
  id: string,
  env: EnvironmentPolicy,
  version: string,
  facts: ImageFacts | undefined,
): PolicyCheck {
  const image = facts?.repository
    ? `${facts.repository}:${version}`
    : `the image of ${version}`;
  return {
    id,
    status: 'fail',
    message: `unavailable: ${image} could not be checked (${
      facts?.unavailable ?? 'no registry facts were gathered'
    }); ${env.name} requires ${
      id === 'image-exists'
        ? 'the image to exist in the registry'
        : `the same image digest as in ${env.promotesFrom}`
    }, so this check does not pass`,
  };
}

/**
 * The image checks of a promotion into `env` (none when the environment's
 * policy asks for none).
 *
 * @internal
 */
export function imageChecks(
  env: EnvironmentPolicy,
  version: string,
  facts: ImageFacts | undefined,
  ran: RanVersion[],
): PolicyCheck[] {
  if (!needsImageFacts(env)) return [];
  const checks: PolicyCheck[] = [];
  const usable = facts && !facts.unavailable;
  const digest = usable ? facts.digests[version] : undefined;
  const image = `${facts?.repository}:${version}`;

  if (!usable) {
    checks.push(unavailable('image-exists', env, version, facts));
  } else if (!digest) {
    checks.push({
      id: 'image-exists',
      status: 'fail',
      field: 'version',
      message: `${image} does not exist in the registry; push the image before promoting it to ${env.name}`,
    });
  } else {
    checks.push({
      id: 'image-exists',
      status: 'pass',
      message: `${image} exists in the registry (${shortDigest(digest)})`,
    });
  }

  if (!env.requireSameDigest || !env.promotesFrom) return checks;
  const source = env.promotesFrom;
  if (!usable) {
    checks.push(unavailable('same-digest', env, version, facts));
    return checks;
  }
  if (!digest) {
    checks.push({
      id: 'same-digest',
      status: 'fail',
      field: 'version',
      message: `${version} is not in the registry, so its digest cannot be compared with what ran in ${source}`,
    });
    return checks;
  }
  if (!ran.length) {
    checks.push({
      id: 'same-digest',
      status: 'fail',
      field: 'version',
      message: `no version with the same X.Y.Z as ${version} ran in ${source}, so there is no digest to compare (${env.name} takes only the image that ran in ${source})`,
    });
    return checks;
  }
  const match = ran.find(r => facts.digests[r.version] === digest);
  if (match) {
    checks.push({
      id: 'same-digest',
      status: 'pass',
      message: `${version} is the same image (${shortDigest(digest)}) as ${
        match.version
      }, which ${match.now ? 'runs' : 'ran'} in ${source}`,
    });
    return checks;
  }
  const others = ran
    .map(r => {
      const d = facts.digests[r.version];
      return `${r.version} ${
        d ? `is ${shortDigest(d)}` : 'is not in the registry'
      }`;
    })
    .join(', ');
  checks.push({
    id: 'same-digest',
    status: 'fail',
    field: 'version',
    message: `${version} (${shortDigest(
      digest,
    )}) is not the image that ran in ${source}: ${others}; ${
      env.name
    } takes only the bits that ran in ${source}`,
  });
  return checks;
}
