import { gzipSync } from 'zlib';
import { decodeHelmRelease } from './decodeRelease';

const release = {
  name: 'mig',
  namespace: 'shop',
  version: 4,
  info: {
    status: 'deployed',
    description: 'Upgrade complete',
    first_deployed: 'a',
    last_deployed: 'b',
  },
  chart: {
    metadata: { name: 'migrations', version: '0.3.1', appVersion: 'v1.1.4' },
    values: {},
  },
  config: { password: 'hunter2' },
  manifest: 'kind: Job',
};

function asSecretData(bytes: Buffer): string {
  // Helm's base64, then the Kubernetes API's base64 of the Secret data.
  return Buffer.from(bytes.toString('base64')).toString('base64');
}

describe('decodeHelmRelease', () => {
  it('decodes base64(base64(gzip(json))) and drops values and manifest', () => {
    const r = decodeHelmRelease(
      asSecretData(gzipSync(Buffer.from(JSON.stringify(release)))),
    );
    expect(r).toEqual({
      name: 'mig',
      namespace: 'shop',
      revision: 4,
      chart: 'migrations',
      chartVersion: '0.3.1',
      appVersion: 'v1.1.4',
      status: 'deployed',
      description: 'Upgrade complete',
      firstDeployed: 'a',
      lastDeployed: 'b',
    });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('accepts uncompressed (very old) releases', () => {
    expect(
      decodeHelmRelease(asSecretData(Buffer.from(JSON.stringify(release))))
        .revision,
    ).toBe(4);
  });

  it.each([
    [
      Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('hunter2')]),
      'its gzip data is corrupt',
    ],
    [
      Buffer.from('{"name":"mig","config":"hunter2"'),
      'its content is not JSON',
    ],
    [
      Buffer.from(JSON.stringify({ name: 'mig', config: 'hunter2' })),
      'it is not a Helm release record (namespace: Required)',
    ],
  ])(
    'throws a reason that quotes nothing of the data (%#)',
    (bytes, reason) => {
      let error: Error | undefined;
      try {
        decodeHelmRelease(asSecretData(bytes));
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('HelmReleaseDecodeError');
      expect(error?.message).toBe(reason);
    },
  );
});
