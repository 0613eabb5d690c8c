import type { ApiRegistry } from '../http/route.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { DeleteAccountInput, PersonalDataExport } from '../../shared/privacy.ts';
import { clearSessionCookie } from '../accounts/session.ts';
import type { PrivacyService } from './privacy.service.ts';

const tag = 'Personal data';

export function privacyRoutes(api: ApiRegistry, privacy: PrivacyService): void {
  api.add(
    {
      method: 'post',
      path: '/auth/me/delete',
      tag,
      summary:
        'Delete your account (password required). Your contributions stay under "former participant" and your group; your name, e-mail, sessions and organisation are erased. The only facilitator of a consultation not yet adopted must hand over first (last_facilitator).',
      body: DeleteAccountInput,
      errors: [ErrorCode.invalidCredentials, ErrorCode.lastFacilitator, ErrorCode.rateLimited, ErrorCode.unavailable],
    },
    async ({ auth, req, res, body }) => {
      await privacy.deleteAccount(auth, body.password, req.ip ?? 'unknown');
      clearSessionCookie(req, res);
    },
  );
  api.add(
    { method: 'get', path: '/auth/me/export', tag, summary: 'Download everything Convene holds about you, as JSON', response: PersonalDataExport },
    async ({ auth, res }) => {
      res.setHeader('Content-Disposition', 'attachment; filename="convene-my-data.json"');
      return privacy.export(auth);
    },
  );
}
