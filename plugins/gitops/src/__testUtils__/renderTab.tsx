import { ReactNode } from 'react';
import {
  renderInTestApp,
  TestApiProvider,
  mockApis,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { identityApiRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { SWRConfig } from 'swr';
import { GitopsClient, gitopsApiRef } from '../api';
import { entity as defaultEntity } from './fixtures';

export interface RenderOptions {
  entity?: Entity;
  user?: string;
  /** Permission names that are denied. */
  deny?: string[];
  /** Initial router location(s), e.g. `['/?change=chg-1']`. */
  routeEntries?: string[];
  mountedRoutes?: Parameters<typeof renderInTestApp>[1] extends infer O
    ? O extends { mountedRoutes?: infer M }
      ? M
      : never
    : never;
}

export function renderWithApis(node: ReactNode, opts: RenderOptions = {}) {
  const client = new GitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  const deny = new Set(opts.deny ?? []);
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, client],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: req =>
              deny.has(req.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: opts.user ?? 'user:default/alice',
          }),
        ],
      ]}
    >
      {/* a fresh permission cache per render: usePermission caches decisions in SWR */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={opts.entity ?? defaultEntity}>
          {node}
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    { mountedRoutes: opts.mountedRoutes, routeEntries: opts.routeEntries },
  );
}
