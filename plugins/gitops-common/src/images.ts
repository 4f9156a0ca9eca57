/** One tag of an application's image repository, as the promote dialog offers it. @public */
export interface ImageTag {
  tag: string;
  /** Manifest digest (`sha256:…`); absent when the registry has none or it could not be read. */
  digest?: string;
  /** The tag, or another tag with the same digest, ran in the previous environment (now or in its history). */
  ranInPrevious: boolean;
  /** The tag that ran there with this digest (e.g. `v1.2.0-rc.2` for `v1.2.0`). */
  ranAs?: string;
  /** Verified in the previous environment (sign-off / automated verification), when known. */
  verified?: boolean;
}

/**
 * Response of `GET …/environments/:env/image-tags`: the registry's tags of
 * the application's image that the environment's policy accepts, newest
 * first (semver).
 *
 * @public
 */
export interface ImageTagList {
  /** The application's image repository, e.g. `example.org/shop/api`. */
  repository?: string;
  /** The environment versions come from (`promotesFrom`). */
  previousEnvironment?: string;
  items: ImageTag[];
  /** Why the registry could not be asked (no repository known, no registry configured, unreachable). */
  unavailable?: string;
}

/**
 * Response of `GET …/environments/:env/image-digests`: manifest digests of
 * the versions the environment runs and ran (its history), by tag.
 *
 * @public
 */
export interface ImageDigests {
  repository?: string;
  /** Digest by tag; `null` when the registry has no such tag. */
  digests: Record<string, string | null>;
  unavailable?: string;
}
