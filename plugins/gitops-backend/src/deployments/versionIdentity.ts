import {
  VersionCandidate,
  VersionIdentity,
  VersionSource,
} from '@internal/plugin-gitops-common';

/**
 * Version identity: which version an environment runs (or a history row
 * deployed) is the tag of *the application's own image*. Pure; the same
 * function serves the card, the history and the policy checks.
 *
 * Order of the evidence:
 * 1. the image whose repository is the application's (configured per
 *    pipeline/environment or entity, else named next to the write-back key in
 *    the values file, e.g. `image.repository` beside `image.tag`), among
 *    `status.summary.images` — never a sidecar or init container, which
 *    Argo CD lists there too;
 * 2. the write-back key in Git (`image.tag` of the values file at the synced
 *    revision);
 * 3. a Helm parameter of the application source (`argocd` write-back);
 * 4. our deployment record of the change that deployed it.
 * Only when none of these names a version: a git tag of the synced commit
 * (app-prefixed tags only for that app, see {@link tagsForApp}), the chart
 * version of a chart source, or the only image of an app that has exactly one.
 *
 * When the primary candidates disagree the result is `ambiguous` and names
 * them; nothing is guessed.
 */

/** Evidence for {@link identifyVersion}. @internal */
export interface VersionEvidence {
  /** `status.summary.images` (live state; absent for past history rows). */
  images?: string[];
  /** Repository of the application's own image, e.g. `images.example.org/shop/api`. */
  imageRepository?: string;
  /** Where `imageRepository` came from, for messages (`config`, `entity`, `git`). */
  imageRepositoryFrom?: string;
  /** The write-back key read from Git at the synced revision. */
  git?: { file: string; key: string; value?: string };
  /** A Helm parameter of the source (the configured write-back parameter). */
  helmParameter?: { name: string; value?: string };
  /** Version our deployment record holds for this deployment. */
  recorded?: string;
  /** Git tags of the synced commit, already limited to this app ({@link tagsForApp}). */
  tags?: string[];
  /** Chart version of a Helm chart source. */
  chartVersion?: string;
}

/** Parts of an image reference. @internal */
export interface ImageRef {
  /** Repository without tag or digest, normalised (Docker Hub defaults removed). */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses an image reference: `host:5000/a/b:v1@sha256:…` →
 * `{repository: 'host:5000/a/b', tag: 'v1', digest: 'sha256:…'}`. Docker Hub
 * defaults are normalised (`docker.io/library/nginx` → `nginx`).
 *
 * @internal
 */
export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
  const repo = colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
  return {
    repository: normaliseRepository(repo),
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** `docker.io/library/x` and `index.docker.io/library/x` → `x`; lower case. @internal */
export function normaliseRepository(repo: string): string {
  let r = repo.trim().toLowerCase();
  r = r.replace(/^(index\.)?docker\.io\//, '');
  r = r.replace(/^library\//, '');
  return r;
}

/**
 * Tags that speak for an application: `<app>/v1.2.3` only when `<app>` is one
 * of `names` (the Argo CD application name or the entity's base app name);
 * unprefixed tags are kept (one repository per app). Prefixes are removed.
 *
 * @internal
 */
export function tagsForApp(
  tags: string[] | undefined,
  names: Array<string | undefined>,
): string[] {
  const own = new Set(names.filter((n): n is string => !!n));
  const out: string[] = [];
  for (const t of tags ?? []) {
    const slash = t.lastIndexOf('/');
    if (slash < 0) {
      out.push(t);
    } else if (own.has(t.slice(0, slash))) {
      out.push(t.slice(slash + 1));
    }
  }
  return out;
}

/** Whether a tag looks like a version (`v1`, `1.2.3`, `v1.2.0-rc.1`), not `latest`. */
function versionLike(tag: string): boolean {
  return /^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/.test(tag);
}

const LABEL: Record<VersionSource, string> = {
  image: 'image tag',
  git: 'Git',
  'helm-parameter': 'Helm parameter',
  record: 'deployment record',
  'git-tag': 'git tag',
  chart: 'chart version',
};

function describe(cs: VersionCandidate[]): string {
  return cs.map(c => `${c.version} (${LABEL[c.source]})`).join(', ');
}

function known(
  c: VersionCandidate,
  candidates: VersionCandidate[],
  why: string,
): VersionIdentity {
  return {
    status: 'known',
    version: c.version,
    source: c.source,
    candidates,
    message: `${c.version} from the ${why}`,
  };
}

/** Candidates of the application's own image among the live images. */
function imageCandidates(e: VersionEvidence): VersionCandidate[] {
  if (!e.imageRepository || !e.images) return [];
  const repo = normaliseRepository(e.imageRepository);
  const seen = new Set<string>();
  const out: VersionCandidate[] = [];
  for (const img of e.images) {
    const ref = parseImageRef(img);
    if (ref.repository !== repo || !ref.tag || seen.has(ref.tag)) continue;
    seen.add(ref.tag);
    out.push({ source: 'image', version: ref.tag, detail: img });
  }
  return out;
}

/**
 * Decides the version from the evidence (see the file comment for the order).
 *
 * @internal
 */
export function identifyVersion(e: VersionEvidence): VersionIdentity {
  const primary: VersionCandidate[] = [...imageCandidates(e)];
  if (e.git?.value) {
    primary.push({
      source: 'git',
      version: e.git.value,
      detail: `${e.git.file}: ${e.git.key}`,
    });
  }
  if (e.helmParameter?.value) {
    primary.push({
      source: 'helm-parameter',
      version: e.helmParameter.value,
      detail: e.helmParameter.name,
    });
  }
  if (e.recorded) {
    primary.push({ source: 'record', version: e.recorded });
  }
  const distinct = [...new Set(primary.map(c => c.version))];
  if (distinct.length > 1) {
    const images = primary.filter(c => c.source === 'image');
    return {
      status: 'ambiguous',
      candidates: primary,
      message:
        images.length > 1 && images.length === primary.length
          ? `the application's image ${
              e.imageRepository
            } runs with several tags: ${describe(primary)}`
          : `the sources disagree: ${describe(primary)}`,
    };
  }
  if (distinct.length === 1) {
    const first = primary[0];
    const why =
      first.source === 'image'
        ? `application's image ${e.imageRepository}`
        : LABEL[first.source];
    return known(first, primary, why);
  }

  // Nothing primary: weaker evidence, each only when it is unambiguous.
  const tags = [...new Set((e.tags ?? []).filter(versionLike))];
  if (tags.length === 1) {
    const c: VersionCandidate = { source: 'git-tag', version: tags[0] };
    return known(c, [c], 'git tag of the synced commit');
  }
  if (tags.length > 1) {
    const cs = tags.map(t => ({ source: 'git-tag' as const, version: t }));
    return {
      status: 'ambiguous',
      candidates: cs,
      message: `the synced commit has several version tags: ${describe(cs)}`,
    };
  }
  if (e.chartVersion) {
    const c: VersionCandidate = { source: 'chart', version: e.chartVersion };
    return known(c, [c], 'chart version');
  }
  const distinctImages = [...new Set(e.images ?? [])];
  if (!e.imageRepository && distinctImages.length === 1) {
    // A single image: every container runs it, so it is the app's own.
    const tag = parseImageRef(distinctImages[0]).tag;
    if (tag) {
      const c: VersionCandidate = {
        source: 'image',
        version: tag,
        detail: distinctImages[0],
      };
      return known(c, [c], 'only image of the application');
    }
  }
  return {
    status: 'unknown',
    candidates: [],
    message: unknownReason(e, distinctImages.length),
  };
}

function unknownReason(e: VersionEvidence, images: number): string {
  if (e.imageRepository && e.images) {
    return `no live image of ${e.imageRepository} has a tag`;
  }
  if (images > 1) {
    return `${images} images run and none is known to be the application's own (configure the image repository)`;
  }
  return 'nothing names the version (no image repository, write-back key or Helm parameter)';
}
