/**
 * The demo API's starting data: six fictional users of one imaging clinic, chosen to cover what
 * a client must cope with: every level, both invite sources, a role only older API versions
 * know (`PACS Administrator`), a role only newer ones know, a user who never logged in, and
 * optional fields both present and absent (absent keys, never `null`, as the API sends them).
 */
import type { AvaraUser } from '../avara/types.js';

/** The reference's example user, first in the seed. */
export const SEED_USER_ID = 'usr_1234567890abcdef1234567890abcdef';

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
    userId: 'usr_0f3c9a2e7b814d6a9c5e2b7d1a8f4c60',
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
