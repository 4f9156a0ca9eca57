import { authorFor, buildCommitMessage, changeMarker } from './commitMessage';

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
});
