import { changeTargetOf, describeWriteBack, targetMoved } from './changeTarget';

const pinned = changeTargetOf({
  instance: 'local',
  application: 'python-api-base-prod',
  appNamespace: 'argocd',
  project: 'shop',
  writeBack: {
    method: 'git',
    repository: 'gitops',
    path: 'apps/{appName}/values.yaml',
    key: 'image.tag',
  },
});

describe('targetMoved', () => {
  it('is undefined for the same target', () => {
    expect(
      targetMoved(
        pinned,
        { ...pinned },
        { pinned: 'standard', now: 'standard' },
      ),
    ).toBeUndefined();
  });

  it.each([
    [
      { application: 'bob-prod' },
      "application 'python-api-base-prod' → 'bob-prod'",
    ],
    [{ instance: 'other' }, "instance 'local' → 'other'"],
    [{ project: 'default' }, "project 'shop' → 'default'"],
    [
      { writeBack: 'argocd parameter image.tag' },
      "write-back 'git gitops:apps/{appName}/values.yaml image.tag' → 'argocd parameter image.tag'",
    ],
  ])('names what moved: %j', (change, text) => {
    expect(
      targetMoved(pinned, { ...pinned, ...change }, { pinned: 'standard' }),
    ).toContain(text);
  });

  it('names a pipeline change', () => {
    expect(
      targetMoved(pinned, pinned, { pinned: 'standard', now: 'fast-track' }),
    ).toContain("pipeline 'standard' → 'fast-track'");
  });

  it('describes write-backs', () => {
    expect(describeWriteBack(undefined)).toBe('none');
    expect(
      describeWriteBack({ method: 'argocd', parameter: 'image.tag' }),
    ).toBe('argocd parameter image.tag');
  });
});
