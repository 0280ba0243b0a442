/**
 * Authentication and permission checks, after `authenticates.rb`, `prevents_csrf.rb` and
 * `lib/user_context.rb`: session cookie, then Basic, then Token (Rails `authenticate_with_http_token`,
 * which also takes `Bearer`), then the OAuth2 Bearer branch.
 */
import type { IncomingMessage } from 'node:http';
import { forbidden, unauthorized } from './errors';
import type { ApiToken, User } from './seeds';

export type AuthType = 'session' | 'basic_auth' | 'token_auth';

export interface AuthContext {
  user: User;
  authType: AuthType;
  /** Personal access token, when the request was token-authenticated. */
  token: ApiToken | null;
}

export interface AuthDirectory {
  userById(id: number): User | undefined;
  userByLoginOrEmail(value: string): User | undefined;
  tokenByValue(value: string): ApiToken | undefined;
  /** The user a Zammad session cookie stands for (whoever is "logged in" in that browser). */
  sessionUser(): User | undefined;
  today(): string;
}

const UNIFIED_LOGIN_ERROR = 'Login failed. Have you double-checked your credentials and completed the email verification step?';

/** `_zammad_session_<hash>=…` in the Cookie header. */
export function hasSessionCookie(req: IncomingMessage): boolean {
  const cookie = String(req.headers.cookie ?? '');
  return cookie.split(';').some((c) => /^_zammad_session_[A-Za-z0-9]*=\S/.test(c.trim()));
}

/** Rails `token_and_options`: `Token abc`, `Token token=abc`, `Token token="abc"`, `Bearer abc`. */
export function parseTokenHeader(header: string): { scheme: 'Token' | 'Bearer'; token: string } | null {
  const m = /^(Token|Bearer)\s+/.exec(header);
  if (!m) return null;
  const raw = header
    .slice(m[0].length)
    .split(/(?:,|;|\t)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (raw.length === 0) return null;
  let first = raw[0] ?? '';
  if (!first.startsWith('token=')) first = `token=${first}`;
  const eq = first.indexOf('=');
  const value = first.slice(eq + 1).replace(/^"|"$/g, '');
  if (value === '') return null;
  return { scheme: m[1] as 'Token' | 'Bearer', token: value };
}

function prerequisites(user: User, authType: AuthType, token: ApiToken | null): AuthContext {
  if (!user.active) throw unauthorized(UNIFIED_LOGIN_ERROR);
  return { user, authType, token };
}

/**
 * Returns the authenticated context, `null` when no credentials were sent, or throws the ApiError
 * Zammad answers with. Non-GET/HEAD session requests fail the CSRF check (no CSRF token is ever issued).
 */
export function authenticate(req: IncomingMessage, dir: AuthDirectory): AuthContext | null {
  const method = (req.method ?? 'GET').toUpperCase();
  if (hasSessionCookie(req)) {
    const user = dir.sessionUser();
    if (user) {
      const ctx = prerequisites(user, 'session', null);
      if (method !== 'GET' && method !== 'HEAD') throw unauthorized('CSRF token verification failed!');
      return ctx;
    }
  }
  const header = String(req.headers.authorization ?? '');
  const errors: string[] = [];

  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const user = dir.userByLoginOrEmail(login);
    if (user && user.active && user.password !== undefined && user.password === password) return prerequisites(user, 'basic_auth', null);
    errors.push('Invalid BasicAuth credentials');
  }

  const tok = parseTokenHeader(header);
  if (tok) {
    const token = dir.tokenByValue(tok.token);
    const user = token ? dir.userById(token.user_id) : undefined;
    if (token && user) {
      if (token.expires_at && dir.today() >= token.expires_at) throw unauthorized('Not authorized (token expired)!');
      return prerequisites(user, 'token_auth', token);
    }
    errors.push("Can't find User for Token");
    // The OAuth2 branch (Doorkeeper) sees every Bearer value; none is a valid access token here.
    if (tok.scheme === 'Bearer') throw unauthorized('The provided token is invalid.');
  }

  if (errors.length === 0) return null;
  throw unauthorized(errors.join(', '));
}

export function requireAuth(req: IncomingMessage, dir: AuthDirectory): AuthContext {
  const ctx = authenticate(req, dir);
  if (!ctx) throw forbidden('Authentication required');
  return ctx;
}

/** `admin` covers `admin.user`; `ticket.agent` does not cover `ticket`. */
export function listHas(list: readonly string[], query: string): boolean {
  return list.some((p) => p === query || query.startsWith(`${p}.`));
}

/** User-context check: the user AND (when token-authenticated) the token must hold the permission. */
export function can(ctx: AuthContext, permission: string): boolean {
  if (!listHas(ctx.user.permissions, permission)) return false;
  return ctx.token ? listHas(ctx.token.permissions, permission) : true;
}

export function canAny(ctx: AuthContext, permissions: readonly string[]): boolean {
  return permissions.some((p) => can(ctx, p));
}

/** Controller policy `permit!(permissions)`: 403 `(user)` or `(token)`. */
export function permit(ctx: AuthContext, permissions: readonly string[]): void {
  if (canAny(ctx, permissions)) return;
  const userHas = permissions.some((p) => listHas(ctx.user.permissions, p));
  throw forbidden(userHas && ctx.token ? 'Not authorized (token)!' : 'Not authorized (user)!');
}

export const isAgent = (ctx: AuthContext): boolean => can(ctx, 'ticket.agent');

/** Whether CORS headers go on a successful answer (`set_access_control_headers`). */
export const corsAllowed = (ctx: AuthContext | null): boolean => ctx?.authType === 'token_auth' || ctx?.authType === 'basic_auth';
