import {
  applyHelmParameters,
  effectiveValues,
  imageOf,
  mergeValues,
  RenderError,
  renderManifests,
} from './render';

const valuesText = `# comment
image:
  repository: example.org/shop/app # repo
  tag: v1.1.4
replicaCount: 2
`;

describe('values', () => {
  it('merges maps deeply and replaces scalars and lists', () => {
    expect(
      mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 } }),
    ).toEqual({ a: { b: 1, c: [2], e: 3 }, d: 1 });
  });

  it('Helm parameters win over value files (the argocd write-back method)', () => {
    const v = effectiveValues([{ name: 'values.yaml', text: valuesText }], {
      repoURL: 'x',
      helm: { parameters: [{ name: 'image.tag', value: 'v1.2.0' }] },
    });
    expect(imageOf(v)).toBe('example.org/shop/app:v1.2.0');
  });

  it('applies helm.values and valuesObject between files and parameters', () => {
    const v = effectiveValues([{ name: 'values.yaml', text: valuesText }], {
      repoURL: 'x',
      helm: {
        values: 'replicaCount: 5\n',
        valuesObject: { image: { tag: 'v9' } },
      },
    });
    expect(v.replicaCount).toBe(5);
    expect(imageOf(v)).toBe('example.org/shop/app:v9');
  });

  it('parses --set values like Helm unless forceString', () => {
    expect(
      applyHelmParameters({}, [
        { name: 'a.b', value: '3' },
        { name: 'c', value: 'true' },
        { name: 'd', value: '3', forceString: true },
      ]),
    ).toEqual({
      a: { b: 3 },
      c: true,
      d: '3',
    });
    expect(applyHelmParameters({}, [{ name: 'a\\.b', value: 'x' }])).toEqual({
      'a.b': 'x',
    });
  });

  it('reports unparsable values and a missing image', () => {
    expect(() =>
      effectiveValues([{ name: 'v.yaml', text: 'a: [' }], { repoURL: 'x' }),
    ).toThrow(RenderError);
    expect(() => imageOf({ image: { repository: 'r' } })).toThrow(
      'values: image.tag must be set',
    );
    expect(() => imageOf({})).toThrow(/image must be a mapping/);
  });
});

describe('renderManifests', () => {
  it('renders a Service and a Deployment with the image and replicas', () => {
    const out = renderManifests({
      appName: 'app-prod',
      releaseName: 'app',
      namespace: 'shop-prod',
      chart: { name: 'app', version: '0.4.0' },
      values: { image: { repository: 'r/app', tag: 'v1' }, replicaCount: 3 },
    });
    expect(out.map(o => o.kind)).toEqual(['Service', 'Deployment']);
    const d: any = out[1];
    expect(d.metadata).toMatchObject({ name: 'app', namespace: 'shop-prod' });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe('r/app:v1');
  });

  it('is deterministic', () => {
    const input = {
      appName: 'a',
      namespace: 'n',
      chart: { name: 'c', version: '1' },
      values: { image: { repository: 'r', tag: 't' } },
    };
    expect(JSON.stringify(renderManifests(input))).toBe(
      JSON.stringify(renderManifests(input)),
    );
  });

  it('rejects a bad replicaCount', () => {
    expect(() =>
      renderManifests({
        appName: 'a',
        namespace: 'n',
        chart: { name: 'c', version: '1' },
        values: { image: { repository: 'r', tag: 't' }, replicaCount: -1 },
      }),
    ).toThrow('values: replicaCount must be a non-negative integer');
  });
});
