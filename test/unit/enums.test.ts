import { readFileSync } from 'node:fs';
import { describe, it, expect } from '@jest/globals';
import { Kind, parse } from 'graphql';
import type { EnumTypeDefinitionNode, EnumValueDefinitionNode } from 'graphql';
import {
  ASSIGNABLE_USER_LEVEL_WIRE_VALUES,
  CLINIC_ROLE_WIRE_VALUES,
  INVITATION_EXPIRY_WIRE_VALUES,
  INVITATION_STATUS_WIRE_VALUES,
  INVITED_SOURCE_WIRE_VALUES,
  KNOWN_CLINIC_ROLE_LABELS,
  USER_LEVEL_WIRE_VALUES,
  toClinicRole,
  toInvitationExpiry,
  toInvitationStatus,
  toInvitedSource,
  toUserLevel,
} from '../../src/graphql/enums.js';
import type { ClinicRole } from '../../src/__generated__/resolvers-types.js';

/**
 * The clinicRole table of `avara-users-api.md`, copied row by row: (GraphQL name, wire value).
 * PACS Administrator is listed there with the note "(older API versions only)", which is not part
 * of its wire value.
 */
const CLINIC_ROLE_ROWS: readonly (readonly [string, string])[] = [
  ['DOCTOR', 'Doctor'],
  ['PHYSICIAN', 'Physician'],
  ['SURGEON', 'Surgeon'],
  ['RADIOLOGIST', 'Radiologist'],
  ['CARDIOLOGIST', 'Cardiologist'],
  ['NEUROLOGIST', 'Neurologist'],
  ['UROLOGIST', 'Urologist'],
  ['GYNECOLOGIST', 'Gynecologist'],
  ['ENDOCRINOLOGIST', 'Endocrinologist'],
  ['ONCOLOGIST', 'Oncologist'],
  ['RADIATION_ONCOLOGIST', 'Radiation Oncologist'],
  ['HEMATOLOGIST', 'Hematologist'],
  ['GASTROENTEROLOGIST', 'Gastroenterologist'],
  ['PULMONOLOGIST', 'Pulmonologist'],
  ['NEPHROLOGIST', 'Nephrologist'],
  ['RHEUMATOLOGIST', 'Rheumatologist'],
  ['DERMATOLOGIST', 'Dermatologist'],
  ['OPHTHALMOLOGIST', 'Ophthalmologist'],
  ['OTOLARYNGOLOGIST', 'Otolaryngologist'],
  ['PEDIATRICIAN', 'Pediatrician'],
  ['OBSTETRICIAN', 'Obstetrician'],
  ['PSYCHIATRIST', 'Psychiatrist'],
  ['ANESTHESIOLOGIST', 'Anesthesiologist'],
  ['EMERGENCY_MEDICINE_PHYSICIAN', 'Emergency Medicine Physician'],
  ['FAMILY_MEDICINE_PHYSICIAN', 'Family Medicine Physician'],
  ['INTERNAL_MEDICINE_PHYSICIAN', 'Internal Medicine Physician'],
  ['PATHOLOGIST', 'Pathologist'],
  ['NUCLEAR_MEDICINE_PHYSICIAN', 'Nuclear Medicine Physician'],
  ['PAIN_MANAGEMENT_SPECIALIST', 'Pain Management Specialist'],
  ['INFECTIOUS_DISEASE_SPECIALIST', 'Infectious Disease Specialist'],
  ['IMMUNOLOGIST', 'Immunologist'],
  ['PHYSICIAN_ASSISTANT', 'Physician Assistant'],
  ['NURSE_PRACTITIONER', 'Nurse Practitioner'],
  ['CERTIFIED_REGISTERED_NURSE_ANESTHETIST', 'Certified Registered Nurse Anesthetist'],
  ['PSYCHOLOGIST', 'Psychologist'],
  ['MEDICAL_ASSISTANT', 'Medical Assistant'],
  ['SCRIBE', 'Scribe'],
  ['REGISTERED_NURSE', 'Registered Nurse'],
  ['NURSE_MANAGER', 'Nurse Manager'],
  ['PATIENT_CARE_COORDINATOR', 'Patient Care Coordinator'],
  ['IMAGING_TECHNOLOGIST', 'Imaging Technologist'],
  ['LABORATORY_TECHNICIAN', 'Laboratory Technician'],
  ['MEDICAL_LABORATORY_SCIENTIST', 'Medical Laboratory Scientist'],
  ['PATHOLOGISTS_ASSISTANT', "Pathologists' Assistant"],
  ['PHLEBOTOMIST', 'Phlebotomist'],
  ['PHARMACIST', 'Pharmacist'],
  ['PHARMACY_TECHNICIAN', 'Pharmacy Technician'],
  ['PHYSICAL_THERAPIST', 'Physical Therapist'],
  ['OCCUPATIONAL_THERAPIST', 'Occupational Therapist'],
  ['SPEECH_LANGUAGE_PATHOLOGIST', 'Speech-Language Pathologist'],
  ['RESPIRATORY_THERAPIST', 'Respiratory Therapist'],
  ['NUTRITIONIST', 'Nutritionist'],
  ['FRONT_DESK_OPERATOR', 'Front Desk Operator'],
  ['REVENUE_CYCLE_MANAGER', 'Revenue Cycle Manager'],
  ['ADMINISTRATIVE_DIRECTOR', 'Administrative Director'],
  ['ADMINISTRATIVE_ASSISTANT', 'Administrative Assistant'],
  ['LEGAL_ADMINISTRATOR', 'Legal Administrator'],
  ['IT_ADMINISTRATOR', 'IT Administrator'],
  ['IT_SUPPORT', 'IT Support'],
  ['SOFTWARE_ENGINEER', 'Software Engineer'],
  ['PACS_ADMINISTRATOR', 'PACS Administrator'],
  ['OTHER', 'Other'],
];

/** The naming rule of the reference: upper-cased, apostrophes dropped, spaces and hyphens → `_`. */
function sdkConstantName(label: string): string {
  return label.toUpperCase().replaceAll("'", '').replace(/[ -]/g, '_');
}

/** The contract's other enums: GraphQL name → wire value. */
const USER_LEVEL_ROWS = [
  ['OWNER', 'owner'],
  ['ADMIN', 'admin'],
  ['MEMBER', 'member'],
] as const;
/** `OWNER` cannot be assigned through the API. */
const ASSIGNABLE_USER_LEVEL_ROWS = [
  ['ADMIN', 'admin'],
  ['MEMBER', 'member'],
] as const;
const INVITED_SOURCE_ROWS = [
  ['DASHBOARD', 'dashboard'],
  ['API', 'api'],
] as const;

/** The reference's invitation `status` values, in its order. */
const INVITATION_STATUS_ROWS = [
  ['SENT', 'sent'],
  ['ACCEPTED', 'accepted'],
  ['REJECTED', 'rejected'],
  ['REVOKED', 'revoked'],
] as const;

/** The reference's `expired` filter values. */
const INVITATION_EXPIRY_ROWS = [
  ['ALL', 'all'],
  ['EXPIRED', 'expired'],
  ['NOT_EXPIRED', 'not-expired'],
] as const;

const schemaDocument = parse(
  readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'),
);

function schemaEnum(name: string): EnumTypeDefinitionNode {
  const found = schemaDocument.definitions.find(
    (node): node is EnumTypeDefinitionNode =>
      node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === name,
  );
  if (!found) throw new Error(`schema.graphql has no enum ${name}`);
  return found;
}

function schemaEnumValues(name: string): EnumValueDefinitionNode[] {
  return [...(schemaEnum(name).values ?? [])];
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('enum tables', () => {
  describe('ClinicRole', () => {
    it('has the 62 rows of the API reference', () => {
      expect(CLINIC_ROLE_ROWS).toHaveLength(62);
      expect(new Set(CLINIC_ROLE_ROWS.map(([name]) => name)).size).toBe(62);
      expect(new Set(CLINIC_ROLE_ROWS.map(([, wire]) => wire)).size).toBe(62);
    });

    it.each(CLINIC_ROLE_ROWS)('names %s after its label %p as the SDKs do', (name, wire) => {
      expect(sdkConstantName(wire)).toBe(name);
    });

    it.each(CLINIC_ROLE_ROWS)('sends %s as %p', (name, wire) => {
      expect(CLINIC_ROLE_WIRE_VALUES[name as ClinicRole]).toBe(wire);
    });

    it.each(CLINIC_ROLE_ROWS)('reads %s back from %p', (name, wire) => {
      expect(toClinicRole(wire)).toBe(name);
    });

    it('has exactly the names of the API reference, no more', () => {
      expect(sorted(Object.keys(CLINIC_ROLE_WIRE_VALUES))).toEqual(
        sorted(CLINIC_ROLE_ROWS.map(([name]) => name)),
      );
    });

    it('knows exactly the labels of the API reference', () => {
      expect(sorted(KNOWN_CLINIC_ROLE_LABELS)).toEqual(
        sorted(CLINIC_ROLE_ROWS.map(([, wire]) => wire)),
      );
    });

    it.each([
      'Chiropractor',
      '',
      'doctor',
      'Doctor ',
      ' Doctor',
      'DOCTOR',
      'PACS Administrator (older API versions only)',
    ])('gives null for the unknown label %p rather than guessing a known role', (label) => {
      expect(toClinicRole(label)).toBeNull();
    });

    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
      'gives null for the label %p, which only looks like a property name',
      (label) => {
        expect(toClinicRole(label)).toBeNull();
      },
    );
  });

  describe('UserLevel', () => {
    it.each(USER_LEVEL_ROWS)('sends %s as %p', (name, wire) => {
      expect(USER_LEVEL_WIRE_VALUES[name]).toBe(wire);
    });

    it.each(USER_LEVEL_ROWS)('reads %s back from %p', (name, wire) => {
      expect(toUserLevel(wire)).toBe(name);
    });

    it('has exactly the names OWNER, ADMIN and MEMBER', () => {
      expect(sorted(Object.keys(USER_LEVEL_WIRE_VALUES))).toEqual(
        sorted(USER_LEVEL_ROWS.map(([name]) => name)),
      );
    });
  });

  describe('AssignableUserLevel', () => {
    it.each(ASSIGNABLE_USER_LEVEL_ROWS)('sends %s as %p', (name, wire) => {
      expect(ASSIGNABLE_USER_LEVEL_WIRE_VALUES[name]).toBe(wire);
    });

    it('has exactly ADMIN and MEMBER: OWNER cannot be assigned through the API', () => {
      expect(sorted(Object.keys(ASSIGNABLE_USER_LEVEL_WIRE_VALUES))).toEqual(['ADMIN', 'MEMBER']);
    });
  });

  describe('InvitedSource', () => {
    it.each(INVITED_SOURCE_ROWS)('sends %s as %p', (name, wire) => {
      expect(INVITED_SOURCE_WIRE_VALUES[name]).toBe(wire);
    });

    it.each(INVITED_SOURCE_ROWS)('reads %s back from %p', (name, wire) => {
      expect(toInvitedSource(wire)).toBe(name);
    });

    it('has exactly the names DASHBOARD and API', () => {
      expect(sorted(Object.keys(INVITED_SOURCE_WIRE_VALUES))).toEqual(
        sorted(INVITED_SOURCE_ROWS.map(([name]) => name)),
      );
    });
  });

  describe('InvitationStatus', () => {
    it.each(INVITATION_STATUS_ROWS)('sends %s as %p', (name, wire) => {
      expect(INVITATION_STATUS_WIRE_VALUES[name]).toBe(wire);
    });

    it.each(INVITATION_STATUS_ROWS)('reads %s back from %p', (name, wire) => {
      expect(toInvitationStatus(wire)).toBe(name);
    });

    it("lists the statuses in Avara's order, the order a status filter is sent in", () => {
      expect(Object.values(INVITATION_STATUS_WIRE_VALUES)).toEqual(
        INVITATION_STATUS_ROWS.map(([, wire]) => wire),
      );
    });
  });

  describe('InvitationExpiry', () => {
    it.each(INVITATION_EXPIRY_ROWS)('sends %s as %p', (name, wire) => {
      expect(INVITATION_EXPIRY_WIRE_VALUES[name]).toBe(wire);
    });

    it.each(INVITATION_EXPIRY_ROWS)('reads %s back from %p', (name, wire) => {
      expect(toInvitationExpiry(wire)).toBe(name);
    });
  });

  describe('agreement with schema.graphql', () => {
    it('declares ClinicRole with exactly the names of the API reference', () => {
      expect(sorted(schemaEnumValues('ClinicRole').map((value) => value.name.value))).toEqual(
        sorted(CLINIC_ROLE_ROWS.map(([name]) => name)),
      );
    });

    it.each(CLINIC_ROLE_ROWS)('documents ClinicRole.%s with its wire value %p', (name, wire) => {
      const value = schemaEnumValues('ClinicRole').find((node) => node.name.value === name);
      expect(value?.description?.value).toContain(`\`${wire}\``);
    });

    it('deprecates PACS_ADMINISTRATOR, which newer API versions dropped, with a reason', () => {
      const pacs = schemaEnumValues('ClinicRole').find(
        (value) => value.name.value === 'PACS_ADMINISTRATOR',
      );
      const deprecated = pacs?.directives?.find(
        (directive) => directive.name.value === 'deprecated',
      );
      const reason = deprecated?.arguments?.find((argument) => argument.name.value === 'reason');
      expect(reason?.value.kind).toBe(Kind.STRING);
      expect(reason?.value.kind === Kind.STRING && reason.value.value.trim()).toBeTruthy();
    });

    it.each([
      ['UserLevel', USER_LEVEL_WIRE_VALUES, USER_LEVEL_ROWS],
      ['AssignableUserLevel', ASSIGNABLE_USER_LEVEL_WIRE_VALUES, ASSIGNABLE_USER_LEVEL_ROWS],
      ['InvitedSource', INVITED_SOURCE_WIRE_VALUES, INVITED_SOURCE_ROWS],
      ['InvitationStatus', INVITATION_STATUS_WIRE_VALUES, INVITATION_STATUS_ROWS],
      ['InvitationExpiry', INVITATION_EXPIRY_WIRE_VALUES, INVITATION_EXPIRY_ROWS],
    ] as const)(
      'declares %s with exactly the names the contract gives and the table covers',
      (enumName, table, rows) => {
        const declared = sorted(schemaEnumValues(enumName).map((value) => value.name.value));
        expect(declared).toEqual(sorted(rows.map(([name]) => name)));
        expect(declared).toEqual(sorted(Object.keys(table)));
      },
    );
  });
});
