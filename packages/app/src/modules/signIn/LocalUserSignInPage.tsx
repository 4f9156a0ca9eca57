import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  ConfigApi,
  configApiRef,
  githubAuthApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import {
  Button,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';

const STORAGE_KEY = 'gitops.localSignIn.user';
const PROVIDER_ID = 'local-users';
const USER_HEADER = 'x-gitops-local-user';

type LocalUser = { name: string; description?: string };

function readUsers(config: ConfigApi): LocalUser[] {
  return (config.getOptionalConfigArray('app.localSignIn.users') ?? []).map(
    (c): LocalUser => ({
      name: c.getString('name'),
      description: c.getOptionalString('description'),
    }),
  );
}

/** Forgets the chosen user on sign-out, so the picker shows again. */
function forgetOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(STORAGE_KEY);
      await identityApi.signOut();
    },
  };
}

/**
 * Sign-in page of the embedded setup: pick one of the example users (approvals
 * need two different people). Without `app.localSignIn.users` it falls back to
 * GitHub sign-in, which is what production uses.
 */
export function LocalUserSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const users = readUsers(config);
  const [chosen, setChosen] = useState<string | undefined>(
    () => window.localStorage.getItem(STORAGE_KEY) ?? undefined,
  );

  if (users.length === 0) {
    return (
      <SignInPage
        {...props}
        providers={[
          {
            id: 'github-auth-provider',
            title: 'GitHub',
            message: 'Sign in using GitHub',
            apiRef: githubAuthApiRef,
          },
        ]}
      />
    );
  }

  if (chosen) {
    return (
      <ProxiedSignInPage
        {...props}
        provider={PROVIDER_ID}
        headers={{ [USER_HEADER]: chosen }}
        onSignInSuccess={identityApi =>
          props.onSignInSuccess(forgetOnSignOut(identityApi))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Sign-in failed" />
            <Content>
              <Typography paragraph>{error?.message}</Typography>
              <Button
                variant="contained"
                color="primary"
                onClick={() => {
                  window.localStorage.removeItem(STORAGE_KEY);
                  setChosen(undefined);
                }}
              >
                Choose another user
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title={config.getOptionalString('app.title') ?? 'Backstage'}
        subtitle="Local sign-in: choose who you are"
      />
      <Content>
        <Grid container justifyContent="center">
          <Grid item xs={12} md={6}>
            <InfoCard title="Sign in as an example user">
              <List aria-label="Example users">
                {users.map(user => (
                  <ListItem
                    key={user.name}
                    button
                    data-testid={`sign-in-as-${user.name}`}
                    aria-label={`Sign in as ${user.name}`}
                    onClick={() => {
                      window.localStorage.setItem(STORAGE_KEY, user.name);
                      setChosen(user.name);
                    }}
                  >
                    <ListItemText
                      primary={user.name}
                      secondary={user.description}
                    />
                  </ListItem>
                ))}
              </List>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
