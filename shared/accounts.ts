import { z } from 'zod';
import { AuditReason, Id } from './schemas.ts';
import { stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';

export const locales = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
export type Locale = (typeof locales)[number];

const Email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/** Long passphrases welcome; the upper bound only keeps hashing cheap to refuse. */
const Password = z.string().min(10).max(256);
const DisplayName = z.string().trim().min(1).max(80);

export const RegisterInput = z.object({
  email: Email,
  password: Password,
  displayName: DisplayName,
  language: z.enum(locales).default('en'),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.object({ email: Email, password: z.string().min(1).max(256) });
export type LoginInput = z.infer<typeof LoginInput>;

export const ChangePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const UpdateProfileInput = z.object({ displayName: DisplayName.optional(), language: z.enum(locales).optional() });
export type UpdateProfileInput = z.infer<typeof UpdateProfileInput>;

/** The signed-in person, as only they see themselves. */
export const Me = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  language: z.enum(locales),
});
export type Me = z.infer<typeof Me>;

export const SessionInfo = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const Role = z.enum(roles);
export const Group = z.enum(stakeholderGroups);

/**
 * A member as other members see them: never an email. When the consultation
 * hides identities, or the member joined while it did and has not chosen to
 * show their name, contributors and observers see `displayName`, `userId` and
 * `organisation` as null and tell members apart by group and `alias`.
 */
export const Member = z.object({
  id: Id,
  userId: Id.nullable(),
  displayName: z.string().nullable(),
  alias: z.number().int().positive(),
  role: Role,
  group: Group,
  organisation: z.string().nullable(),
  joinedAt: z.iso.datetime(),
  isYou: z.boolean(),
  /** Shown to facilitators and to the member themself; null for everyone else. */
  mutedUntil: z.iso.datetime().nullable(),
  /**
   * Whether members other than facilitators see this member only by alias
   * and group: facilitators, who see every name, need to know so as never to name them elsewhere.
   */
  aliasToOthers: z.boolean(),
  /**
   * A former participant: the person deleted their account, or the consultation's retention period erased who they
   * were. Their contributions stay, shown under "former participant" and their group; nothing else is known of them.
   */
  former: z.boolean(),
});
export type Member = z.infer<typeof Member>;

export const UpdateMemberInput = z
  .object({
    role: Role.optional(),
    group: Group.optional(),
    organisation: z.string().trim().max(120).nullable().optional(),
    /** Why, for the audit log. */
    reason: AuditReason.optional(),
  })
  .refine((v) => v.role !== undefined || v.group !== undefined || v.organisation !== undefined, 'Nothing to change');
export type UpdateMemberInput = z.infer<typeof UpdateMemberInput>;

export const RemoveMemberQuery = z.object({ reason: AuditReason.optional() });

export const CreateInvitationInput = z.object({
  role: Role,
  group: Group,
  /** Hours until the link stops working (default one week, at most 90 days). */
  expiresInHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
  maxUses: z.number().int().min(1).max(1000).default(1),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInput>;

export const Invitation = z.object({
  id: Id,
  role: Role,
  group: Group,
  expiresAt: z.iso.datetime(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  revoked: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Invitation = z.infer<typeof Invitation>;

/** Returned once, when the invitation is made: the token is stored only as a hash. */
export const CreatedInvitation = Invitation.extend({ token: z.string() });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const InvitationToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const AcceptInvitationInput = z.object({
  token: InvitationToken,
  organisation: z.string().trim().max(120).optional(),
  /**
   * Whether other members may see your name, where the consultation shows
   * names at all; omitted means yes there. Ignored (always hidden) while it hides identities.
   */
  showName: z.boolean().optional(),
});
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;

export const InvitationPreview = z.object({
  consultationTitle: z.string(),
  role: Role,
  group: Group,
  expiresAt: z.iso.datetime(),
  /**
   * What other members will see of you: `alias` (an alias and your stakeholder
   * group; facilitators still see your display name) or `name` (your display
   * name). Facilitators and drafters act in an official capacity and are always named.
   */
  othersSee: z.enum(['alias', 'name']),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;
