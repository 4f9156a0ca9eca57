/**
 * URL and query text of Argo CD calls: user info taken out of instance URLs
 * (to redact it, and never to use or show it), path segments encoded, query
 * strings built in a stable order (the read cache keys on them).
 */

/** `user:password` (decoded and as written) of a URL, to redact. */
export function userInfoOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.username, u.password]
      .filter(Boolean)
      .flatMap(v => [v, decodeURIComponent(v)]);
  } catch {
    return [];
  }
}

/** The URL without `user:password@` (never used, never shown). */
export function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** One encoded path segment. */
export function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Builds `?a=1&b=x&b=y` from defined values (arrays repeat the key). */
export function buildQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      for (const item of v) params.append(k, String(item));
    } else {
      params.append(k, String(v));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
