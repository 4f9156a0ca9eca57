import { parseFields, projectFields } from './fields';

const msg = {
  result: {
    type: 'MODIFIED',
    application: {
      metadata: {
        name: 'a',
        resourceVersion: '7',
        managedFields: [{ x: 1 }],
        labels: { env: 'dev' },
      },
      spec: { project: 'default' },
      status: {
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        resources: [{ kind: 'Pod', name: 'p', status: 'Synced' }],
      },
    },
  },
};

describe('fields projection', () => {
  it('absent or empty: the message unchanged', () => {
    expect(parseFields(undefined)).toBeUndefined();
    expect(parseFields(' ')).toBeUndefined();
    expect(parseFields(',')).toBeUndefined();
    expect(projectFields(msg, undefined)).toBe(msg);
  });
  it('keeps only the listed paths (a shorter path keeps its whole subtree)', () => {
    const p = parseFields(
      'result.type,result.application.metadata.name,result.application.status.sync,result.application.status.sync.status,result.application.nope',
    );
    expect(projectFields(msg, p)).toEqual({
      result: {
        type: 'MODIFIED',
        application: {
          metadata: { name: 'a' },
          status: { sync: { status: 'Synced' } },
        },
      },
    });
  });
  it('paths through arrays apply to every element', () => {
    const list = {
      metadata: { resourceVersion: '9' },
      items: [msg.result.application, msg.result.application],
    };
    expect(
      projectFields(
        list,
        parseFields(
          'metadata.resourceVersion,items.metadata.name,items.status.resources.kind',
        ),
      ),
    ).toEqual({
      metadata: { resourceVersion: '9' },
      items: [
        { metadata: { name: 'a' }, status: { resources: [{ kind: 'Pod' }] } },
        { metadata: { name: 'a' }, status: { resources: [{ kind: 'Pod' }] } },
      ],
    });
  });
  it('a leading minus drops the listed paths', () => {
    const out = projectFields(
      msg,
      parseFields(
        '-result.application.metadata.managedFields,result.application.status.resources.status',
      ),
    );
    expect(out.result.application.metadata).toEqual({
      name: 'a',
      resourceVersion: '7',
      labels: { env: 'dev' },
    });
    expect(out.result.application.status.resources).toEqual([
      { kind: 'Pod', name: 'p' },
    ]);
    expect(msg.result.application.metadata.managedFields).toHaveLength(1); // input untouched
  });
});
