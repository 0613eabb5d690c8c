import { z } from 'zod';
import { ChangePasswordInput, LoginInput, Me, RegisterInput, SessionInfo, UpdateProfileInput } from '../../shared/accounts.ts';
import type { ApiRegistry } from '../http/route.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { AccountsService } from './accounts.service.ts';
import { clearSessionCookie, setSessionCookie } from './session.ts';

const tag = 'Accounts';

export function accountsRoutes(api: ApiRegistry, accounts: AccountsService, sessionTtlMs: number): void {
  api.add(
    { method: 'post', path: '/auth/register', tag, auth: false, summary: 'Create an account and sign in (limited per address)', body: RegisterInput, response: Me, status: 201, errors: [ErrorCode.emailTaken, ErrorCode.rateLimited, ErrorCode.unavailable] },
    async ({ req, res, body }) => {
      const { me, token } = await accounts.register(body, req.ip ?? 'unknown');
      setSessionCookie(req, res, token, sessionTtlMs);
      return me;
    },
  );
  api.add(
    { method: 'post', path: '/auth/login', tag, auth: false, summary: 'Sign in (failed attempts are limited per address and per account)', body: LoginInput, response: Me, errors: [ErrorCode.invalidCredentials, ErrorCode.rateLimited, ErrorCode.unavailable] },
    async ({ req, res, body }) => {
      const { me, token } = await accounts.login(body, req.ip ?? 'unknown');
      setSessionCookie(req, res, token, sessionTtlMs);
      return me;
    },
  );
  api.add(
    { method: 'post', path: '/auth/logout', tag, summary: 'Sign out: ends this session and closes its live connections' },
    async ({ auth, req, res }) => {
      await accounts.logout(auth.session);
      clearSessionCookie(req, res);
    },
  );
  api.add(
    { method: 'get', path: '/auth/me', tag, summary: 'Who you are signed in as', response: Me },
    async ({ auth }) => accounts.me(auth.user),
  );
  api.add(
    { method: 'patch', path: '/auth/me', tag, summary: 'Change your display name or language', body: UpdateProfileInput, response: Me },
    ({ auth, body }) => accounts.updateProfile(auth.user._id, body),
  );
  api.add(
    { method: 'post', path: '/auth/password', tag, summary: 'Change your password; your other sessions end', body: ChangePasswordInput, errors: [ErrorCode.invalidCredentials, ErrorCode.rateLimited, ErrorCode.unavailable] },
    ({ auth, req, body }) => accounts.changePassword(auth, body, req.ip ?? 'unknown'),
  );
  api.add(
    { method: 'get', path: '/auth/sessions', tag, summary: 'Where you are signed in', response: z.array(SessionInfo) },
    ({ auth }) => accounts.listSessions(auth),
  );
  api.add(
    { method: 'delete', path: '/auth/sessions/:id', tag, summary: 'End one of your sessions', params: z.object({ id: z.uuid() }) },
    ({ auth, params }) => accounts.revokeSession(auth.user._id, params.id),
  );
}
