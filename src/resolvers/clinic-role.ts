/**
 * `clinicRole` of users and invitations alike: the drift rule (contract, Patch semantics). An
 * unknown role is `null` with a warning; the warning names the record and a capped copy of the
 * label, since the label comes from upstream and could be of any length, and is written once per
 * request: a client chooses how often the field is resolved (100 aliases of one user).
 */
import type { ClinicRole } from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import { toClinicRole } from '../graphql/enums.js';
import { capForLog, isFirstInRequest } from '../operation-log.js';

export function resolveClinicRole(
  label: string | null | undefined,
  record: { userId: string } | { invitationId: string },
  context: Pick<GatewayContext, 'logger' | 'requestId' | 'logLine'>,
): ClinicRole | null {
  if (label == null) return null;
  const role = toClinicRole(label);
  if (role === null && isFirstInRequest(context, 'unknown clinicRole')) {
    context.logger.warn(
      {
        requestId: context.requestId,
        ...record,
        clinicRole: capForLog(label),
        clinicRoleLength: label.length,
      },
      'Avara sent a clinicRole this gateway does not know',
    );
  }
  return role;
}
