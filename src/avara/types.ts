/**
 * The Avara Viewer users API's wire shapes, as its reference documents them. Everything here
 * speaks Avara's language (`'member'`, `'Physician Assistant'`); GraphQL names live in
 * `src/graphql/`.
 */
import { z } from 'zod';

/** `usr_` followed by 32 lowercase hex characters. */
export const USER_ID_PATTERN = /^usr_[0-9a-f]{32}$/;

export const AVARA_USER_LEVELS = ['owner', 'admin', 'member'] as const;
export type AvaraUserLevel = (typeof AVARA_USER_LEVELS)[number];

/** `owner` cannot be assigned through the API. */
export type AvaraAssignableUserLevel = Exclude<AvaraUserLevel, 'owner'>;

export const AVARA_INVITED_SOURCES = ['dashboard', 'api'] as const;
export type AvaraInvitedSource = (typeof AVARA_INVITED_SOURCES)[number];

const optionalText = z.string().nullish();
const dateTime = z.iso.datetime({ offset: true }).nullish();

/**
 * The user object of GET and PATCH answers. `clinicRole` is any string on purpose: the enum
 * drifts between API versions, and an unknown role must not fail the whole user.
 * Unknown extra properties are dropped, so that an additive API change is not a failure.
 */
export const avaraUserSchema = z.object({
  userId: z.string().min(1),
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
