/**
 * `clinicRole` of users and invitations alike: the drift rule (contract, Patch semantics). An
 * unknown role is `null` with a warning; the warning names the record and a capped copy of the
 * label, since the label comes from upstream and could be of any length.
 */
import type { ClinicRole } from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import { toClinicRole } from '../graphql/enums.js';

/** The longest part of an unknown label written to a log line. */
export const MAX_LOGGED_LABEL_LENGTH = 100;

export function resolveClinicRole(
  label: string | null | undefined,
  record: { userId: string } | { invitationId: string },
  { logger, requestId }: Pick<GatewayContext, 'logger' | 'requestId'>,
): ClinicRole | null {
  if (label == null) return null;
  const role = toClinicRole(label);
  if (role === null) {
    const clinicRole =
      label.length > MAX_LOGGED_LABEL_LENGTH
        ? `${label.slice(0, MAX_LOGGED_LABEL_LENGTH)}…`
        : label;
    logger.warn(
      { requestId, ...record, clinicRole },
      'Avara sent a clinicRole this gateway does not know',
    );
  }
  return role;
}
