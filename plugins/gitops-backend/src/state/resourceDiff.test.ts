import { toResourceDiff } from './resourceDiff';

describe('toResourceDiff', () => {
  it('shows creations and deletions', () => {
    const created = toResourceDiff({
      kind: 'ConfigMap',
      name: 'c',
      targetState: JSON.stringify({ data: { a: '1' } }),
      liveState: 'null',
    });
    expect(created.change).toBe('create');
    expect(created.diff).toContain('+data:');
    const deleted = toResourceDiff({
      kind: 'ConfigMap',
      name: 'c',
      liveState: JSON.stringify({ data: { a: '1' } }),
    });
    expect(deleted.change).toBe('delete');
  });

  it('reports unchanged resources without a diff', () => {
    const same = JSON.stringify({ kind: 'Service', spec: { port: 80 } });
    expect(
      toResourceDiff({
        kind: 'Service',
        name: 's',
        normalizedLiveState: same,
        predictedLiveState: same,
      }),
    ).toMatchObject({ change: 'none', diff: '', modified: false });
  });

  it('redacts Secret values and last-applied annotations, saying only whether a value changes', () => {
    const live = {
      kind: 'Secret',
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"data":{"a":"U0VDUkVU"}}',
        },
      },
      data: { a: 'U0VDUkVU', b: 'c2FtZQ==' },
    };
    const target = {
      kind: 'Secret',
      data: { a: 'TkVX', b: 'c2FtZQ==' },
      stringData: { c: 'plain-secret' },
    };
    const d = toResourceDiff({
      kind: 'Secret',
      name: 's',
      modified: true,
      normalizedLiveState: JSON.stringify(live),
      predictedLiveState: JSON.stringify(target),
    });
    expect(d.diff).not.toMatch(/U0VDUkVU|TkVX|c2FtZQ|plain-secret/);
    expect(d.diff).toContain('+  a: "<redacted: changed>"');
    expect(d.diff).toContain('+  c: <redacted>');
  });
});
