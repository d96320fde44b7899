/**
 * The enum tables: each GraphQL enum's names against Avara's wire values, written once. The
 * `satisfies Record<…>` clauses make the compiler prove every GraphQL value has a wire value;
 * the reverse maps are derived, never written by hand.
 */
import type {
  AssignableUserLevel,
  ClinicRole,
  InvitationExpiry,
  InvitationStatus,
  InvitedSource,
  UserLevel,
} from '../__generated__/resolvers-types.js';
import type {
  AvaraAssignableUserLevel,
  AvaraInvitationExpiry,
  AvaraInvitationStatus,
  AvaraInvitedSource,
  AvaraUserLevel,
} from '../avara/types.js';

/** Every role any published version of the Avara API knows, by its SDK constant name. */
export const CLINIC_ROLE_WIRE_VALUES = {
  DOCTOR: 'Doctor',
  PHYSICIAN: 'Physician',
  SURGEON: 'Surgeon',
  RADIOLOGIST: 'Radiologist',
  CARDIOLOGIST: 'Cardiologist',
  NEUROLOGIST: 'Neurologist',
  UROLOGIST: 'Urologist',
  GYNECOLOGIST: 'Gynecologist',
  ENDOCRINOLOGIST: 'Endocrinologist',
  ONCOLOGIST: 'Oncologist',
  RADIATION_ONCOLOGIST: 'Radiation Oncologist',
  HEMATOLOGIST: 'Hematologist',
  GASTROENTEROLOGIST: 'Gastroenterologist',
  PULMONOLOGIST: 'Pulmonologist',
  NEPHROLOGIST: 'Nephrologist',
  RHEUMATOLOGIST: 'Rheumatologist',
  DERMATOLOGIST: 'Dermatologist',
  OPHTHALMOLOGIST: 'Ophthalmologist',
  OTOLARYNGOLOGIST: 'Otolaryngologist',
  PEDIATRICIAN: 'Pediatrician',
  OBSTETRICIAN: 'Obstetrician',
  PSYCHIATRIST: 'Psychiatrist',
  ANESTHESIOLOGIST: 'Anesthesiologist',
  EMERGENCY_MEDICINE_PHYSICIAN: 'Emergency Medicine Physician',
  FAMILY_MEDICINE_PHYSICIAN: 'Family Medicine Physician',
  INTERNAL_MEDICINE_PHYSICIAN: 'Internal Medicine Physician',
  PATHOLOGIST: 'Pathologist',
  NUCLEAR_MEDICINE_PHYSICIAN: 'Nuclear Medicine Physician',
  PAIN_MANAGEMENT_SPECIALIST: 'Pain Management Specialist',
  INFECTIOUS_DISEASE_SPECIALIST: 'Infectious Disease Specialist',
  IMMUNOLOGIST: 'Immunologist',
  PHYSICIAN_ASSISTANT: 'Physician Assistant',
  NURSE_PRACTITIONER: 'Nurse Practitioner',
  CERTIFIED_REGISTERED_NURSE_ANESTHETIST: 'Certified Registered Nurse Anesthetist',
  PSYCHOLOGIST: 'Psychologist',
  MEDICAL_ASSISTANT: 'Medical Assistant',
  SCRIBE: 'Scribe',
  REGISTERED_NURSE: 'Registered Nurse',
  NURSE_MANAGER: 'Nurse Manager',
  PATIENT_CARE_COORDINATOR: 'Patient Care Coordinator',
  IMAGING_TECHNOLOGIST: 'Imaging Technologist',
  LABORATORY_TECHNICIAN: 'Laboratory Technician',
  MEDICAL_LABORATORY_SCIENTIST: 'Medical Laboratory Scientist',
  PATHOLOGISTS_ASSISTANT: "Pathologists' Assistant",
  PHLEBOTOMIST: 'Phlebotomist',
  PHARMACIST: 'Pharmacist',
  PHARMACY_TECHNICIAN: 'Pharmacy Technician',
  PHYSICAL_THERAPIST: 'Physical Therapist',
  OCCUPATIONAL_THERAPIST: 'Occupational Therapist',
  SPEECH_LANGUAGE_PATHOLOGIST: 'Speech-Language Pathologist',
  RESPIRATORY_THERAPIST: 'Respiratory Therapist',
  NUTRITIONIST: 'Nutritionist',
  FRONT_DESK_OPERATOR: 'Front Desk Operator',
  REVENUE_CYCLE_MANAGER: 'Revenue Cycle Manager',
  ADMINISTRATIVE_DIRECTOR: 'Administrative Director',
  ADMINISTRATIVE_ASSISTANT: 'Administrative Assistant',
  LEGAL_ADMINISTRATOR: 'Legal Administrator',
  IT_ADMINISTRATOR: 'IT Administrator',
  IT_SUPPORT: 'IT Support',
  SOFTWARE_ENGINEER: 'Software Engineer',
  PACS_ADMINISTRATOR: 'PACS Administrator',
  OTHER: 'Other',
} as const satisfies Record<ClinicRole, string>;

export const USER_LEVEL_WIRE_VALUES = {
  OWNER: 'owner',
  ADMIN: 'admin',
  MEMBER: 'member',
} as const satisfies Record<UserLevel, AvaraUserLevel>;

export const ASSIGNABLE_USER_LEVEL_WIRE_VALUES = {
  ADMIN: USER_LEVEL_WIRE_VALUES.ADMIN,
  MEMBER: USER_LEVEL_WIRE_VALUES.MEMBER,
} as const satisfies Record<AssignableUserLevel, AvaraAssignableUserLevel>;

export const INVITED_SOURCE_WIRE_VALUES = {
  DASHBOARD: 'dashboard',
  API: 'api',
} as const satisfies Record<InvitedSource, AvaraInvitedSource>;

/** In Avara's documented order, which is also the order a `status` filter is sent in. */
export const INVITATION_STATUS_WIRE_VALUES = {
  SENT: 'sent',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  REVOKED: 'revoked',
} as const satisfies Record<InvitationStatus, AvaraInvitationStatus>;

export const INVITATION_EXPIRY_WIRE_VALUES = {
  ALL: 'all',
  EXPIRED: 'expired',
  NOT_EXPIRED: 'not-expired',
} as const satisfies Record<InvitationExpiry, AvaraInvitationExpiry>;

/** A table turned around: wire value → GraphQL name. */
function invert<Name extends string, Wire extends string>(
  table: Record<Name, Wire>,
): ReadonlyMap<string, Name> {
  return new Map(Object.entries(table).map(([name, wire]) => [wire as Wire, name as Name]));
}

const CLINIC_ROLES_BY_WIRE_VALUE = invert(CLINIC_ROLE_WIRE_VALUES);
const USER_LEVELS_BY_WIRE_VALUE = invert(USER_LEVEL_WIRE_VALUES);
const INVITED_SOURCES_BY_WIRE_VALUE = invert(INVITED_SOURCE_WIRE_VALUES);
const INVITATION_STATUSES_BY_WIRE_VALUE = invert(INVITATION_STATUS_WIRE_VALUES);
const INVITATION_EXPIRIES_BY_WIRE_VALUE = invert(INVITATION_EXPIRY_WIRE_VALUES);

/** The wire labels Avara may send or accept for `clinicRole`, across API versions. */
export const KNOWN_CLINIC_ROLE_LABELS: readonly string[] = Object.values(CLINIC_ROLE_WIRE_VALUES);

/**
 * The GraphQL name of a wire role, or `null` for a role this gateway does not know: an unknown
 * role is never guessed into a known one, so a form that loads and saves a user cannot overwrite it.
 */
export function toClinicRole(label: string): ClinicRole | null {
  return CLINIC_ROLES_BY_WIRE_VALUE.get(label) ?? null;
}

export function toUserLevel(level: AvaraUserLevel): UserLevel {
  return mustMap(USER_LEVELS_BY_WIRE_VALUE, level);
}

export function toInvitedSource(source: AvaraInvitedSource): InvitedSource {
  return mustMap(INVITED_SOURCES_BY_WIRE_VALUE, source);
}

export function toInvitationStatus(status: AvaraInvitationStatus): InvitationStatus {
  return mustMap(INVITATION_STATUSES_BY_WIRE_VALUE, status);
}

/** Only the filter sends expiries; the reverse is for the round-trip test of the table. */
export function toInvitationExpiry(expiry: AvaraInvitationExpiry): InvitationExpiry {
  return mustMap(INVITATION_EXPIRIES_BY_WIRE_VALUE, expiry);
}

/** For enums whose wire values the answer's schema check has already pinned down. */
function mustMap<Name>(table: ReadonlyMap<string, Name>, wire: string): Name {
  const name = table.get(wire);
  if (name === undefined) throw new TypeError(`No GraphQL name for wire value ${wire}`);
  return name;
}
