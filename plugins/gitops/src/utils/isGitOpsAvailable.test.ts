import { isGitOpsAvailable } from './isGitOpsAvailable';

const withAnnotations = (annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('isGitOpsAvailable', () => {
  it.each([
    [{ 'gitops/app': 'python-api-base' }, true],
    [{ 'argocd/app-name': 'a,b' }, true],
    [
      { 'argocd/app-selector': 'app.kubernetes.io/part-of=payments-worker' },
      true,
    ],
    [{ 'gitops/pipeline': 'standard' }, false],
    [{ 'argocd/instance-name': 'secondary' }, false],
    [{ 'gitops/app': '  ' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isGitOpsAvailable(withAnnotations(annotations))).toBe(expected);
  });
});
