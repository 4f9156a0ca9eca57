import { simpleGit, SimpleGit } from 'simple-git';

/**
 * How git is started: simple-git for one directory, with the backend's
 * environment minus what would change what git runs.
 */

/**
 * Variables of the backend's own environment that must not reach git: they
 * would change what git runs (an editor, a pager, ssh or config overrides) —
 * `npm run` alone sets EDITOR — and simple-git refuses to run with them.
 */
const INHERITED_ENV_DROPPED =
  /^(GIT_.*|EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS)$/i;

/**
 * simple-git for one directory. The only unsafe setting we allow is
 * GIT_CONFIG_COUNT, which carries https credentials as a per-invocation
 * `http.extraHeader` (see gitAuthEnv).
 */
export function gitAt(baseDir: string): SimpleGit {
  return simpleGit({ baseDir, unsafe: { allowUnsafeConfigEnvCount: true } });
}

/** The backend's environment without what must not reach git. */
export function inheritedGitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !INHERITED_ENV_DROPPED.test(k)) env[k] = v;
  }
  return env;
}
