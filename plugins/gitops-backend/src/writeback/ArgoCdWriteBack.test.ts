import { ArgoApplication } from '../argocd/types';
import {
  ArgoCdWriteBack,
  helmParameterPatch,
  upsertHelmParameter,
} from './ArgoCdWriteBack';

const app = (params?: any[]): ArgoApplication => ({
  metadata: { name: 'pw-dev' },
  spec: {
    project: 'default',
    destination: {},
    source: {
      repoURL: 'r',
      path: 'p',
      helm: params ? { parameters: params } : undefined,
    },
  },
});

describe('argocd write-back', () => {
  it('replaces an existing parameter and keeps the others', () => {
    const r = upsertHelmParameter(
      [
        { name: 'replicas', value: '2' },
        { name: 'image.tag', value: 'v1' },
      ],
      'image.tag',
      'v2',
    );
    expect(r).toEqual({
      parameters: [
        { name: 'replicas', value: '2' },
        { name: 'image.tag', value: 'v2', forceString: true },
      ],
      previous: 'v1',
      changed: true,
    });
  });

  it('builds a merge patch as a JSON string for a single-source app', () => {
    const p = helmParameterPatch(app(), 'image.tag', 'v1.2.0');
    expect(p.patchType).toBe('merge');
    expect(JSON.parse(p.patch)).toEqual({
      spec: {
        source: {
          helm: {
            parameters: [
              { name: 'image.tag', value: 'v1.2.0', forceString: true },
            ],
          },
        },
      },
    });
  });

  it('builds a JSON patch for the Helm source of a multi-source app', () => {
    const a: ArgoApplication = {
      metadata: { name: 'x' },
      spec: {
        project: 'p',
        destination: {},
        sources: [
          { repoURL: 'values', ref: 'values' },
          { repoURL: 'charts', chart: 'c' },
        ],
      },
    };
    const p = helmParameterPatch(a, 'image.tag', 'v2');
    expect(p.patchType).toBe('json');
    expect(JSON.parse(p.patch)).toEqual([
      {
        op: 'add',
        path: '/spec/sources/1/helm',
        value: {
          parameters: [{ name: 'image.tag', value: 'v2', forceString: true }],
        },
      },
    ]);
  });

  it('patches only when the value differs', async () => {
    const client = {
      getApplication: jest
        .fn()
        .mockResolvedValue(
          app([{ name: 'image.tag', value: 'v2', forceString: true }]),
        ),
      patchApplication: jest.fn(),
    };
    const wb = new ArgoCdWriteBack(client);
    await expect(
      wb.setParameter({
        instance: 'i',
        application: 'pw-dev',
        parameter: 'image.tag',
        value: 'v2',
      }),
    ).resolves.toEqual({ changed: false, previous: 'v2' });
    expect(client.patchApplication).not.toHaveBeenCalled();
    await wb.setParameter({
      instance: 'i',
      application: 'pw-dev',
      parameter: 'image.tag',
      value: 'v3',
    });
    expect(client.patchApplication).toHaveBeenCalledWith('i', 'pw-dev', {
      patch: expect.any(String),
      patchType: 'merge',
    });
  });
});
