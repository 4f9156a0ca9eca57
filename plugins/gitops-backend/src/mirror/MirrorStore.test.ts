import { ArgoApplication } from '../argocd/types';
import { DEFAULT_BINDINGS } from '../binding/types';
import { MirrorStore, parseResourceVersion } from './MirrorStore';

const REF = 'gitops.backstage.io/entity-ref';

function app(
  name: string,
  rv: string | undefined,
  opts: { bound?: boolean; ns?: string; tag?: string } = {},
): ArgoApplication {
  return {
    metadata: {
      name,
      namespace: opts.ns ?? 'argocd',
      resourceVersion: rv,
      labels: { env: 'dev' },
      annotations: {
        ...(opts.bound === false ? {} : { [REF]: `component:default/${name}` }),
        'other/annotation': 'x'.repeat(200),
      },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'r',
        helm: { parameters: [{ name: 't', value: opts.tag ?? 'v1' }] },
      },
      destination: { namespace: 'shop' },
    },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  } as ArgoApplication;
}

const store = () => new MirrorStore('local', DEFAULT_BINDINGS);

describe('parseResourceVersion', () => {
  it('takes decimal integers only', () => {
    expect(parseResourceVersion('12')).toBe(12);
    expect(parseResourceVersion('0')).toBe(0);
    for (const v of [
      undefined,
      '',
      'abc',
      '-1',
      '1.5',
      '99999999999999999999',
    ]) {
      expect(parseResourceVersion(v)).toBeUndefined();
    }
  });
});

describe('MirrorStore events', () => {
  it('ADDED, MODIFIED, DELETED change the store and are announced', () => {
    const s = store();
    expect(s.applyEvent('ADDED', app('a', '10'))).toMatchObject({
      instance: 'local',
      appName: 'a',
      appNamespace: 'argocd',
      type: 'ADDED',
    });
    expect(s.get('a')?.metadata.resourceVersion).toBe('10');
    expect(
      s.applyEvent('MODIFIED', app('a', '11', { tag: 'v2' })),
    ).toMatchObject({
      type: 'MODIFIED',
    });
    expect(s.get('a')?.spec.source?.helm?.parameters?.[0].value).toBe('v2');
    expect(s.resourceVersion).toBe('11');
    expect(s.applyEvent('DELETED', app('a', '12'))).toMatchObject({
      type: 'DELETED',
      application: { metadata: { resourceVersion: '11' } },
    });
    expect(s.get('a')).toBeUndefined();
    expect(s.size).toBe(0);
    expect(s.approxBytes).toBe(0);
    expect(s.resourceVersion).toBe('12');
  });
  it('a MODIFIED for an unknown app adds it (announced as ADDED); a DELETED of an unknown app is nothing', () => {
    const s = store();
    expect(s.applyEvent('MODIFIED', app('b', '3'))?.type).toBe('ADDED');
    expect(s.applyEvent('DELETED', app('zzz', '4'))).toBeUndefined();
  });
  it('ignores an event older than what it holds; an equal version replaces', () => {
    const s = store();
    s.applyEvent('ADDED', app('a', '10', { tag: 'v1' }));
    expect(
      s.applyEvent('MODIFIED', app('a', '9', { tag: 'old' })),
    ).toBeUndefined();
    expect(s.get('a')?.spec.source?.helm?.parameters?.[0].value).toBe('v1');
    expect(
      s.applyEvent('MODIFIED', app('a', '10', { tag: 'same' })),
    ).toBeDefined();
    // without versions every event applies
    s.applyEvent('MODIFIED', app('n', undefined, { tag: 'x' }));
    s.applyEvent('MODIFIED', app('n', undefined, { tag: 'y' }));
    expect(s.get('n')?.spec.source?.helm?.parameters?.[0].value).toBe('y');
  });
  it('keeps unbound applications as a skeleton and does not announce them', () => {
    const s = store();
    expect(
      s.applyEvent('ADDED', app('u', '5', { bound: false })),
    ).toBeUndefined();
    const held = s.get('u')!;
    expect(held.status).toBeUndefined();
    expect(held.spec).toEqual({ project: 'default', destination: {} });
    expect(held.metadata.labels).toEqual({ env: 'dev' });
    expect(held.metadata.annotations).toBeUndefined();
    expect(s.boundCount).toBe(0);
    expect(s.size).toBe(1);
    // becoming bound is announced, losing the binding too
    expect(s.applyEvent('MODIFIED', app('u', '6'))?.type).toBe('MODIFIED');
    expect(s.boundCount).toBe(1);
    expect(
      s.applyEvent('MODIFIED', app('u', '7', { bound: false }))?.type,
    ).toBe('MODIFIED');
    expect(s.boundCount).toBe(0);
    expect(
      s.applyEvent('DELETED', app('u', '8', { bound: false })),
    ).toBeUndefined();
  });
  it('a skeleton is much smaller than the application', () => {
    const s = store();
    s.applyEvent('ADDED', app('bound', '1'));
    const full = s.approxBytes;
    s.applyEvent('ADDED', app('unbound', '2', { bound: false }));
    expect(s.approxBytes - full).toBeLessThan(full / 2);
  });
  it('applications in other namespaces: by namespace, or by name when only one has it', () => {
    const s = store();
    s.applyEvent('ADDED', app('a', '1', { ns: 'argocd' }));
    expect(s.get('a')?.metadata.namespace).toBe('argocd');
    s.applyEvent('ADDED', app('a', '2', { ns: 'team-x' }));
    expect(s.isAmbiguous('a')).toBe(true);
    expect(s.get('a')).toBeUndefined();
    expect(s.get('a', 'team-x')?.metadata.namespace).toBe('team-x');
    s.applyEvent('DELETED', app('a', '3', { ns: 'argocd' }));
    expect(s.isAmbiguous('a')).toBe(false);
    expect(s.get('a')?.metadata.namespace).toBe('team-x');
    expect(s.get('a', 'argocd')).toBeUndefined();
  });
});

describe('MirrorStore lists', () => {
  it('replaceAll makes the store equal to the list and announces the differences', () => {
    const s = store();
    expect(
      s.replaceAll([app('a', '1'), app('b', '2')], '5').map(c => c.type),
    ).toEqual(['ADDED', 'ADDED']);
    expect(s.resourceVersion).toBe('5');
    const changes = s.replaceAll([app('b', '2'), app('c', '3')], '6');
    expect(changes.map(c => `${c.type} ${c.appName}`)).toEqual([
      'ADDED c',
      'DELETED a',
    ]);
    expect(
      s
        .list()
        .map(a => a.metadata.name)
        .sort(),
    ).toEqual(['b', 'c']);
  });
  it('replaceAll trusts the list even when its versions are lower (a reset server)', () => {
    const s = store();
    s.applyEvent('ADDED', app('a', '900', { tag: 'v9' }));
    const changes = s.replaceAll([app('a', '3', { tag: 'v1' })], '4');
    expect(changes.map(c => c.type)).toEqual(['MODIFIED']);
    expect(s.get('a')?.spec.source?.helm?.parameters?.[0].value).toBe('v1');
    expect(s.resourceVersion).toBe('4');
  });
  it('mergeList fills the gap: newer objects replace, older ones do not, missing ones go unless newer than the list', () => {
    const s = store();
    s.replaceAll([app('a', '1'), app('b', '2'), app('c', '3')], '3');
    s.applyEvent('ADDED', app('d', '12')); // came on the stream after the list below was taken
    s.applyEvent('MODIFIED', app('c', '11', { tag: 'stream' }));
    const changes = s.mergeList(
      [app('a', '8', { tag: 'gap' }), app('c', '4', { tag: 'older' })],
      '10',
    );
    expect(changes.map(c => `${c.type} ${c.appName}`)).toEqual([
      'MODIFIED a',
      'DELETED b',
    ]);
    expect(s.get('a')?.spec.source?.helm?.parameters?.[0].value).toBe('gap');
    expect(s.get('c')?.spec.source?.helm?.parameters?.[0].value).toBe('stream');
    expect(s.get('d')).toBeDefined();
    expect(s.resourceVersion).toBe('12');
  });
  it('counts and bytes follow every change', () => {
    const s = store();
    s.replaceAll([app('a', '1'), app('b', '2', { bound: false })], '2');
    expect([s.size, s.boundCount]).toEqual([2, 1]);
    const bytes = s.approxBytes;
    expect(bytes).toBeGreaterThan(0);
    s.applyEvent('MODIFIED', app('a', '3'));
    expect(s.approxBytes).toBe(bytes);
    s.replaceAll([], '4');
    expect([s.size, s.boundCount, s.approxBytes]).toEqual([0, 0, 0]);
  });
});
