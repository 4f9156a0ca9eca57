import { gunzipSync } from 'zlib';
import { z } from 'zod';

/** A Helm release revision as the plugin exposes it: no values, no manifest. @public */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  status: string;
  description?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

/**
 * A release Secret whose content could not be decoded. The reason is ours
 * (never a fragment of the Secret's content, which may hold values).
 *
 * @public
 */
export class HelmReleaseDecodeError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HelmReleaseDecodeError';
  }
}

const optionalText = z
  .string()
  .nullish()
  .transform(v => v || undefined);

/** The fields of Helm's release record we read (`helm.sh/helm/v3/pkg/release.Release`). */
const helmReleaseSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  version: z.number().int().positive(),
  info: z
    .object({
      status: optionalText,
      description: optionalText,
      first_deployed: optionalText,
      last_deployed: optionalText,
    })
    .nullish(),
  chart: z
    .object({
      metadata: z
        .object({
          name: optionalText,
          version: optionalText,
          appVersion: optionalText,
        })
        .nullish(),
    })
    .nullish(),
});

/**
 * Decodes the `release` value of a Helm release Secret as read from the
 * Kubernetes API (`data.release`): base64 (Kubernetes) → base64 (Helm) →
 * gzip (when the gzip magic is present) → JSON. Drops `config` (user values,
 * may hold secrets), `manifest`, `hooks` and chart templates. Throws
 * {@link HelmReleaseDecodeError} with a reason that quotes nothing of the data.
 *
 * @public
 */
export function decodeHelmRelease(secretData: string): HelmRelease {
  const helmEncoded = Buffer.from(secretData, 'base64').toString('utf8');
  let bytes = Buffer.from(helmEncoded, 'base64');
  if (
    bytes.length >= 3 &&
    bytes[0] === 0x1f &&
    bytes[1] === 0x8b &&
    bytes[2] === 0x08
  ) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new HelmReleaseDecodeError('its gzip data is corrupt');
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HelmReleaseDecodeError('its content is not JSON');
  }
  const parsed = helmReleaseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HelmReleaseDecodeError(
      `it is not a Helm release record (${issue.path.join('.') || 'body'}: ${
        issue.message
      })`,
    );
  }
  const raw = parsed.data;
  return {
    name: raw.name,
    namespace: raw.namespace,
    revision: raw.version,
    chart: raw.chart?.metadata?.name ?? '',
    chartVersion: raw.chart?.metadata?.version ?? '',
    appVersion: raw.chart?.metadata?.appVersion,
    status: raw.info?.status ?? 'unknown',
    description: raw.info?.description,
    firstDeployed: raw.info?.first_deployed,
    lastDeployed: raw.info?.last_deployed,
  };
}
