import { mockCredentials } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { sent, startActionsBackend } from './__testUtils__/actionsBackend';

jest.setTimeout(60_000);

// Scaffolder-free proof that MCP clients reach the GitOps actions: the test
// backend runs Backstage's MCP actions backend next to the plugin, and this
// test speaks MCP (JSON-RPC 2.0 over Streamable HTTP, as an MCP client
// does) to it as alice: tools/list, then tools/call.

/** One JSON-RPC call to the MCP endpoint; the answer comes as one SSE message. */
async function mcp(app: any, method: string, params: object) {
  const res = await request(app)
    .post('/api/mcp-actions/v1')
    .set('Authorization', mockCredentials.user.header('user:default/alice'))
    .set('Accept', 'application/json, text/event-stream')
    .send({ jsonrpc: '2.0', id: 1, method, params });
  expect(res.status).toBe(200);
  const data = res.text
    .split('\n')
    .find(line => line.startsWith('data: '))!
    .slice('data: '.length);
  return JSON.parse(data);
}

describe('GitOps actions over MCP', () => {
  it('lists the GitOps tools (no approve/reject) with their hints and calls them as the signed-in user', async () => {
    const { server } = await startActionsBackend(AuthorizeResult.ALLOW, [
      mcpActionsPlugin,
    ]);
    const list = await mcp(server, 'tools/list', {});
    const tools = list.result.tools as Array<any>;
    expect(tools.map(t => t.name).sort()).toEqual([
      'gitops.cancel-change',
      'gitops.get-change',
      'gitops.get-environments',
      'gitops.get-history',
      'gitops.list-pending-approvals',
      'gitops.preview-change',
      'gitops.request-change',
    ]);
    const requestTool = tools.find(t => t.name === 'gitops.request-change');
    expect(requestTool.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
    expect(requestTool.description).toContain("a person's decision");
    expect(requestTool.inputSchema.required).toEqual(
      expect.arrayContaining(['entityRef', 'environment', 'kind']),
    );

    const envs = await mcp(server, 'tools/call', {
      name: 'gitops.get-environments',
      arguments: { entityRef: 'component:default/python-api-base' },
    });
    expect(envs.result.isError).toBeFalsy();
    expect(envs.result.content[0].text).toContain('"pipeline":"standard"');

    const created = await mcp(server, 'tools/call', {
      name: 'gitops.request-change',
      arguments: {
        entityRef: 'component:default/python-api-base',
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
        reason: 'release 1.2',
      },
    });
    expect(created.result.isError).toBeFalsy();
    const change = JSON.parse(created.result.content[0].text);
    expect(change).toMatchObject({
      state: 'awaiting_approval',
      requestedBy: 'user:default/alice',
      version: 'v1.2.0',
    });
    expect(sent.map(s => (s.recipients as any).entityRef).sort()).toEqual([
      'user:default/bob',
      'user:default/carol',
    ]);

    const refused = await mcp(server, 'tools/call', {
      name: 'gitops.request-change',
      arguments: {
        entityRef: 'component:default/python-api-base',
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
      },
    });
    expect(refused.result.isError).toBe(true);
    expect(refused.result.content[0].text).toContain(
      'already has an open change',
    );
  });
});
