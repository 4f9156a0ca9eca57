import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';
import { AuthenticationError, InputError } from '@backstage/errors';

/** Header the local sign-in page sends with the chosen user name. */
export const LOCAL_USER_HEADER = 'x-gitops-local-user';

const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/**
 * Local sign-in for the embedded setup: a person picks any example user from
 * the catalog (approvals need two different people). It only exists where
 * `auth.providers.local-users` is configured, which `app-config.yaml` does and
 * `app-config.production.yaml` does not: production signs in through a real
 * identity provider.
 */
export const localUsersAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'local-users-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'local-users',
          factory: createProxyAuthProviderFactory<{ userName: string }>({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async result => ({
                profile: { displayName: result.userName },
              }),
              initialize: ({ config }) => ({
                enabled: config.getOptionalBoolean('enabled') ?? false,
              }),
              async authenticate({ req }, { enabled }) {
                if (!enabled) {
                  throw new AuthenticationError(
                    'Local sign-in is disabled (auth.providers.local-users.enabled is not true)',
                  );
                }
                const userName = req.header(LOCAL_USER_HEADER)?.trim();
                if (!userName) {
                  throw new AuthenticationError(
                    `Missing ${LOCAL_USER_HEADER} header: choose a user on the sign-in page`,
                  );
                }
                if (!USER_NAME.test(userName)) {
                  throw new InputError(
                    `${LOCAL_USER_HEADER} must be a catalog user name, got an invalid value`,
                  );
                }
                return { result: { userName } };
              },
            }),
            // Only users that exist in the catalog can sign in; their group
            // memberships become ownership refs (used for approver matching).
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: {
                  kind: 'User',
                  namespace: 'default',
                  name: result.userName,
                },
              });
            },
          }),
        });
      },
    });
  },
});
