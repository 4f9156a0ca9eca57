import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      import('./LocalUserSignInPage').then(m => m.LocalUserSignInPage),
  },
});

/** Replaces the app's sign-in page with the local user picker. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
