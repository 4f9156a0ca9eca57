import semver from 'semver';

/**
 * Strict semantic version tag: `X.Y.Z` with an optional leading `v`, optional
 * prerelease and build metadata, nothing before or after (no whitespace).
 */
const STRICT =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Letters directly followed by digits in one identifier, e.g. `rc10`. */
const UNDOTTED = /^[a-zA-Z-]+\d+$/;

/** Result of {@link parseVersionTag}. @internal */
export type VersionTagResult =
  | { ok: true; version: semver.SemVer; core: string }
  | { ok: false; reason: string };

/**
 * Parses a tag as a strict semantic version. Prerelease identifiers must be
 * dotted (`rc.10`, not `rc10`), so that they order numerically.
 *
 * @internal
 */
export function parseVersionTag(tag: string): VersionTagResult {
  if (!STRICT.test(tag)) {
    return {
      ok: false,
      reason: `'${tag}' is not a semantic version (expected vX.Y.Z or vX.Y.Z-pre.N, nothing before or after)`,
    };
  }
  const v = semver.parse(tag)!;
  const bad = v.prerelease.find(p => typeof p === 'string' && UNDOTTED.test(p));
  if (bad !== undefined) {
    const m = String(bad).match(/^([a-zA-Z-]+)(\d+)$/)!;
    return {
      ok: false,
      reason: `'${tag}' has the prerelease identifier '${bad}'; write it dotted ('${m[1]}.${m[2]}') so versions order numerically`,
    };
  }
  return { ok: true, version: v, core: `${v.major}.${v.minor}.${v.patch}` };
}

/**
 * The `X.Y.Z` of a tag, or undefined when it is not a semantic version.
 *
 * @internal
 */
export function coreOf(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const r = parseVersionTag(tag);
  return r.ok ? r.core : undefined;
}

/**
 * Orders two version tags (semver precedence; build metadata ignored).
 *
 * @internal
 */
export function compareVersionTags(a: string, b: string): number {
  return semver.compare(a, b);
}
