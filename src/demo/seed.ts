/**
 * The demo API's starting data: six fictional users of one imaging clinic, chosen to cover what
 * a client must cope with: every level, both invite sources, a role only older API versions
 * know (`PACS Administrator`), a role only newer ones know, a user who never logged in, and
 * optional fields both present and absent (absent keys, never `null`, as the API sends them).
 */
import type { AvaraInvitation, AvaraUser } from '../avara/types.js';

/** The reference's example user, first in the seed. */
export const SEED_USER_ID = 'usr_1234567890abcdef1234567890abcdef';

/** The demo organization's clinic, and the API key its API invitations were sent with. */
export const DEMO_CLINIC_ID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
export const DEMO_API_KEY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

/** The owner, who sent the dashboard invitations. */
const OWNER_ID = 'usr_0f3c9a2e7b814d6a9c5e2b7d1a8f4c60';

const seedUsers: AvaraUser[] = [
  {
    canManageStudies: true,
    clinicRole: 'Radiologist',
    createdAt: '2024-01-15T10:00:00Z',
    email: 'dr.johnson@hospital.org',
    firstName: 'Sarah',
    hasDashboardAccess: true,
    invitedSource: 'api',
    lastLoginAt: '2024-03-15T09:00:00Z',
    lastName: 'Johnson',
    level: 'member',
    userId: SEED_USER_ID,
    middleName: 'Marie',
    phoneNumber: '5551234567',
    suffix1: 'MD',
    suffix2: 'FACR',
  },
  {
    canManageStudies: true,
    clinicRole: 'IT Administrator',
    createdAt: '2023-11-02T08:30:00Z',
    email: 'd.okafor@hospital.org',
    firstName: 'Daniel',
    hasDashboardAccess: true,
    invitedSource: 'dashboard',
    lastLoginAt: '2024-03-18T07:45:12Z',
    lastName: 'Okafor',
    level: 'owner',
    userId: OWNER_ID,
    phoneNumber: '5559876543',
  },
  {
    canManageStudies: true,
    clinicRole: 'Physician Assistant',
    createdAt: '2023-12-05T14:20:00Z',
    email: 'p.raman@hospital.org',
    firstName: 'Priya',
    hasDashboardAccess: true,
    invitedSource: 'dashboard',
    lastLoginAt: '2024-03-14T16:05:40Z',
    lastName: 'Raman',
    level: 'admin',
    userId: 'usr_7a1e5d9c3b2f4e8a6d0c1b9e7f3a5d24',
    middleName: 'Lakshmi',
    suffix1: 'PA-C',
  },
  {
    canManageStudies: false,
    clinicRole: 'Registered Nurse',
    createdAt: '2024-02-20T11:00:00Z',
    email: 'm.alvarez@hospital.org',
    firstName: 'Miguel',
    hasDashboardAccess: false,
    invitedSource: 'api',
    lastLoginAt: null,
    lastName: 'Alvarez',
    level: 'member',
    userId: 'usr_c48b2e6f9a0d4c1e8b7a3f5d2e9c6b10',
  },
  {
    canManageStudies: true,
    clinicRole: 'PACS Administrator',
    createdAt: '2022-06-01T09:15:00Z',
    email: 't.becker@hospital.org',
    firstName: 'Thomas',
    hasDashboardAccess: true,
    invitedSource: 'dashboard',
    lastLoginAt: '2024-03-01T12:30:00Z',
    lastName: 'Becker',
    level: 'member',
    userId: 'usr_9e2d4b7a1c6f4a3e8d5b0c7e2a9f1d38',
    phoneNumber: '442071234567',
  },
  {
    canManageStudies: false,
    clinicRole: 'Certified Registered Nurse Anesthetist',
    createdAt: '2024-03-10T15:45:00Z',
    email: 'a.bello@hospital.org',
    firstName: 'Aisha',
    hasDashboardAccess: false,
    invitedSource: 'api',
    lastLoginAt: '2024-03-12T08:10:00Z',
    lastName: 'Bello',
    level: 'member',
    userId: 'usr_2b8f6d0a4e9c4b7d1a3e5c8f0b6d2a97',
    middleName: 'Ngozi',
    suffix1: 'CRNA',
  },
];

/** Frozen so that no server instance can change the seed another one restores. */
export const DEMO_USERS: readonly AvaraUser[] = Object.freeze(
  seedUsers.map((u) => Object.freeze(u)),
);

/** The first seeded invitation: pending, sent from the dashboard, with every optional field. */
export const SEED_INVITATION_ID = 'inv_5e0c8b1a9d2f4e7a8b3c6d1e0f9a2b4c';

/**
 * Invitations in every status, chosen like the users: pending ones that expire, never expire or
 * already expired; sent from the dashboard (with an inviter) and through the API (no inviter, an
 * API key id); one accepted by a seeded user; a role only older API versions know.
 */
const seedInvitations: AvaraInvitation[] = [
  {
    invitationId: SEED_INVITATION_ID,
    userId: 'usr_4d7e1a9b3c6f4e2a8d5b0c9e7f1a3b62',
    email: 'e.petrova@hospital.org',
    firstName: 'Elena',
    middleName: 'Ivanovna',
    lastName: 'Petrova',
    suffix1: 'MD',
    phoneNumber: '5553217654',
    clinicRole: 'Radiologist',
    level: 'member',
    canManageStudies: true,
    hasDashboardAccess: true,
    status: 'sent',
    invitedSource: 'dashboard',
    clinicId: DEMO_CLINIC_ID,
    inviterId: OWNER_ID,
    expiry: '2099-01-01T00:00:00Z',
    createdAt: '2024-03-01T10:00:00Z',
    updatedAt: '2024-03-01T10:00:00Z',
  },
  {
    invitationId: 'inv_8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d',
    userId: 'usr_6b9d2f4a8c1e4b3d9f5a7c0e2b4d6f81',
    email: 'j.whitfield@hospital.org',
    firstName: 'James',
    lastName: 'Whitfield',
    clinicRole: 'Oncologist',
    level: 'admin',
    canManageStudies: true,
    hasDashboardAccess: true,
    status: 'sent',
    invitedSource: 'api',
    clinicId: DEMO_CLINIC_ID,
    inviterId: null,
    invitedByApiKeyId: DEMO_API_KEY_ID,
    expiry: null,
    createdAt: '2024-03-05T08:00:00Z',
    updatedAt: '2024-03-05T08:00:00Z',
  },
  {
    invitationId: 'inv_1c3e5a7b9d0f4c2e8a4b6d8f0a2c4e6b',
    userId: 'usr_c48b2e6f9a0d4c1e8b7a3f5d2e9c6b10',
    email: 'm.alvarez@hospital.org',
    firstName: 'Miguel',
    lastName: 'Alvarez',
    clinicRole: 'Registered Nurse',
    level: 'member',
    canManageStudies: false,
    hasDashboardAccess: false,
    status: 'accepted',
    invitedSource: 'api',
    clinicId: DEMO_CLINIC_ID,
    inviterId: null,
    invitedByApiKeyId: DEMO_API_KEY_ID,
    expiry: '2024-02-27T11:00:00Z',
    createdAt: '2024-02-20T11:00:00Z',
    updatedAt: '2024-02-20T15:30:00Z',
  },
  {
    invitationId: 'inv_9f7d5b3a1e0c4d8b9a6c4e2f0d8b6a4c',
    userId: 'usr_3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1d',
    email: 'h.lee@clinic-partner.org',
    firstName: 'Hannah',
    lastName: 'Lee',
    suffix1: 'RN',
    clinicRole: 'Nurse Manager',
    level: 'member',
    canManageStudies: false,
    hasDashboardAccess: true,
    status: 'rejected',
    invitedSource: 'dashboard',
    clinicId: DEMO_CLINIC_ID,
    inviterId: 'usr_7a1e5d9c3b2f4e8a6d0c1b9e7f3a5d24',
    expiry: '2024-02-17T09:00:00Z',
    createdAt: '2024-02-10T09:00:00Z',
    updatedAt: '2024-02-12T14:00:00Z',
  },
  {
    invitationId: 'inv_2d4f6b8a0c1e4f3a9b5d7c9e1f3a5b7d',
    userId: 'usr_8e0a2c4e6b8d4f1a9c3e5b7d9f1b3d5f',
    email: 'o.haddad@hospital.org',
    firstName: 'Omar',
    lastName: 'Haddad',
    phoneNumber: '447700900123',
    clinicRole: 'Imaging Technologist',
    level: 'member',
    canManageStudies: true,
    hasDashboardAccess: false,
    status: 'revoked',
    invitedSource: 'api',
    clinicId: DEMO_CLINIC_ID,
    inviterId: null,
    invitedByApiKeyId: DEMO_API_KEY_ID,
    expiry: '2099-01-01T00:00:00Z',
    createdAt: '2024-01-22T13:00:00Z',
    updatedAt: '2024-01-25T10:00:00Z',
  },
  {
    invitationId: 'inv_7b9d1f3a5c6e4b8d0f2a4c6e8b0d2f4a',
    userId: 'usr_5f7b9d1c3e4a4f6b8d0c2e4a6c8e0a3b',
    email: 'g.kim@hospital.org',
    firstName: 'Grace',
    lastName: 'Kim',
    clinicRole: 'PACS Administrator',
    level: 'member',
    canManageStudies: true,
    hasDashboardAccess: true,
    status: 'sent',
    invitedSource: 'dashboard',
    clinicId: DEMO_CLINIC_ID,
    inviterId: OWNER_ID,
    expiry: '2024-02-01T00:00:00Z',
    createdAt: '2024-01-25T16:00:00Z',
    updatedAt: '2024-01-25T16:00:00Z',
  },
];

export const DEMO_INVITATIONS: readonly AvaraInvitation[] = Object.freeze(
  seedInvitations.map((invitation) => Object.freeze(invitation)),
);
