/**
 * Why a URL with `user:password@` is refused at startup: credentials in a URL
 * end up in links, logs and error messages; they belong in their own keys.
 * The message never repeats the URL.
 *
 * @internal
 */
export const URL_CREDENTIALS_REFUSED =
  "must not contain credentials (user:password@ in the URL); put them in 'token' or 'username'/'password' (Argo CD), 'token' (Kubernetes) or 'integrations' (git)";
