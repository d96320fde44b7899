/**
 * The Avara Viewer users API's wire shapes, as its reference documents them. Everything here
 * speaks Avara's language (`'member'`, `'Physician Assistant'`); GraphQL names live in
 * `src/graphql/`.
 */
import { z } from 'zod';

/** `usr_` followed by 32 lowercase hex characters. */
export const USER_ID_PATTERN = /^usr_[0-9a-f]{32}$/;

/** `inv_` followed by 32 lowercase hex characters. */
export const INVITATION_ID_PATTERN = /^inv_[0-9a-f]{32}$/;

/** `limit` of a list request: 1–100, Avara's default 20. */
export const MAX_LIST_LIMIT = 100;

/**
 * The longest `cursor` of Avara's kept: a cursor is a small opaque token, and the gateway embeds
 * it in its own cursors, whose length it caps.
 */
export const MAX_AVARA_CURSOR_LENGTH = 1024;

/**
 * Avara's cursor is an opaque token (base64 in practice): printable ASCII without `"` and `\`,
 * so embedding it in a gateway cursor never grows it by escaping.
 */
export const AVARA_CURSOR_PATTERN = /^[!#-[\]-~]*$/;

export const AVARA_USER_LEVELS = ['owner', 'admin', 'member'] as const;
export type AvaraUserLevel = (typeof AVARA_USER_LEVELS)[number];

/** `owner` cannot be assigned through the API. */
export type AvaraAssignableUserLevel = Exclude<AvaraUserLevel, 'owner'>;

export const AVARA_INVITED_SOURCES = ['dashboard', 'api'] as const;
export type AvaraInvitedSource = (typeof AVARA_INVITED_SOURCES)[number];

export const AVARA_INVITATION_STATUSES = ['sent', 'accepted', 'rejected', 'revoked'] as const;
export type AvaraInvitationStatus = (typeof AVARA_INVITATION_STATUSES)[number];

export const AVARA_INVITATION_EXPIRIES = ['all', 'expired', 'not-expired'] as const;
export type AvaraInvitationExpiry = (typeof AVARA_INVITATION_EXPIRIES)[number];

const optionalText = z.string().nullish();
const dateTime = z.iso.datetime({ offset: true }).nullish();

/**
 * What a user and an invitation both say about a person and their access: the invitation carries
 * exactly what the invitee will have once they accept.
 */
const personFields = {
  email: z.string(),
  firstName: z.string(),
  middleName: optionalText,
  lastName: z.string(),
  suffix1: optionalText,
  suffix2: optionalText,
  phoneNumber: optionalText,
  clinicRole: optionalText,
  level: z.enum(AVARA_USER_LEVELS),
  canManageStudies: z.boolean(),
  hasDashboardAccess: z.boolean(),
  invitedSource: z.enum(AVARA_INVITED_SOURCES),
};

/**
 * The user object of GET and PATCH answers. `clinicRole` is any string on purpose: the enum
 * drifts between API versions, and an unknown role must not fail the whole user.
 * Unknown extra properties are dropped, so that an additive API change is not a failure.
 */
export const avaraUserSchema = z.object({
  // The documented shape, not any text: a listed id becomes part of an edge cursor, which the
  // gateway only takes back with an id of this shape.
  userId: z.string().regex(USER_ID_PATTERN),
  ...personFields,
  createdAt: dateTime,
  lastLoginAt: dateTime,
});

export type AvaraUser = z.infer<typeof avaraUserSchema>;

/**
 * The PATCH body (`UserUpdateParams` in Avara's SDKs). An absent key leaves the field untouched;
 * `null` clears the fields that allow it.
 */
export interface AvaraUserUpdateParams {
  canManageStudies?: boolean;
  clinicRole?: string | null;
  firstName?: string;
  hasDashboardAccess?: boolean;
  lastName?: string;
  level?: AvaraAssignableUserLevel;
  middleName?: string | null;
  phoneNumber?: string | null;
  suffix1?: string | null;
  suffix2?: string | null;
}

/**
 * The invitation object. As for users, `clinicRole` is any string and extra properties are
 * dropped. `inviterId` is documented as null for API invitations although the SDK types say
 * non-null: both are accepted.
 */
export const avaraInvitationSchema = z.object({
  invitationId: z.string().regex(INVITATION_ID_PATTERN),
  userId: z.string().min(1),
  ...personFields,
  status: z.enum(AVARA_INVITATION_STATUSES),
  clinicId: z.string(),
  inviterId: optionalText,
  invitedByApiKeyId: optionalText,
  expiry: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
});

export type AvaraInvitation = z.infer<typeof avaraInvitationSchema>;

/**
 * One page of a list: at most `MAX_LIST_LIMIT` items (more than any `limit` asks for is not the
 * documented answer), `cursor` absent or empty on the last page.
 */
const pageFields = {
  hasMore: z.boolean(),
  cursor: z.string().max(MAX_AVARA_CURSOR_LENGTH).regex(AVARA_CURSOR_PATTERN).nullish(),
};

export const avaraUserPageSchema = z.object({
  users: z.array(avaraUserSchema).max(MAX_LIST_LIMIT),
  ...pageFields,
});
export type AvaraUserPage = z.infer<typeof avaraUserPageSchema>;

export const avaraInvitationPageSchema = z.object({
  invitations: z.array(avaraInvitationSchema).max(MAX_LIST_LIMIT),
  ...pageFields,
});
export type AvaraInvitationPage = z.infer<typeof avaraInvitationPageSchema>;

/** The answer of revoke-access, reactivate and invitation revoke. */
export const avaraSuccessSchema = z.object({
  success: z.boolean(),
  message: z.string().nullish(),
});
export type AvaraSuccess = z.infer<typeof avaraSuccessSchema>;

/** Paging parameters every list takes. */
export interface AvaraPageParams {
  /** Avara's cursor of the page to read; absent: the first page. */
  cursor?: string;
  /** 1–100. */
  limit: number;
}

/** `GET /v1/viewer/users` query (`UserListParams`): every filter optional. */
export interface AvaraUserListParams extends AvaraPageParams {
  email?: string;
  firstName?: string;
  lastName?: string;
  level?: AvaraUserLevel;
  invitedSource?: AvaraInvitedSource;
}

/** `GET /v1/viewer/users/invitations` query (`InvitationListParams`). */
export interface AvaraInvitationListParams extends AvaraPageParams {
  /** `YYYY-MM-DD`, created on or after. */
  startDate?: string;
  /** `YYYY-MM-DD`, created on or before. */
  endDate?: string;
  expired?: AvaraInvitationExpiry;
  /** Sent comma-joined: `status=sent,revoked`. */
  status?: readonly AvaraInvitationStatus[];
  userId?: string;
}

/** The invite body (`UserInviteParams`): optional fields are absent, never `null`. */
export interface AvaraUserInviteParams {
  email: string;
  firstName: string;
  lastName: string;
  clinicRole: string;
  level: AvaraAssignableUserLevel;
  canManageStudies: boolean;
  hasDashboardAccess: boolean;
  middleName?: string;
  phoneNumber?: string;
  suffix1?: string;
  suffix2?: string;
}

/** The invitation revoke body: one id or both. */
export type AvaraInvitationRevokeParams =
  { invitationId: string; userId?: string } | { invitationId?: string; userId: string };
