import {
  checkApplicationName,
  checkEnvironmentName,
  checkHelmReleaseName,
  checkLabelSelector,
  checkNamespace,
  checkProjectName,
} from './names';

describe('name validators', () => {
  it.each(['shop', 'a', 'team-a', 'x1', 'a'.repeat(63)])(
    'accepts namespace %s',
    ns => expect(checkNamespace(ns)).toBeUndefined(),
  );
  it.each([
    '..',
    '.',
    '',
    'Shop',
    'a/b',
    '-a',
    'a-',
    'a.b',
    '%2e%2e',
    'a b',
    'a'.repeat(64),
  ])('refuses namespace %j', ns =>
    expect(checkNamespace(ns)).toContain('not a valid Kubernetes namespace'),
  );

  it.each(['python-api-base-prod', 'a.b-c', 'x'])('accepts app %s', n => {
    expect(checkApplicationName(n)).toBeUndefined();
    expect(checkProjectName(n)).toBeUndefined();
  });
  it.each(['..', '../x', 'a/b', 'A', 'a?b', 'a#b', 'a%2fb', 'a'.repeat(254)])(
    'refuses app and project %j',
    n => {
      expect(checkApplicationName(n)).toContain('Argo CD application name');
      expect(checkProjectName(n)).toContain('Argo CD project name');
    },
  );

  it('limits Helm release names to 53 characters', () => {
    expect(checkHelmReleaseName('a'.repeat(53))).toBeUndefined();
    expect(checkHelmReleaseName('a'.repeat(54))).toContain('at most 53');
    expect(checkHelmReleaseName('../x')).toContain('Helm release name');
  });

  it('checks environment names', () => {
    expect(checkEnvironmentName('prod-eu')).toBeUndefined();
    expect(checkEnvironmentName('..')).toBeDefined();
    expect(checkEnvironmentName('a/b')).toBeDefined();
  });

  it.each([
    'app.kubernetes.io/part-of=payments-worker',
    'a=b,c!=d',
    'env in (dev,prod),!legacy',
    'tier notin (frontend)',
    'has-label',
    'a==b',
  ])('accepts selector %s', s => expect(checkLabelSelector(s)).toBeUndefined());
  it.each(['a=b&c=d', 'a=(b', 'a in (b', ')', 'a=b c', 'a=<script>', ''])(
    'refuses selector %j',
    s => expect(checkLabelSelector(s)).toContain('label selector'),
  );
});
