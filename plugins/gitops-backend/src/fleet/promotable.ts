import {
  FleetEnvironment,
  FleetPromotion,
} from '@internal/plugin-gitops-common';
import { compareVersionTags, parseVersionTag } from '../policy/versions';

/** What the promotion comparison needs of an environment. @internal */
export type PromotionInput = Pick<
  FleetEnvironment,
  'name' | 'order' | 'promotesFrom' | 'version' | 'versionStatus' | 'error'
> & { hasApplication: boolean };

/**
 * Whether `source` runs a version that `target` does not have yet. Both
 * version identities must be `known` (an ambiguous or unknown one is never
 * guessed). Two semantic versions are ordered (build metadata ignored, a
 * leading `v` does not count); the target must be strictly behind. Versions
 * that are not both semantic versions are waiting exactly when they differ.
 * Pure.
 *
 * @internal
 */
export function isAhead(
  source: string,
  target: string,
): { ahead: boolean; ordered: boolean } {
  const s = parseVersionTag(source);
  const t = parseVersionTag(target);
  if (s.ok && t.ok) {
    return { ahead: compareVersionTags(source, target) > 0, ordered: true };
  }
  return { ahead: source !== target, ordered: false };
}

/**
 * What is waiting to be promoted, per environment that takes its versions
 * from another (`promotesFrom`): the source's version when it is ahead of
 * the target's ({@link isAhead}). Nothing is waiting into an environment that
 * could not be read or has no bound application, or from or into one whose
 * version is not `known`. In the pipeline's order. Pure.
 *
 * @internal
 */
export function waitingPromotions(envs: PromotionInput[]): FleetPromotion[] {
  const byName = new Map(envs.map(e => [e.name, e]));
  const out: FleetPromotion[] = [];
  for (const target of [...envs].sort((a, b) => a.order - b.order)) {
    if (!target.promotesFrom) continue;
    const source = byName.get(target.promotesFrom);
    if (!source || !readable(source) || !readable(target)) continue;
    if (!source.version || !target.version) continue;
    const { ahead, ordered } = isAhead(source.version, target.version);
    if (!ahead) continue;
    out.push({
      from: source.name,
      to: target.name,
      version: source.version,
      current: target.version,
      ...(ordered ? {} : { unordered: true }),
    });
  }
  return out;
}

function readable(e: PromotionInput): boolean {
  return !e.error && e.hasApplication && e.versionStatus === 'known';
}
