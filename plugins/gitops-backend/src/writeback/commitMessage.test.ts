import { Entity } from '@backstage/catalog-model';
import {
  authorFor,
  buildCommitMessage,
  changeMarker,
  userProfileOf,
} from './commitMessage';

describe('commitMessage', () => {
  it('names the change, requester and approvers', () => {
    const m = buildCommitMessage({
      changeId: 'abc',
      kind: 'promote',
      app: 'python-api-base',
      environment: 'prod',
      version: 'v1.2.0',
      fromVersion: 'v1.1.0',
      requestedBy: 'user:default/alice',
      approvers: ['user:default/bob'],
    });
    expect(m).toBe(
      [
        'gitops: promote python-api-base to v1.2.0 in prod (change abc)',
        '',
        'Previous version: v1.1.0',
        '',
        'Requested-by: user:default/alice',
        'Approved-by: user:default/bob',
        'Gitops-Change: abc',
      ].join('\n'),
    );
    expect(m).toContain(changeMarker('abc'));
  });

  it('derives a git identity from a user ref', () => {
    expect(authorFor('user:default/alice')).toEqual({
      name: 'alice',
      email: 'alice@backstage.invalid',
    });
    expect(
      authorFor('user:default/alice', {
        displayName: 'Alice A',
        email: 'a@x.io',
      }),
    ).toEqual({
      name: 'Alice A',
      email: 'a@x.io',
    });
  });

  it('says when the change ran under an emergency override', () => {
    const m = buildCommitMessage({
      changeId: 'c9',
      kind: 'promote',
      app: 'python-api-base',
      environment: 'prod',
      version: 'v1.2.1',
      requestedBy: 'user:default/sre-sam',
      approvers: ['user:default/bob'],
      reason: 'hotfix for incident 42',
      override: {
        bypassed: ['sync-window'],
        approvedBy: ['user:default/bob'],
      },
    });
    expect(m).toBe(
      [
        'gitops: promote python-api-base to v1.2.1 in prod (change c9)',
        '',
        'Reason: hotfix for incident 42',
        'Ran under an emergency override (bypassed: sync-window); override approved by user:default/bob.',
        '',
        'Requested-by: user:default/sre-sam',
        'Approved-by: user:default/bob',
        'Gitops-Override: true',
        'Gitops-Change: c9',
      ].join('\n'),
    );
    expect(
      buildCommitMessage({
        changeId: 'c1',
        kind: 'sync',
        app: 'a',
        environment: 'prod',
        requestedBy: 'user:default/alice',
        approvers: [],
      }),
    ).not.toMatch(/override/i);
  });

  it("takes the requester's catalog e-mail and name from spec.profile", () => {
    const user = (profile: any): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'alice' },
      spec: { profile },
    });
    const p = userProfileOf(
      user({ displayName: 'Alice Liddell', email: 'alice@example.org' }),
    );
    expect(p).toEqual({
      displayName: 'Alice Liddell',
      email: 'alice@example.org',
    });
    expect(authorFor('user:default/alice', p)).toEqual({
      name: 'Alice Liddell',
      email: 'alice@example.org',
    });
    // malformed or missing values fall back to the user ref
    expect(userProfileOf(user({ email: 'not an email' }))).toBeUndefined();
    expect(
      userProfileOf(user({ displayName: 'Eve <eve@evil>', email: 'e@x.io' })),
    ).toEqual({ email: 'e@x.io' });
    expect(userProfileOf(user(undefined))).toBeUndefined();
    expect(userProfileOf(undefined)).toBeUndefined();
    expect(
      userProfileOf({ ...user({ email: 'g@x.io' }), kind: 'Group' }),
    ).toBeUndefined();
    expect(authorFor('user:default/alice', userProfileOf(undefined))).toEqual({
      name: 'alice',
      email: 'alice@backstage.invalid',
    });
  });
});
