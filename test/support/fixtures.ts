/**
 * Generated upstream records for tests that need lists of a chosen size.
 */
import type { AvaraInvitation, AvaraUser } from '../../src/avara/types.js';
import { DEMO_CLINIC_ID } from '../../src/demo/seed.js';

/** `prefix` + `marker` + the 1-based index in hex, 32 hex characters after `prefix` in all. */
const idOf = (prefix: 'usr_' | 'inv_', marker: string, index: number) =>
  `${prefix}${marker}${(index + 1).toString(16).padStart(32 - marker.length, '0')}`;

/** `count` valid users with ids `usr_000…1`, `usr_000…2`, … in that order. */
export function makeUsers(count: number): AvaraUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userId: idOf('usr_', '', index),
    email: `user.${index + 1}@example.org`,
    firstName: `First${index + 1}`,
    lastName: `Last${index + 1}`,
    clinicRole: 'Doctor',
    level: 'member',
    canManageStudies: false,
    hasDashboardAccess: false,
    invitedSource: index % 2 === 0 ? 'api' : 'dashboard',
    createdAt: '2024-01-01T00:00:00Z',
    lastLoginAt: null,
  }));
}

/** `count` valid pending invitations with ids `inv_000…1`, … in that order. */
export function makeInvitations(count: number): AvaraInvitation[] {
  return Array.from({ length: count }, (_, index) => ({
    invitationId: idOf('inv_', '', index),
    userId: idOf('usr_', 'f', index),
    email: `invitee.${index + 1}@example.org`,
    firstName: `Invitee${index + 1}`,
    lastName: `Person${index + 1}`,
    clinicRole: 'Scribe',
    level: 'member',
    canManageStudies: false,
    hasDashboardAccess: false,
    status: 'sent',
    invitedSource: 'api',
    clinicId: DEMO_CLINIC_ID,
    inviterId: null,
    expiry: null,
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  }));
}
