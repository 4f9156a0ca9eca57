import { mockCredentials } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  gitopsChangeApprovePermission,
  gitopsChangeCreatePermission,
  gitopsChangeOverridePermission,
  gitopsLogsReadPermission,
  gitopsVerificationSignOffPermission,
} from '@internal/plugin-gitops-common';
import { GitopsExamplePermissionPolicy } from './permissionPolicy';

const MEMBERS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/bob': ['group:default/platform-team'],
  'user:default/carol': ['group:default/platform-team'],
  'user:default/dave': ['group:default/sre'],
  'user:default/erin': ['group:default/qa'],
};

const policy = new GitopsExamplePermissionPolicy({
  async getUserInfo(credentials: BackstageCredentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(MEMBERS[ref] ?? [])],
    };
  },
});

function as(user: string) {
  const credentials = mockCredentials.user(`user:default/${user}`);
  return {
    credentials,
    info: {
      userEntityRef: `user:default/${user}`,
      ownershipEntityRefs: [],
    },
  };
}

describe('GitopsExamplePermissionPolicy', () => {
  it('create: owners through the catalog isEntityOwner rule, with the user ownership refs', async () => {
    expect(
      await policy.handle(
        { permission: gitopsChangeCreatePermission },
        as('alice'),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/alice', 'group:default/team-a'] },
      },
    });
  });

  it('create: sre may on any entity; nobody without a user is allowed', async () => {
    expect(
      (
        await policy.handle(
          { permission: gitopsChangeCreatePermission },
          as('dave'),
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await policy.handle({ permission: gitopsChangeCreatePermission }))
        .result,
    ).toBe(AuthorizeResult.DENY);
  });

  it.each([
    ['bob', AuthorizeResult.ALLOW],
    ['carol', AuthorizeResult.ALLOW],
    ['alice', AuthorizeResult.DENY],
    ['dave', AuthorizeResult.DENY],
  ])('approve: %s → %s', async (user, result) => {
    expect(
      (
        await policy.handle(
          { permission: gitopsChangeApprovePermission },
          as(user),
        )
      ).result,
    ).toBe(result);
  });

  it.each([
    ['dave', AuthorizeResult.ALLOW],
    ['alice', AuthorizeResult.DENY],
    ['bob', AuthorizeResult.DENY],
  ])('override: %s → %s', async (user, result) => {
    expect(
      (
        await policy.handle(
          { permission: gitopsChangeOverridePermission },
          as(user),
        )
      ).result,
    ).toBe(result);
  });

  it('logs: owners through isEntityOwner, sre on any entity, nobody without a user', async () => {
    expect(
      await policy.handle({ permission: gitopsLogsReadPermission }, as('bob')),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/bob', 'group:default/platform-team'] },
      },
    });
    expect(
      (
        await policy.handle(
          { permission: gitopsLogsReadPermission },
          as('dave'),
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await policy.handle({ permission: gitopsLogsReadPermission })).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('verification sign-off: members of qa only', async () => {
    const signOff = async (user: string) =>
      (
        await policy.handle(
          { permission: gitopsVerificationSignOffPermission },
          as(user),
        )
      ).result;
    expect(await signOff('erin')).toBe(AuthorizeResult.ALLOW);
    for (const user of ['alice', 'bob', 'dave'])
      expect(await signOff(user)).toBe(AuthorizeResult.DENY);
  });

  it('everything else (reading included) stays allowed', async () => {
    const read = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(
      (await policy.handle({ permission: read }, as('alice'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
