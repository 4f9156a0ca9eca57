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
import { GitopsClient, gitopsApiRef, type GitopsApi } from '../api';
import { entity as defaultEntity } from './fixtures';

export interface RenderOptions {
  entity?: Entity;
  user?: string;
  /** Permission names that are denied. */
  deny?: string[];
  /** The GitOps API (default: the HTTP client against the msw backend). */
  api?: GitopsApi;
  /** Initial router location(s), e.g. `['/?change=chg-1']`. */
  routeEntries?: string[];
  mountedRoutes?: Parameters<typeof renderInTestApp>[1] extends infer O
    ? O extends { mountedRoutes?: infer M }
      ? M
      : never
    : never;
}

/** The HTTP client of the GitOps API against the msw backend. */
export function gitopsClient(): GitopsClient {
  return new GitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/**
 * The HTTP client, recording the name of every API method called (in order).
 * `withoutOverview`: an API implementation without the optional `getOverview`.
 */
export function recordingApi(opts: { withoutOverview?: boolean } = {}): {
  api: GitopsApi;
  calls: string[];
  /** How often `method` was called. */
  count: (method: keyof GitopsApi) => number;
} {
  const client = gitopsClient();
  const calls: string[] = [];
  const api = new Proxy(client, {
    get(target, prop) {
      if (prop === 'getOverview' && opts.withoutOverview) return undefined;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return value.apply(target, args);
      };
    },
    has(target, prop) {
      if (prop === 'getOverview' && opts.withoutOverview) return false;
      return Reflect.has(target, prop);
    },
  }) as GitopsApi;
  return {
    api,
    calls,
    count: method => calls.filter(c => c === method).length,
  };
}

export function renderWithApis(node: ReactNode, opts: RenderOptions = {}) {
  const client = opts.api ?? gitopsClient();
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
