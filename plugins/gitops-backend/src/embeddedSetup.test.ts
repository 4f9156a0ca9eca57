/* The embedded setup (`npm start`) listens on the loopback interface only; production config opens it up. */
import { readHttpServerOptions } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) =>
  YAML.parse(fs.readFileSync(path.join(root, file), 'utf8'));

describe('embedded setup listen addresses', () => {
  const dev = new ConfigReader(read('app-config.yaml'));

  it('the backend binds 127.0.0.1 (as the backend reads backend.listen)', () => {
    const options = readHttpServerOptions(dev.getConfig('backend'));
    expect(options.listen).toEqual({ host: '127.0.0.1', port: 7007 });
  });

  it('the app dev server binds 127.0.0.1 (backstage-cli reads app.listen.host)', () => {
    expect(dev.getString('app.listen.host')).toBe('127.0.0.1');
  });

  it('app-config.production.yaml listens on every interface', () => {
    const prod = ConfigReader.fromConfigs([
      { context: 'app-config.yaml', data: read('app-config.yaml') },
      {
        context: 'app-config.production.yaml',
        data: read('app-config.production.yaml'),
      },
    ]);
    const options = readHttpServerOptions(prod.getConfig('backend'));
    expect(options.listen).toEqual({ host: '', port: 7007 });
  });
});
