import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  TOKEN,
  sent,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

jest.setTimeout(60_000);

const ACTIONS = '/api/gitops/.backstage/actions/v1/actions';
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const invoke = (app: any, name: string, user: string, input: object) =>
  request(app)
    .post(`${ACTIONS}/gitops:${name}/invoke`)
    .set('Authorization', as(user))
    .send(input);

const prodPromotion = {
  entityRef: 'component:default/python-api-base',
  environment: 'prod',
  kind: 'promote',
  version: 'v1.2.0',
  reason: 'release 1.2',
};

describe('GitOps actions through the actions registry', () => {
  it('lists the seven actions with schemas and attributes; none approves or rejects', async () => {
    const { server: app } = await startActionsBackend(AuthorizeResult.ALLOW);
    const res = await request(app)
      .get(ACTIONS)
      .set('Authorization', as('alice'));
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.actions.map((a: any) => [a.name, a]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'cancel-change',
      'get-change',
      'get-environments',
      'get-history',
      'list-pending-approvals',
      'preview-change',
      'request-change',
    ]);
    expect(res.body.actions.map((a: any) => a.id)).toContain(
      'gitops:request-change',
    );
    for (const name of [
      'get-environments',
      'get-history',
      'preview-change',
      'get-change',
      'list-pending-approvals',
    ]) {
      expect(byName[name].attributes).toEqual({
        readOnly: true,
        destructive: false,
        idempotent: true,
      });
    }
    expect(byName['request-change'].attributes).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
    });
    expect(byName['cancel-change'].attributes).toEqual({
      readOnly: false,
      destructive: false,
      idempotent: false,
    });
    expect(byName['request-change'].schema.input.properties.kind.enum).toEqual([
      'promote',
      'sync',
      'rollback',
    ]);
    expect(byName['request-change'].description).toContain(
      "Approving or rejecting a change is a person's decision",
    );
    expect(byName['list-pending-approvals'].description).toContain(
      "a person's decision",
    );
    expect(JSON.stringify(res.body)).not.toMatch(/"(approve|reject)-change"/);
  });

  it('reads, previews, requests (the approvers are notified), follows, lists for the approver and cancels, as the caller', async () => {
    const { server: app } = await startActionsBackend(AuthorizeResult.ALLOW);
    const envs = await invoke(app, 'get-environments', 'alice', {
      entityRef: 'component:default/python-api-base',
    });
    expect(envs.status).toBe(200);
    expect(envs.body.output.environments.map((e: any) => e.name)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
    const history = await invoke(app, 'get-history', 'alice', {
      entityRef: 'component:default/python-api-base',
      environment: 'prod',
    });
    expect(history.status).toBe(200);
    expect(Array.isArray(history.body.output.items)).toBe(true);

    const preview = await invoke(app, 'preview-change', 'alice', prodPromotion);
    expect(preview.status).toBe(200);
    expect(
      preview.body.output.checks.filter((c: any) => c.status === 'fail'),
    ).toEqual([]);
    expect(preview.body.output).toMatchObject({
      allowed: true,
      fromVersion: 'v1.1.0',
      requiredApprovals: 1,
    });

    const created = await invoke(app, 'request-change', 'alice', prodPromotion);
    expect(created.status).toBe(200);
    expect(created.body.output).toMatchObject({
      state: 'awaiting_approval',
      requestedBy: 'user:default/alice',
      version: 'v1.2.0',
    });
    const id = created.body.output.id;
    // platform-team: bob, and carol through its child group platform-oncall
    expect(sent.map(s => (s.recipients as any).entityRef).sort()).toEqual([
      'user:default/bob',
      'user:default/carol',
    ]);
    expect(sent[0].payload.link).toBe(
      `/catalog/default/component/python-api-base/gitops?change=${id}`,
    );

    const got = await invoke(app, 'get-change', 'alice', { changeId: id });
    expect(got.body.output).toMatchObject({ id, state: 'awaiting_approval' });
    expect(got.body.output.events.map((e: any) => e.type)).toContain('created');

    const pending = await invoke(app, 'list-pending-approvals', 'bob', {});
    expect(pending.body.output.items.map((c: any) => c.id)).toEqual([id]);
    const mine = await invoke(app, 'list-pending-approvals', 'alice', {});
    expect(mine.body.output.items).toEqual([]);

    const cancelled = await invoke(app, 'cancel-change', 'alice', {
      changeId: id,
      reason: 'wrong version',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.output.state).toBe('cancelled');
    const again = await invoke(app, 'cancel-change', 'alice', { changeId: id });
    expect(again.status).toBe(409);
    expect(JSON.stringify([envs.body, created.body])).not.toContain(TOKEN);
  });

  it('a refused policy check refuses the request with the field and the reason, and stores nothing', async () => {
    const { server: app } = await startActionsBackend(AuthorizeResult.ALLOW);
    const res = await invoke(app, 'request-change', 'alice', {
      ...prodPromotion,
      version: 'v1.3.0-dev.4',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^version: /);
    const pending = await invoke(app, 'list-pending-approvals', 'bob', {});
    expect(pending.body.output.items).toEqual([]);
    const bad = await invoke(app, 'request-change', 'alice', {
      ...prodPromotion,
      kind: 'sync',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'version: does not apply to kind sync',
    );
  });

  it('a permission denial is a 403 naming the permission; a service caller cannot request', async () => {
    const { server: app } = await startActionsBackend(AuthorizeResult.DENY);
    const res = await invoke(app, 'request-change', 'alice', prodPromotion);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "entityRef: you are not allowed 'gitops.change.create' on component:default/python-api-base",
    );
    const asService = await request(app)
      .post(`${ACTIONS}/gitops:request-change/invoke`)
      .set('Authorization', mockCredentials.service.header())
      .send(prodPromotion);
    expect(asService.status).toBe(403);
    expect(asService.body.error.message).toContain('caller:');
    const anonymous = await request(app)
      .post(`${ACTIONS}/gitops:get-environments/invoke`)
      .set('Authorization', mockCredentials.none.header())
      .send({ entityRef: 'component:default/python-api-base' });
    expect(anonymous.status).toBe(401);
  });
});
