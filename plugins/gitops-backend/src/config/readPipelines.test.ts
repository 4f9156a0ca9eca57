import { ConfigReader } from '@backstage/config';
import { readPipelines } from './readPipelines';

const envs = [
  { name: 'dev', instance: 'local' },
  { name: 'staging', promotesFrom: 'dev', instance: 'local' },
  { name: 'prod', promotesFrom: 'staging', instance: 'local' },
];

function read(gitops: object, clusters: string[] = ['local']) {
  return readPipelines(
    new ConfigReader({ gitops }),
    ['local', 'secondary'],
    clusters,
  );
}

describe('readPipelines', () => {
  it('reads pipelines in order with defaults', () => {
    const set = read({
      defaultPipeline: 'standard',
      pipelines: { standard: { environments: envs } },
    });
    expect(set.defaultPipeline).toBe('standard');
    const p = set.pipelines.get('standard')!;
    expect(p.applicationName).toBe('{app}-{env}');
    expect(
      p.environments.map(e => [
        e.name,
        e.order,
        e.promotesFrom,
        e.instance,
        e.helmCluster,
      ]),
    ).toEqual([
      ['dev', 0, undefined, 'local', 'local'],
      ['staging', 1, 'dev', 'local', 'local'],
      ['prod', 2, 'staging', 'local', 'local'],
    ]);
    expect(p.environments[2].configPath).toBe(
      'gitops.pipelines.standard.environments[2]',
    );
    expect(p.environments[2].config.getString('name')).toBe('prod');
  });

  it('uses the only pipeline as default', () => {
    expect(
      read({ pipelines: { a: { environments: envs } } }).defaultPipeline,
    ).toBe('a');
  });

  it.each([
    [
      { defaultPipeline: 'nope', pipelines: { a: { environments: envs } } },
      "'gitops.defaultPipeline'",
      'not defined',
    ],
    [
      { pipelines: { a: { environments: [] } } },
      "'gitops.pipelines.a.environments'",
      'at least one',
    ],
    [
      {
        pipelines: { a: { environments: [{ name: 'dev' }, { name: 'dev' }] } },
      },
      "'gitops.pipelines.a.environments[1].name'",
      'duplicate',
    ],
    [
      {
        pipelines: {
          a: {
            environments: [
              { name: 'dev', promotesFrom: 'prod' },
              { name: 'prod' },
            ],
          },
        },
      },
      "'gitops.pipelines.a.environments[0].promotesFrom'",
      'listed before',
    ],
    [
      {
        pipelines: {
          a: { environments: [{ name: 'dev', instance: 'elsewhere' }] },
        },
      },
      "'gitops.pipelines.a.environments[0].instance'",
      "'elsewhere' is not configured",
    ],
    [
      {
        pipelines: {
          a: { applicationName: '{app}-{stage}', environments: envs },
        },
      },
      "'gitops.pipelines.a.applicationName'",
      'unknown placeholder {stage}',
    ],
    [
      { pipelines: { a: { applicationName: '{app}', environments: envs } } },
      "'gitops.pipelines.a.applicationName'",
      'must contain {env}',
    ],
    [
      {
        pipelines: { a: { environments: [{ name: 'dev', helmCluster: 'x' }] } },
      },
      "'gitops.pipelines.a.environments[0].helmCluster'",
      'not configured',
    ],
  ])(
    'fails at startup naming the key and the reason (%#)',
    (gitops, key, reason) => {
      expect(() => read(gitops)).toThrow(key);
      expect(() => read(gitops)).toThrow(reason);
    },
  );

  it('accepts a template without {env} when environments come from a label', () => {
    const p = read({
      pipelines: {
        a: {
          applicationName: '{app}',
          environmentLabel: 'env',
          environments: envs,
        },
      },
    });
    expect(p.pipelines.get('a')!.environmentLabel).toBe('env');
  });
});
