import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

/**
 * The repository's example app-config.yaml as a Config (placeholders such as
 * `${GITOPS_LOCAL_ARGOCD_TOKEN}` stay unresolved text).
 *
 * @internal
 */
export function loadExampleAppConfig(): ConfigReader {
  const file = path.resolve(__dirname, '../../../../app-config.yaml');
  return new ConfigReader(YAML.parse(fs.readFileSync(file, 'utf8')));
}
