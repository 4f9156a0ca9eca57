import { ArgoCdInstanceConfig } from './config';
import { argoErrorFromResponse } from './errors';
import {
  ExchangeContext,
  logBody,
  parseBody,
  parseJson,
  readText,
  send,
} from './exchange';
import { sessionSchema } from './schemas';

/**
 * The bearer token of each instance: the configured token, or one session
 * per instance (`POST /api/v1/session` with username and password) shared by
 * concurrent calls and renewed when a call finds it `stale` (a 401). A
 * failed login is forgotten, so the next call tries again; every session
 * token becomes a secret to redact.
 */
export class ArgoCdSessions {
  readonly #ctx: ExchangeContext;
  readonly #onCreated: () => void;
  readonly #sessions = new Map<string, Promise<string>>();

  constructor(ctx: ExchangeContext, onCreated: () => void) {
    this.#ctx = ctx;
    this.#onCreated = onCreated;
  }

  /** A token for the instance; `stale` is one that was just refused. */
  async token(
    cfg: ArgoCdInstanceConfig,
    deadline: number,
    stale?: string,
  ): Promise<string> {
    if (cfg.token) return cfg.token;
    const existing = this.#sessions.get(cfg.name);
    if (existing) {
      const value = await existing.catch(() => undefined);
      if (value && value !== stale) return value;
      if (this.#sessions.get(cfg.name) !== existing) {
        return this.token(cfg, deadline, stale);
      }
    }
    const p = (async () => {
      const res = await send(
        this.#ctx,
        cfg,
        'POST',
        '/api/v1/session',
        deadline,
        {
          body: { username: cfg.username, password: cfg.password },
        },
      );
      const operation = 'POST /api/v1/session';
      const text = await readText(res);
      if (!res.ok) {
        logBody(this.#ctx, cfg.name, operation, res.status, text);
        throw argoErrorFromResponse(
          cfg.name,
          operation,
          res.status,
          parseJson(text),
          this.#ctx.secrets,
        );
      }
      const { token } = parseBody(
        this.#ctx,
        cfg.name,
        operation,
        res.status,
        text,
        sessionSchema,
      );
      this.#onCreated();
      this.#ctx.secrets.push(token);
      return token;
    })();
    this.#sessions.set(cfg.name, p);
    p.catch(() => {
      if (this.#sessions.get(cfg.name) === p) this.#sessions.delete(cfg.name);
    });
    return p;
  }
}
