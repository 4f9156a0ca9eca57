import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { GitopsConfigError } from '../argocd/config';

/** A Kubernetes cluster whose Helm release Secrets we read. Holds a secret. @public */
export interface HelmClusterConfig {
  name: string;
  url: string;
  token?: string;
  caData?: string;
  skipTLSVerify: boolean;
  timeoutMs: number;
}

/** Reads `gitops.helm.clusters[]`. @public */
export function readHelmClusters(config: Config): HelmClusterConfig[] {
  const out: HelmClusterConfig[] = [];
  (config.getOptionalConfigArray('gitops.helm.clusters') ?? []).forEach(
    (c, i) => {
      const path = `gitops.helm.clusters[${i}]`;
      const name = c.getString('name');
      if (out.some(x => x.name === name)) {
        throw new GitopsConfigError(
          `${path}.name`,
          `duplicate cluster name '${name}'`,
        );
      }
      const url = c.getString('url');
      if (!URL.canParse(url)) {
        throw new GitopsConfigError(
          `${path}.url`,
          `'${url}' is not an absolute URL`,
        );
      }
      const timeoutMs = c.has('timeout')
        ? durationToMilliseconds(readDurationFromConfig(c, { key: 'timeout' }))
        : 10_000;
      out.push({
        name,
        url: url.replace(/\/+$/, ''),
        token: c.getOptionalString('token'),
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        timeoutMs,
      });
    },
  );
  return out;
}
