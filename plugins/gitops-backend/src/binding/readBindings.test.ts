import { ConfigReader } from '@backstage/config';
import { ConfigProblems } from '../config/errors';
import { readBindings } from './readBindings';

function read(bindings: unknown) {
  const problems = new ConfigProblems();
  let error: Error | undefined;
  let result;
  try {
    result = readBindings(
      new ConfigReader({ gitops: { bindings } } as any),
      ['standard'],
      'standard',
      problems,
    );
    problems.throwIfAny();
  } catch (e) {
    error = e as Error;
  }
  return { result, error };
}

describe('readBindings', () => {
  it('defaults to the application annotation', () => {
    expect(read(undefined).result).toEqual({
      applicationAnnotations: true,
      entityAnnotation: 'gitops.backstage.io/entity-ref',
      pipelineAnnotation: 'gitops.backstage.io/pipeline',
      rules: [],
      defaultPipeline: 'standard',
    });
  });

  it('reads rules, normalising refs', () => {
    expect(
      read({
        rules: [
          {
            match: { projects: ['shop'] },
            entities: ['python-api-base'],
            owners: ['team-a'],
          },
        ],
      }).result?.rules,
    ).toEqual([
      {
        path: 'gitops.bindings.rules[0]',
        match: {
          projects: ['shop'],
          instances: undefined,
          names: undefined,
          labels: undefined,
        },
        entities: ['component:default/python-api-base'],
        owners: ['group:default/team-a'],
        pipelines: undefined,
      },
    ]);
  });

  it.each([
    [
      { rules: [{ match: {}, entities: ['a'] }] },
      "gitops.bindings.rules[0].match': name at least one",
    ],
    [
      { rules: [{ match: { projects: ['p'] } }] },
      "gitops.bindings.rules[0]': name 'entities' or 'owners'",
    ],
    [
      {
        rules: [
          { match: { projects: ['p'] }, entities: ['a'], pipelines: ['nope'] },
        ],
      },
      "rules[0].pipelines[0]': pipeline 'nope'",
    ],
  ])('refuses %j', (bindings, message) => {
    expect(read(bindings).error?.message).toContain(message);
  });

  it('reads helmNamespaces of a rule and refuses an invalid namespace, naming its key', () => {
    const rule = {
      match: { names: ['api-*'] },
      entities: ['api'],
    };
    expect(
      read({ rules: [{ ...rule, helmNamespaces: ['kube-system'] }] }).result
        ?.rules[0].helmNamespaces,
    ).toEqual(['kube-system']);
    expect(
      read({ rules: [{ ...rule, helmNamespaces: ['..'] }] }).error?.message,
    ).toContain('gitops.bindings.rules[0].helmNamespaces[0]');
  });
});
