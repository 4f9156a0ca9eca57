/**
 * The version a promotion dialog pre-fills, derived from what the source
 * environment runs by the release workflow's convention: a build `-dev.N`
 * (or any prerelease but `rc`) becomes the next release candidate
 * `vX.Y.Z-rc.K` (one more than the rc of the same X.Y.Z the target runs,
 * else `rc.1`); a release candidate `vX.Y.Z-rc.N` becomes the release
 * `vX.Y.Z`; a release stays itself. Anything else: empty, the person types
 * it. The dialog clears it when the policy's tag pattern refuses it. Pure.
 */
const SEMVER = /^(v?)(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function suggestVersion(
  sourceVersion: string | undefined,
  targetVersion: string | undefined,
): string {
  const m = sourceVersion?.match(SEMVER);
  if (!m) return '';
  const [, v, major, minor, patch, pre] = m;
  const core = `${v}${major}.${minor}.${patch}`;
  if (!pre) return core;
  if (/^rc\.\d+$/.test(pre)) return core;
  const t = targetVersion?.match(SEMVER);
  const sameCore =
    t && t[2] === major && t[3] === minor && t[4] === patch ? t : undefined;
  const rc = sameCore?.[5]?.match(/^rc\.(\d+)$/);
  return `${core}-rc.${rc ? Number(rc[1]) + 1 : 1}`;
}
