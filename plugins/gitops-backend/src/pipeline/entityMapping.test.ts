import { ConfigReader } from '@backstage/config';
import {
  environmentOfApplication,
  applicationNameFor,
  parseHelmReleases,
  readEntitySpec,
} from './entityMapping';
import { readPipelines } from './readPipelines';

const pipelines = readPipelines(
  new ConfigReader({
    gitops: {
      pipelines: {
        standard: {
          environments: [
            { name: 'prod' },
            { name: 'prod-eu', promotesFrom: 'prod' },
          ],
        },
        labelled: {
          environmentLabel: 'env',
          environments: [
            { name: 'dev' },
            { name: 'prod', promotesFrom: 'dev' },
          ],
        },
      },
    },
  }),
  [],
);
const standard = pipelines.pipelines.get('standard')!;
const labelled = pipelines.pipelines.get('labelled')!;

const entity = (annotations: Record<string, string>) =>
  ({
    apiVersion: 'v1',
    kind: 'Component',
    metadata: { name: 'x', annotations },
  } as any);

describe('readEntitySpec', () => {
  it('reads our annotations', () => {
    expect(
      readEntitySpec(
        entity({
          'gitops/app': 'api',
          'gitops/pipeline': 'standard',
          'gitops/instance': 'local',
          'gitops/helm-release': 'shop/mig',
        }),
      ),
    ).toEqual({
      pipeline: 'standard',
      baseApp: 'api',
      instances: ['local'],
      helmReleases: [
        { environment: undefined, namespace: 'shop', name: 'mig' },
      ],
    });
  });

  it('reads the community annotations, lists split on commas', () => {
    expect(
      readEntitySpec(
        entity({
          'argocd/app-name': 'a-dev, a-prod',
          'argocd/app-selector': 'x=y',
          'argocd/instance-name': 'one,two',
          'argocd/project-name': 'shop',
          'argocd/app-namespace': 'team-ns',
        }),
      ),
    ).toMatchObject({
      appNames: ['a-dev', 'a-prod'],
      selector: 'x=y',
      instances: ['one', 'two'],
      projects: ['shop'],
      appNamespace: 'team-ns',
    });
  });

  it('is undefined without locating annotations', () => {
    expect(
      readEntitySpec(entity({ 'argocd/instance-name': 'x' })),
    ).toBeUndefined();
  });
});

describe('parseHelmReleases', () => {
  it('parses env-scoped and default-namespace releases', () => {
    expect(parseHelmReleases('prod:shop/a, b')).toEqual([
      { environment: 'prod', namespace: 'shop', name: 'a' },
      { environment: undefined, namespace: 'default', name: 'b' },
    ]);
  });
});

describe('environmentOfApplication', () => {
  it('matches the name template, longest environment first', () => {
    expect(applicationNameFor(standard, 'api', 'prod')).toBe('api-prod');
    expect(
      environmentOfApplication(standard, { name: 'api-prod' }, 'api'),
    ).toBe('prod');
    expect(
      environmentOfApplication(standard, { name: 'api-prod-eu' }, 'api'),
    ).toBe('prod-eu');
    expect(environmentOfApplication(standard, { name: 'api-prod-eu' })).toBe(
      'prod-eu',
    );
    expect(
      environmentOfApplication(standard, { name: 'other-prod' }, 'api'),
    ).toBeUndefined();
  });

  it('uses the environment label when the pipeline names one', () => {
    expect(
      environmentOfApplication(labelled, {
        name: 'whatever',
        labels: { env: 'prod' },
      }),
    ).toBe('prod');
    expect(
      environmentOfApplication(labelled, {
        name: 'whatever',
        labels: { env: 'qa' },
      }),
    ).toBeUndefined();
    expect(environmentOfApplication(labelled, { name: 'x-dev' })).toBe('dev');
  });
});
