/**
 * Zammad REST client (background only: it holds the token). Follows shared/docs/zammad-api.md:
 * `Authorization: Token token=…`, JSON both ways, `credentials: 'omit'` (a Zammad session cookie
 * would otherwise win over the token), and a timeout.
 */
import { z } from 'zod';

export const ZammadErrorBodySchema = z.object({ error: z.string(), error_human: z.string().optional() });
export const ZammadUserSchema = z
  .object({ id: z.number(), login: z.string(), firstname: z.string().nullable().optional(), lastname: z.string().nullable().optional(), email: z.string().nullable().optional() })
  .passthrough();
export type ZammadUser = z.infer<typeof ZammadUserSchema>;

export class ZammadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly kind: 'auth' | 'too-large' | 'invalid' | 'rate-limited' | 'server' | 'network' | 'timeout' | 'protocol',
  ) {
    super(message);
    this.name = 'ZammadError';
  }
}

export interface ZammadConfig {
  url: string;
  token: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

function kindOf(status: number): ZammadError['kind'] {
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'too-large';
  if (status === 422) return 'invalid';
  if (status === 429) return 'rate-limited';
  return status >= 500 ? 'server' : 'protocol';
}

export async function zammadRequest<T>(cfg: ZammadConfig, method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), cfg.timeoutMs ?? 30_000);
  let res: Response;
  try {
    res = await (cfg.fetchImpl ?? fetch)(`${cfg.url}${path}`, {
      method,
      credentials: 'omit',
      cache: 'no-store',
      signal: ctrl.signal,
      headers: {
        Authorization: `Token token=${cfg.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw ctrl.signal.aborted
      ? new ZammadError('timeout', null, 'timeout')
      : new ZammadError(e instanceof Error ? e.message : String(e), null, 'network');
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      const err = ZammadErrorBodySchema.parse(JSON.parse(text));
      message = err.error_human ?? err.error;
    } catch {
      /* nginx / proxy pages are HTML or plain text */
    }
    throw new ZammadError(message, res.status, kindOf(res.status));
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new ZammadError('unexpected response', res.status, 'protocol');
  }
}

export function getMe(cfg: ZammadConfig): Promise<ZammadUser> {
  return zammadRequest(cfg, 'GET', '/api/v1/users/me', ZammadUserSchema);
}

export function displayName(u: ZammadUser): string {
  const full = [u.firstname, u.lastname].filter(Boolean).join(' ').trim();
  return full ? `${full} (${u.login})` : u.login;
}
