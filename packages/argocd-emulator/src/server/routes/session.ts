/** Sessions and accounts: version (public), login (public), logout, userinfo, account tokens. */
import Router from 'express-promise-router';
import { ArgoError, argoErrors, GrpcCode } from '../../logic/errors';
import type { RouterDeps } from './deps';
import type { Rbac } from './rbac';
import { bearer, bodyOf, sessionCookie } from './params';

/** Routes that need no session. */
export function publicRouter(d: RouterDeps) {
  const r = Router();
  // Argo CD's version server (server/version/version.go v3.5.1): without a
  // valid session only `{Version}`; the build details are for signed-in callers.
  r.get('/api/version', (req, res) => {
    let signedIn = false;
    try {
      d.sessions.authenticate(bearer(req), sessionCookie(req));
      signedIn = true;
    } catch {
      // anonymous (or an invalid session): the version only
    }
    if (!signedIn) {
      res.json({ Version: d.version });
      return;
    }
    res.json({
      Version: d.version,
      BuildDate: '2026-01-01T00:00:00Z',
      GitCommit: '109ca7ca71139e514114499d294a492e7910a965',
      GitTag: d.version.split('+')[0],
      GitTreeState: 'clean',
      GoVersion: 'go1.25.0',
      Compiler: 'gc',
      Platform: 'linux/amd64',
      ExtraBuildInfo: 'argocd-emulator',
    });
  });
  r.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  r.post('/api/v1/session', (req, res) => {
    const b = bodyOf(req);
    let token: string;
    if (b.token) {
      d.sessions.authenticate(String(b.token), undefined);
      token = String(b.token);
    } else {
      token = d.sessions.login(b.username, b.password);
    }
    res.cookie('argocd.token', token, {
      httpOnly: true,
      path: '/',
      sameSite: 'lax',
    });
    res.json({ token });
  });
  return r;
}

/** Session routes behind authentication. */
export function sessionRouter(d: RouterDeps, rbac: Rbac) {
  const r = Router();
  r.post('/api/v1/account/:name/token', (req, res) => {
    const name = req.params.name;
    if (!d.accounts().includes(name))
      throw new ArgoError(
        GrpcCode.NotFound,
        `account '${name}' does not exist`,
      );
    if (name !== res.locals.user && rbac.scopeOf(res))
      throw argoErrors.permissionDenied();
    const expiresIn = Number(bodyOf(req).expiresIn ?? 0);
    if (!Number.isInteger(expiresIn) || expiresIn < 0)
      throw argoErrors.invalidArgument(
        'expiresIn must be a non-negative number of seconds',
      );
    res.json({
      token: d.sessions.issue(`${name}:apiKey`, expiresIn || undefined),
    });
  });
  r.delete('/api/v1/session', (req, res) => {
    const t = bearer(req) ?? sessionCookie(req);
    if (t) d.sessions.revoke(t);
    res.clearCookie('argocd.token', { path: '/' });
    res.json({});
  });
  r.get('/api/v1/session/userinfo', (_req, res) => {
    res.json({
      loggedIn: true,
      username: res.locals.user,
      iss: 'argocd',
      groups: [],
    });
  });
  return r;
}
