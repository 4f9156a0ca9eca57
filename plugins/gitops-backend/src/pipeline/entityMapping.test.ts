import { ConfigReader } from '@backstage/config';
import {
  environmentOfApplication,
  applicationNameFor,
  parseHelmReleases,
  readEntitySpec,
} from './entityMapping';
import { readPipelines } from '../config/readPipelines';

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
      entityRef: 'component:default/x',
      owners: [],
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

describe('readEntitySpec owners', () => {
  it('reads spec.owner and ownedBy relations as refs', () => {
    expect(
      readEntitySpec({
        ...entity({ 'gitops/app': 'api' }),
        metadata: {
          name: 'x',
          namespace: 'shop',
          annotations: { 'gitops/app': 'api' },
        },
        spec: { owner: 'team-a' },
        relations: [{ type: 'ownedBy', targetRef: 'user:default/alice' }],
      })?.owners,
    ).toEqual(['group:shop/team-a', 'user:default/alice']);
  });
});

describe('readEntitySpec validates every name before any call', () => {
  it.each([
    ['gitops/helm-release', 'prod:../x', "namespace '..'"],
    ['gitops/helm-release', 'shop/../../secrets', "'../../secrets'"],
    ['gitops/helm-release', '../x', "namespace '..'"],
    ['gitops/helm-release', 'a/b:shop/x', "'a/b' is not an environment"],
    ['gitops/app', '../api', 'Argo CD application name'],
    ['argocd/app-name', 'ok-app, ../secrets', "'../secrets'"],
    ['argocd/project-name', 'Default', 'Argo CD project name'],
    ['argocd/app-namespace', '..', 'Kubernetes namespace'],
    ['argocd/app-selector', 'a=b&projects=x', 'label selector'],
  ])('%s: %s is an InputError naming the annotation', (key, value, what) => {
    const annotations: Record<string, string> = { 'gitops/app': 'api' };
    annotations[key] = value;
    let error: Error | undefined;
    try {
      readEntitySpec(entity(annotations));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(
      `Annotation ${key} of component:default/x`,
    );
    expect(error?.message).toContain(what);
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
