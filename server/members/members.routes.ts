import { z } from 'zod';
import {
  AcceptInvitationInput,
  CreateInvitationInput,
  CreatedInvitation,
  Invitation,
  InvitationPreview,
  InvitationToken,
  Member,
  RemoveMemberQuery,
  UpdateMemberInput,
} from '../../shared/accounts.ts';
import { SetIdentityInput } from '../../shared/schemas.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { MembersService } from './members.service.ts';
import type { InvitationsService } from './invitations.service.ts';

const MemberParams = z.object({ id: z.uuid(), memberId: z.uuid() });
const InvitationParams = z.object({ id: z.uuid(), invitationId: z.uuid() });

export function membersRoutes(api: ApiRegistry, members: MembersService, invitations: InvitationsService): void {
  let tag = 'Members';
  api.add(
    { method: 'get', path: '/consultations/:id/members', tag, summary: 'Members, as you may see them (never emails)', params: IdParams, response: z.array(Member) },
    ({ auth, params }) => members.list(auth.user._id, params.id),
  );
  api.add(
    { method: 'patch', path: '/consultations/:id/members/:memberId', tag, summary: "Change a member's role, group or organisation (facilitators)", params: MemberParams, body: UpdateMemberInput },
    ({ auth, params, body }) => members.update(auth.user._id, params.id, params.memberId, body),
  );
  api.add(
    { method: 'delete', path: '/consultations/:id/members/:memberId', tag, summary: 'Remove a member; their live connections close at once (facilitators). `reason` goes to the audit log', params: MemberParams, query: RemoveMemberQuery },
    ({ auth, params, query }) => members.remove(auth.user._id, params.id, params.memberId, query.reason),
  );

  api.add(
    { method: 'put', path: '/consultations/:id/identity', tag, summary: 'Show your name to the other members, or withdraw it (only you decide; facilitators always see it)', params: IdParams, body: SetIdentityInput },
    ({ auth, params, body }) => members.setIdentity(auth.user._id, params.id, body.showName),
  );

  tag = 'Invitations';
  api.add(
    { method: 'get', path: '/consultations/:id/invitations', tag, summary: 'Invitation links (facilitators)', params: IdParams, response: z.array(Invitation) },
    ({ auth, params }) => invitations.list(auth.user._id, params.id),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/invitations', tag, summary: 'Make an invitation link; its token is shown only now (facilitators)', params: IdParams, body: CreateInvitationInput, response: CreatedInvitation, status: 201 },
    ({ auth, params, body }) => invitations.create(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'delete', path: '/consultations/:id/invitations/:invitationId', tag, summary: 'Withdraw an invitation link (facilitators)', params: InvitationParams },
    ({ auth, params }) => invitations.revoke(auth.user._id, params.id, params.invitationId),
  );
  api.add(
    { method: 'get', path: '/invitations/:token', tag, auth: false, summary: 'What an invitation link invites to', params: z.object({ token: InvitationToken }), response: InvitationPreview, errors: [ErrorCode.invitationUnavailable] },
    ({ params }) => invitations.preview(params.token),
  );
  api.add(
    { method: 'post', path: '/invitations/accept', tag, summary: 'Join a consultation with an invitation link', body: AcceptInvitationInput, response: z.object({ consultationId: z.uuid() }), errors: [ErrorCode.invitationUnavailable] },
    ({ auth, body }) => invitations.accept(auth.user._id, body),
  );
}
