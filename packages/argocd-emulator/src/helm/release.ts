/**
 * Helm 3 release storage (Secrets driver): release JSON → gzip → base64, stored
 * in Secret `sh.helm.release.v1.<name>.v<N>` (data.release, which the
 * Kubernetes API base64-encodes once more), type helm.sh/release.v1.
 */
import zlib from 'node:zlib';

/** Helm release record (the JSON Helm stores). @public */
export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: {
    first_deployed: string;
    last_deployed: string;
    deleted: string;
    description: string;
    status: string;
    notes?: string;
  };
  chart: {
    metadata: Record<string, unknown>;
    lock: unknown;
    templates: { name: string; data: string }[];
    values: Record<string, unknown>;
    schema: unknown;
    files: unknown[];
  };
  config: Record<string, unknown>;
  manifest: string;
  hooks?: unknown[];
  labels?: Record<string, string>;
}

/** Helm's own encoding: JSON → gzip (best compression) → base64 (std). @public */
export function encodeRelease(release: HelmRelease): string {
  const { labels: _labels, ...rest } = release;
  const gz = zlib.gzipSync(Buffer.from(JSON.stringify(rest)), {
    level: zlib.constants.Z_BEST_COMPRESSION,
  });
  return gz.toString('base64');
}

/** Helm's decoding: base64 → gunzip when the gzip magic is present → JSON. @public */
export function decodeRelease(encoded: string): HelmRelease {
  const raw = Buffer.from(encoded, 'base64');
  const magic =
    raw.length >= 3 && raw[0] === 0x1f && raw[1] === 0x8b && raw[2] === 0x08;
  return JSON.parse((magic ? zlib.gunzipSync(raw) : raw).toString('utf8'));
}

/** Secret name for a release revision. @public */
export function releaseSecretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

/** A Kubernetes Secret holding a release, as the API returns it. @public */
export function releaseSecret(
  release: HelmRelease,
  meta: {
    uid: string;
    resourceVersion: string;
    createdAt: Date;
    modifiedAt?: Date;
  },
) {
  const helmEncoded = encodeRelease(release);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: releaseSecretName(release.name, release.version),
      namespace: release.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      labels: {
        createdAt: String(Math.floor(meta.createdAt.getTime() / 1000)),
        ...(meta.modifiedAt
          ? { modifiedAt: String(Math.floor(meta.modifiedAt.getTime() / 1000)) }
          : {}),
        name: release.name,
        owner: 'helm',
        status: release.info.status,
        version: String(release.version),
        ...(release.labels ?? {}),
      },
    },
    // Kubernetes Secret data is base64 on the wire: Helm's base64 string, encoded again.
    data: { release: Buffer.from(helmEncoded, 'utf8').toString('base64') },
    type: 'helm.sh/release.v1',
  };
}
