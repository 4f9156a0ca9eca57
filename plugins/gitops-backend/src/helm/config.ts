import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import { collecting, ConfigProblems } from '../config/errors';
import { URL_CREDENTIALS_REFUSED } from '../config/urlCredentials';

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
export function readHelmClusters(
  config: Config,
  problems?: ConfigProblems,
): HelmClusterConfig[] {
  return collecting(problems, p => readAll(config, p));
}

function readAll(
  config: Config,
  problems: ConfigProblems,
): HelmClusterConfig[] {
  const out: HelmClusterConfig[] = [];
  (config.getOptionalConfigArray('gitops.helm.clusters') ?? []).forEach(
    (c, i) => {
      const path = `gitops.helm.clusters[${i}]`;
      problems.attempt(path, () => {
        const name = c.getString('name');
        if (out.some(x => x.name === name)) {
          problems.add(`${path}.name`, `duplicate cluster name '${name}'`);
          return;
        }
        const url = c.getString('url');
        if (!URL.canParse(url)) {
          problems.add(`${path}.url`, `'${url}' is not an absolute URL`);
          return;
        }
        const parsed = new URL(url);
        if (parsed.username || parsed.password) {
          problems.add(`${path}.url`, URL_CREDENTIALS_REFUSED);
          return;
        }
        const timeoutMs = c.has('timeout')
          ? readDurationMs(c, 'timeout', path)
          : 10_000;
        out.push({
          name,
          url: url.replace(/\/+$/, ''),
          token: c.getOptionalString('token'),
          caData: c.getOptionalString('caData'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
          timeoutMs,
        });
      });
    },
  );
  return out;
}
