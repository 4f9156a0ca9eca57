import { gunzipSync } from 'zlib';

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
 * Decodes the `release` value of a Helm release Secret as read from the
 * Kubernetes API (`data.release`): base64 (Kubernetes) → base64 (Helm) →
 * gzip (when the gzip magic is present) → JSON. Drops `config` (user values,
 * may hold secrets), `manifest`, `hooks` and chart templates.
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
    bytes = gunzipSync(bytes);
  }
  const raw = JSON.parse(bytes.toString('utf8')) as {
    name: string;
    namespace: string;
    version: number;
    info?: {
      status?: string;
      description?: string;
      first_deployed?: string;
      last_deployed?: string;
    };
    chart?: {
      metadata?: { name?: string; version?: string; appVersion?: string };
    };
  };
  return {
    name: raw.name,
    namespace: raw.namespace,
    revision: Number(raw.version),
    chart: raw.chart?.metadata?.name ?? '',
    chartVersion: raw.chart?.metadata?.version ?? '',
    appVersion: raw.chart?.metadata?.appVersion || undefined,
    status: raw.info?.status ?? 'unknown',
    description: raw.info?.description || undefined,
    firstDeployed: raw.info?.first_deployed || undefined,
    lastDeployed: raw.info?.last_deployed || undefined,
  };
}
