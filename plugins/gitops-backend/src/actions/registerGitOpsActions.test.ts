import { Caller } from '../changes/ports';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createGitOpsOperations,
  ChangeCommands,
} from './createGitOpsOperations';
import { registerGitOpsActions } from './index';

// The actions' own layer: inputs checked with the routes' schemas, the
// caller's credentials passed on, users only for what acts as a user.
// (Against the real services: actions.plugin.test.ts and mcp.plugin.test.ts.)

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'python-api-base', namespace: 'default' },
  spec: { owner: 'team-a' },
};
const ID = '6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c01';
const change = {
  id: ID,
  entityRef: 'component:default/python-api-base',
  environment: 'prod',
  kind: 'promote' as const,
  state: 'cancelled' as const,
  requestedBy: 'user:default/alice',
  override: false,
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
  checks: [],
  approvals: [],
  requiredApprovals: 1,
};

function setup() {
  const commands = {
    create: jest.fn(async (body: { preview?: boolean }, _caller?: Caller) =>
      body.preview
        ? { allowed: true, checks: [], requiredApprovals: 0 }
        : { ...change, state: 'awaiting_approval' as const },
    ),
    cancel: jest.fn(async () => change),
    get: jest.fn(async () => ({ ...change, events: [] })),
    pendingFor: jest.fn(async () => ({ items: [] })),
  };
  const state = {
    getEnvironments: jest.fn(async (e: Entity) => ({
      entityRef: `component:default/${e.metadata.name}`,
      pipeline: 'standard',
      environments: [{ name: 'dev', order: 0, images: [] }],
    })),
    getHistory: jest.fn(async () => ({ items: [], errors: [] })),
  };
  const registry = actionsRegistryServiceMock();
  registerGitOpsActions(
    registry,
    createGitOpsOperations({
      auth: mockServices.auth(),
      userInfo: mockServices.userInfo({
        ownershipEntityRefs: ['group:default/team-a'],
      } as any),
      catalog: catalogServiceMock({ entities: [ENTITY] }),
      state: state as any,
      changes: commands as unknown as ChangeCommands,
    }),
  );
  return { registry, commands, state };
}

const alice = mockCredentials.user('user:default/alice');

describe('GitOps actions', () => {
  it('registers the seven actions and no approve/reject', async () => {
    const { registry } = setup();
    expect([...registry.actions.keys()].sort()).toEqual([
      'test:cancel-change',
      'test:get-change',
      'test:get-environments',
      'test:get-history',
      'test:list-pending-approvals',
      'test:preview-change',
      'test:request-change',
    ]);
  });

  it('request-change passes the routes-validated body and the signed-in caller to the change commands', async () => {
    const { registry, commands } = setup();
    const { output } = await registry.invoke({
      id: 'test:request-change',
      input: {
        entityRef: 'Component:default/python-api-base',
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
      },
      credentials: alice,
    });
    expect(output).toMatchObject({ id: ID, state: 'awaiting_approval' });
    const [body, caller] = commands.create.mock.calls[0];
    expect(body).toMatchObject({ environment: 'prod', version: 'v1.2.0' });
    expect(body.preview).toBeUndefined();
    expect(caller!.userEntityRef).toBe('user:default/alice');
    expect(caller!.credentials).toBe(alice);
  });

  it("preview-change asks for a preview; bad input is a 400 naming the field (the routes' rules)", async () => {
    const { registry, commands } = setup();
    await registry.invoke({
      id: 'test:preview-change',
      input: {
        entityRef: 'component:default/python-api-base',
        environment: 'prod',
        kind: 'sync',
      },
      credentials: alice,
    });
    expect(commands.create.mock.calls[0][0].preview).toBe(true);
    await expect(
      registry.invoke({
        id: 'test:request-change',
        input: {
          entityRef: 'component:default/python-api-base',
          environment: 'prod',
          kind: 'promote',
        },
        credentials: alice,
      }),
    ).rejects.toThrow('version: is required to promote');
    await expect(
      registry.invoke({
        id: 'test:get-change',
        input: { changeId: 'not-a-uuid' },
        credentials: alice,
      }),
    ).rejects.toThrow('changeId: must be a change id (UUID)');
  });

  it('acting as a user needs a user: a service caller is refused before anything runs', async () => {
    const { registry, commands } = setup();
    const inputs: Record<string, object> = {
      'request-change': {
        entityRef: 'component:default/python-api-base',
        environment: 'dev',
        kind: 'sync',
      },
      'cancel-change': { changeId: ID },
      'list-pending-approvals': {},
    };
    for (const [id, input] of Object.entries(inputs)) {
      await expect(
        registry.invoke({
          id: `test:${id}`,
          input: input as any,
          credentials: mockCredentials.service(),
        }),
      ).rejects.toThrow('caller: this action acts as a signed-in user');
    }
    expect(commands.create).not.toHaveBeenCalled();
    expect(commands.cancel).not.toHaveBeenCalled();
  });

  it("reads the entity with the caller's credentials; what they cannot see is not found", async () => {
    const { registry, state } = setup();
    const { output } = await registry.invoke({
      id: 'test:get-environments',
      input: { entityRef: 'component:default/python-api-base' },
      credentials: alice,
    });
    expect(output).toMatchObject({ pipeline: 'standard' });
    await expect(
      registry.invoke({
        id: 'test:get-history',
        input: { entityRef: 'component:default/hidden', environment: 'prod' },
        credentials: alice,
      }),
    ).rejects.toThrow(NotFoundError);
    expect(state.getHistory).not.toHaveBeenCalled();
  });
});
