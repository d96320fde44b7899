/**
 * The log is read by operators, shipped to log stores and kept for months: it must hold no
 * credential and no personal data. This drives every success and failure path of every
 * operation (`user`, `users`, `updateUser`, `inviteUser`, the revokes, `invitation`,
 * `invitations`, `updateInvitation`, `_entities`, and the HTTP errors raised before GraphQL runs), with every kind
 * of credential, then searches everything the gateway logged for each secret and each piece of
 * personal data that went through it.
 *
 * Each path carries its own personal data, so a leaked value names the path that leaked it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AvaraClient } from '../../src/avara/client.js';
import { loadConfig } from '../../src/config.js';
import {
  DEMO_INVITATIONS,
  DEMO_USERS,
  SEED_INVITATION_ID,
  SEED_USER_ID,
} from '../../src/demo/seed.js';
import type { DemoFault, FaultMatch } from '../../src/demo/server.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatewayServer } from '../../src/server.js';
import {
  GATEWAY_API_KEY,
  postGraphQL,
  startHarness,
  type GraphQLResponse,
  type Harness,
} from '../support/harness.js';
import { createBuggyClient } from '../support/buggy-client.js';

const CALLER_TOKEN = 'caller-secret-XYZ';
const ROUTER_SECRET = 'router-secret-4c1d9e';

const SECRETS = [
  ["the caller's bearer token", CALLER_TOKEN],
  ["the gateway's own Avara key", GATEWAY_API_KEY],
  ['the router secret', ROUTER_SECRET],
] as const;

/** The personal data among the ten updatable fields. */
const PATCHED = {
  firstName: 'Zelda-Quintessa',
  middleName: 'Philippa-Ottoline',
  lastName: 'Vandersloot-Ikeoluwa',
  suffix1: 'Esq-Quintus',
  suffix2: 'DPhil-Zebulon',
  phoneNumber: '4445556667',
};
/** All ten updatable fields. */
const FULL_PATCH = {
  ...PATCHED,
  clinicRole: 'NEPHROLOGIST',
  level: 'ADMIN',
  canManageStudies: false,
  hasDashboardAccess: true,
};
/** Sent beside invalid values: a refused input is still personal data. */
const REFUSED = {
  firstName: 'Rosalind-Achterberg',
  middleName: 'Evangelina-Ruth',
  lastName: 'Kowalczyk-Brandvold',
  suffix1: 'Jr-Ottavio',
  phoneNumber: '+1 (444) 555-6669',
};
/** The personal data of an invitation sent. */
const INVITED = {
  email: 'p.quarrington@clinic.example',
  firstName: 'Perpetua-Quarrington',
  middleName: 'Honoria-Blythe',
  lastName: 'Oyelaran-Thistlewood',
  suffix1: 'Esq-Barnaby',
  phoneNumber: '4445556661',
};
const INVITE_INPUT = {
  ...INVITED,
  clinicRole: 'SCRIBE',
  level: 'MEMBER',
  canManageStudies: false,
  hasDashboardAccess: false,
};
/** An invite refused by validation: still personal data. */
const REFUSED_INVITE = {
  email: 'r.invitee at clinic.example',
  firstName: 'Ottoline-Refusedinvite',
  lastName: 'Quennell-Refusedinvite',
  phoneNumber: '+1 (444) 555-6663',
};
/** A list filter is personal data too, and goes upstream in a query string. */
const FILTERED = {
  email: 'wilhelmina.filter@clinic.example',
  firstName: 'Wilhelmina-Filter',
  lastName: 'Ostrowski-Filter',
};
const REFUSED_FILTER = { lastName: 'Aurelio-Overlong-Filter-'.repeat(5) };
/** A change to a pending invitation. */
const INVITATION_PATCH = { firstName: 'Clementine-Invitee', phoneNumber: '4445556662' };
/** A caller who put an email where a userId goes. */
const EMAIL_AS_USER_ID = 'zelda.quintessa@clinic.example';
/** What Avara says about the request in a 4xx body (kept for the client, as the contract says). */
const UPSTREAM_4XX = {
  name: 'Bartholomew-Ngata',
  phone: '6667778889',
  email: 'b.ngata@clinic.example',
};
const UPSTREAM_4XX_MESSAGE = `phone ${UPSTREAM_4XX.phone} invalid for ${UPSTREAM_4XX.name} <${UPSTREAM_4XX.email}>`;
/** What a struggling Avara puts in a 5xx body. */
const UPSTREAM_5XX = { name: 'Cordelia-Fairweather', phone: '7778889990' };
const UPSTREAM_5XX_MESSAGE = `row for ${UPSTREAM_5XX.name} ${UPSTREAM_5XX.phone} is locked`;
/** A 2xx answer that is not the documented user. */
const MALFORMED = { name: 'Octavia-Rensselaer', phone: '2223334445' };
/** Written into the document itself, not into variables (which are never logged). */
const INLINE = { name: 'Ysolde-Marchetti', phone: '3332221110' };
/** A variable of the wrong type: GraphQL's own coercion error quotes the value. */
const MISTYPED = { name: 'Ignatius-Pemberton' };
/** A document that does not parse. */
const UNPARSED = { name: 'Leopoldina-Strand' };
/** Bodies refused before GraphQL runs (too large, not JSON). */
const REFUSED_BODY = { name: 'Marguerite-Okonkwo', phone: '9998887776' };

const SENT_PERSONAL_DATA: readonly (readonly [string, string])[] = [
  ...Object.entries(PATCHED).map(
    ([field, value]) => [`the ${field} of a successful updateUser`, value] as const,
  ),
  ...Object.entries(REFUSED).map(
    ([field, value]) => [`the ${field} of an updateUser refused by validation`, value] as const,
  ),
  ['an email sent as a userId', EMAIL_AS_USER_ID],
  ...Object.entries(INVITED).map(
    ([field, value]) => [`the ${field} of a successful inviteUser`, value] as const,
  ),
  ...Object.entries(REFUSED_INVITE).map(
    ([field, value]) => [`the ${field} of an inviteUser refused by validation`, value] as const,
  ),
  ...Object.entries(FILTERED).map(
    ([field, value]) => [`the ${field} of a users filter`, value] as const,
  ),
  ['the lastName of a users filter refused by validation', REFUSED_FILTER.lastName],
  ...Object.entries(INVITATION_PATCH).map(
    ([field, value]) => [`the ${field} of an updateInvitation`, value] as const,
  ),
  ...Object.entries(UPSTREAM_4XX).map(
    ([part, value]) => [`the ${part} in an upstream 4xx message`, value] as const,
  ),
  ...Object.entries(UPSTREAM_5XX).map(
    ([part, value]) => [`the ${part} in an upstream 5xx body`, value] as const,
  ),
  ...Object.entries(MALFORMED).map(
    ([part, value]) => [`the ${part} in a malformed upstream answer`, value] as const,
  ),
  ...Object.entries(INLINE).map(
    ([part, value]) => [`the ${part} written into a mutation document`, value] as const,
  ),
  ['the name in a mistyped variable', MISTYPED.name],
  ['the name in a document that does not parse', UNPARSED.name],
  ...Object.entries(REFUSED_BODY).map(
    ([part, value]) => [`the ${part} in a body refused before GraphQL`, value] as const,
  ),
];

const PERSONAL_FIELDS = [
  'firstName',
  'middleName',
  'lastName',
  'suffix1',
  'suffix2',
  'email',
  'phoneNumber',
] as const;

/**
 * Every seeded user's and invitation's personal data; the successful `_entities`, `users` and
 * `invitations` reads return all of them.
 */
const SEEDED_PERSONAL_DATA: readonly (readonly [string, string])[] = [
  ...DEMO_USERS,
  ...DEMO_INVITATIONS,
].flatMap((record) =>
  PERSONAL_FIELDS.flatMap((field) => {
    const value = record[field];
    const whose = 'invitationId' in record ? 'invitation' : 'user';
    return typeof value === 'string'
      ? [[`${whose} ${record.firstName} ${record.lastName}'s ${field}`, value] as const]
      : [];
  }),
);

const USER_FIELDS = `userId email firstName middleName lastName suffix1 suffix2 phoneNumber
  clinicRole clinicRoleLabel level canManageStudies hasDashboardAccess`;

const INVITATION_FIELDS = `invitationId userId email firstName middleName lastName suffix1 suffix2
  phoneNumber clinicRole clinicRoleLabel level status inviterId`;

/** A user whose access the demo lets anyone revoke (not the owner). */
const REVOCABLE_USER_ID = 'usr_7a1e5d9c3b2f4e8a6d0c1b9e7f3a5d24';

type Operation =
  | 'user'
  | 'updateUser'
  | '_entities'
  | 'users'
  | 'invitation'
  | 'invitations'
  | 'inviteUser'
  | 'revokeUserAccess'
  | 'reactivateUser'
  | 'updateInvitation'
  | 'revokeInvitation';
const OPERATIONS: readonly Operation[] = [
  'user',
  'updateUser',
  '_entities',
  'users',
  'invitation',
  'invitations',
  'inviteUser',
  'revokeUserAccess',
  'reactivateUser',
  'updateInvitation',
  'revokeInvitation',
];
/** Reads of one record: Avara's 404 is `null`, not an error. */
const NULL_ON_404: ReadonlySet<Operation> = new Set(['user', '_entities', 'invitation']);
/** Operations whose answer shows a clinicRole (so an unknown one is warned about). */
const SHOWS_ROLE: readonly Operation[] = OPERATIONS.filter((op) => op !== 'revokeInvitation');

interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function requestFor(
  operation: Operation,
  { userIds = [SEED_USER_ID], input = {} }: { userIds?: string[]; input?: object } = {},
): GraphQLRequest {
  switch (operation) {
    case 'user':
      return {
        query: `query ReadUser($userId: ID!) { user(userId: $userId) { ${USER_FIELDS} } }`,
        variables: { userId: userIds[0] },
      };
    case 'updateUser':
      return {
        query: `mutation ChangeUser($userId: ID!, $input: UserPatchInput!) {
          updateUser(userId: $userId, input: $input) { ${USER_FIELDS} }
        }`,
        variables: { userId: userIds[0], input },
      };
    case '_entities':
      return {
        query: `query ResolveUsers($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on User { ${USER_FIELDS} } }
        }`,
        variables: {
          representations: userIds.map((userId) => ({ __typename: 'User', userId })),
        },
      };
    case 'users':
      return {
        query: `query ListUsers($filter: UserFilter) { users(first: 50, filter: $filter) { nodes { ${USER_FIELDS} } } }`,
        variables: { filter: input },
      };
    case 'invitation':
      return {
        query: `query ReadInvitation($invitationId: ID!) { invitation(invitationId: $invitationId) { ${INVITATION_FIELDS} } }`,
        variables: { invitationId: SEED_INVITATION_ID },
      };
    case 'invitations':
      return {
        query: `query ListInvitations($filter: InvitationFilter) {
          invitations(first: 50, filter: $filter) { nodes { ${INVITATION_FIELDS} } }
        }`,
        variables: { filter: input },
      };
    case 'inviteUser':
      return {
        query: `mutation Invite($input: UserInviteInput!) { inviteUser(input: $input) { ${USER_FIELDS} } }`,
        variables: { input: { ...INVITE_INPUT, ...input } },
      };
    case 'revokeUserAccess':
      return {
        query: `mutation Revoke($userId: ID!) {
          revokeUserAccess(userId: $userId) { success message user { ${USER_FIELDS} } }
        }`,
        variables: { userId: REVOCABLE_USER_ID },
      };
    case 'reactivateUser':
      // Only a revoked user can be reactivated: revoke first, in the same operation.
      return {
        query: `mutation RevokeThenReactivate($userId: ID!) {
          revokeUserAccess(userId: $userId) { success }
          reactivateUser(userId: $userId) { success message user { ${USER_FIELDS} } }
        }`,
        variables: { userId: REVOCABLE_USER_ID },
      };
    case 'updateInvitation':
      return {
        query: `mutation ChangeInvitation($invitationId: ID!, $input: UserPatchInput!) {
          updateInvitation(invitationId: $invitationId, input: $input) { ${INVITATION_FIELDS} }
        }`,
        variables: { invitationId: SEED_INVITATION_ID, input: { ...INVITATION_PATCH, ...input } },
      };
    case 'revokeInvitation':
      return {
        query: `mutation RevokeInvitation($invitationId: ID, $userId: ID) {
          revokeInvitation(invitationId: $invitationId, userId: $userId) { success message }
        }`,
        variables: { invitationId: SEED_INVITATION_ID, ...input },
      };
  }
}

/** One path through the gateway: what is sent, what Avara does, and the errors that must come back. */
interface Path {
  name: string;
  request: GraphQLRequest;
  fault?: DemoFault;
  faultMatch?: FaultMatch;
  /** `CODE` or `CODE ← Avara STATUS`, one per error; `[]` for success. */
  errors: string[];
}

const ALL_SEEDED_IDS = DEMO_USERS.map((user) => user.userId);

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
  500: 'UPSTREAM_ERROR',
  502: 'UPSTREAM_UNAVAILABLE',
  503: 'UPSTREAM_UNAVAILABLE',
  504: 'UPSTREAM_UNAVAILABLE',
};

/** Every path that reaches Avara, or would, for one operation. */
function upstreamPaths(operation: Operation): Path[] {
  const userIds = operation === '_entities' ? ALL_SEEDED_IDS : [SEED_USER_ID];
  const request = requestFor(operation, {
    userIds,
    input: operation === 'updateUser' ? FULL_PATCH : {},
  });
  const always = { times: Infinity };
  // One error per user looked up.
  const failEach = (code: string, count = userIds.length) => Array<string>(count).fill(code);
  return [
    { name: `${operation} succeeds`, request, errors: [] },
    {
      name: `${operation} meets a clinicRole the gateway does not know`,
      request,
      fault: { clinicRole: 'Oncology Nurse Navigator' },
      faultMatch: always,
      errors: [],
    },
    ...Object.entries(CODE_BY_STATUS).map(([text, code]): Path => {
      const status = Number(text);
      // A read of a record Avara does not know is null, not an error.
      const errors =
        status === 404 && NULL_ON_404.has(operation) ? [] : failEach(`${code} ← Avara ${status}`);
      return {
        name: `${operation} gets ${status} from Avara`,
        request,
        fault: {
          status,
          body: { message: status < 500 ? UPSTREAM_4XX_MESSAGE : UPSTREAM_5XX_MESSAGE },
        },
        faultMatch: always,
        errors,
      };
    }),
    {
      name: `${operation} loses its connection`,
      request,
      fault: { drop: true },
      faultMatch: always,
      errors: failEach('UPSTREAM_UNAVAILABLE'),
    },
    {
      name: `${operation} gets an answer that is not JSON`,
      request,
      fault: {
        status: 200,
        rawBody: `{"firstName":"${MALFORMED.name}","phoneNumber":"${MALFORMED.phone}"`,
      },
      faultMatch: always,
      errors: failEach('UPSTREAM_ERROR ← Avara 200'),
    },
    {
      name: `${operation} gets JSON that is not a user`,
      request,
      fault: {
        status: 200,
        body: { userId: SEED_USER_ID, firstName: MALFORMED.name, phoneNumber: MALFORMED.phone },
      },
      faultMatch: always,
      errors: failEach('UPSTREAM_ERROR ← Avara 200'),
    },
  ];
}

/**
 * The path on which Avara does not answer in time, for one operation. These run on a gateway of
 * their own with a short attempt timeout, so that the other paths keep a timeout no busy machine
 * can make them meet.
 */
function timeoutPath(operation: Operation): Path {
  const userIds = operation === '_entities' ? ALL_SEEDED_IDS.slice(0, 2) : [SEED_USER_ID];
  return {
    name: `${operation} times out`,
    // Two users at most: the demo keeps an abort listener per delayed answer and warns past ten.
    request: requestFor(operation, {
      userIds,
      input: operation === 'updateUser' ? FULL_PATCH : {},
    }),
    // Far longer than the attempt timeout, then dropped, so a late write cannot land in a later path.
    fault: { delayMs: 1_000, drop: true },
    faultMatch: { times: Infinity },
    errors: Array<string>(userIds.length).fill('UPSTREAM_TIMEOUT'),
  };
}
const TIMEOUT_PATHS: Path[] = OPERATIONS.map(timeoutPath);

/** Paths refused by the gateway's own validation, before anything is sent. */
const VALIDATION_PATHS: Path[] = [
  ...(['user', 'updateUser', '_entities'] as const).map((operation): Path => ({
    name: `${operation} with an email as userId`,
    request: requestFor(operation, { userIds: [EMAIL_AS_USER_ID], input: REFUSED }),
    errors: ['BAD_USER_INPUT'],
  })),
  ...[
    { what: 'a phone number that is not 10-15 digits', input: REFUSED },
    { what: 'an empty name', input: { ...REFUSED, phoneNumber: undefined, firstName: '' } },
    {
      what: 'null for a field that cannot be cleared',
      input: { ...REFUSED, phoneNumber: undefined, lastName: null },
    },
    {
      what: 'ADMIN without dashboard access',
      input: { ...REFUSED, phoneNumber: undefined, level: 'ADMIN', hasDashboardAccess: false },
    },
  ].map(({ what, input }): Path => ({
    name: `updateUser with ${what}`,
    request: requestFor('updateUser', { input }),
    errors: ['BAD_USER_INPUT'],
  })),
  {
    name: 'updateUser with personal data written into the document',
    request: {
      query: `mutation { updateUser(userId: "${SEED_USER_ID}", input: {
        firstName: "${INLINE.name}", phoneNumber: "${INLINE.phone}"
      }) { ${USER_FIELDS} } }`,
    },
    errors: [],
  },
  {
    name: 'updateUser with a variable of the wrong type',
    request: requestFor('updateUser', { input: { firstName: [MISTYPED.name] } }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'inviteUser with a malformed email and phone number',
    request: requestFor('inviteUser', { input: REFUSED_INVITE }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'users filtered by personal data',
    request: requestFor('users', { input: FILTERED }),
    errors: [],
  },
  {
    name: 'users with a filter over its maximum length',
    request: requestFor('users', { input: REFUSED_FILTER }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'invitations filtered by an email as userId',
    request: requestFor('invitations', { input: { userId: EMAIL_AS_USER_ID } }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'updateInvitation with a malformed phone number',
    request: requestFor('updateInvitation', { input: { phoneNumber: REFUSED.phoneNumber } }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'revokeInvitation with an email as userId',
    request: requestFor('revokeInvitation', {
      input: { invitationId: null, userId: EMAIL_AS_USER_ID },
    }),
    errors: ['BAD_USER_INPUT'],
  },
  {
    name: 'a document that does not parse',
    request: { query: `{ user(userId: "${UNPARSED.name}` },
    errors: ['GRAPHQL_PARSE_FAILED'],
  },
];

/** The paths of the users resource's newer operations, driven on a harness of their own. */
const RESOURCE_OPERATIONS = OPERATIONS.filter(
  (operation) => !['user', 'updateUser', '_entities'].includes(operation),
);
const RESOURCE_PATHS: Path[] = RESOURCE_OPERATIONS.flatMap(upstreamPaths);
const MAIN_PATHS: Path[] = [
  ...OPERATIONS.filter((operation) => !RESOURCE_OPERATIONS.includes(operation)).flatMap(
    upstreamPaths,
  ),
  ...VALIDATION_PATHS,
];

/** With no caller credential and no gateway key, nothing is sent. */
const NO_CREDENTIAL_PATHS: Path[] = OPERATIONS.map((operation) => ({
  name: `${operation} with no credential at all`,
  request: requestFor(operation, { input: operation === 'updateUser' ? FULL_PATCH : {} }),
  errors: ['UNAUTHENTICATED'],
}));

/** A circuit opened by one 500 (threshold 1) refuses what follows without calling Avara. */
const OPEN_CIRCUIT_PATHS: Path[] = [
  {
    name: 'user opens the circuit',
    request: requestFor('user'),
    // A dropped connection opens it (one failed attempt is the volume here); the retry is refused
    // and the drop itself is reported. With the second credential the circuit is already open.
    fault: { drop: true },
    errors: ['UPSTREAM_UNAVAILABLE'],
  },
  ...OPERATIONS.map((operation): Path => ({
    name: `${operation} is refused by the open circuit`,
    request: requestFor(operation, { input: operation === 'updateUser' ? FULL_PATCH : {} }),
    errors: ['UPSTREAM_UNAVAILABLE'],
  })),
];

/** Every path is driven once with each credential the gateway can send upstream. */
const CREDENTIALS: readonly (readonly [string, Record<string, string>])[] = [
  ["with the caller's token", { authorization: `Bearer ${CALLER_TOKEN}` }],
  ["with the gateway's key", {}],
];

/** Requests refused over HTTP before GraphQL runs: no operation, so no operation line. */
const HTTP_REFUSALS: {
  name: string;
  body: string;
  headers: Record<string, string>;
  status: number;
}[] = [
  {
    name: 'no Router-Authorization',
    body: JSON.stringify(requestFor('updateUser', { input: FULL_PATCH })),
    headers: { authorization: `Bearer ${CALLER_TOKEN}` },
    status: 401,
  },
  {
    name: 'a wrong Router-Authorization',
    body: JSON.stringify(requestFor('updateUser', { input: FULL_PATCH })),
    headers: { 'router-authorization': `${ROUTER_SECRET}-wrong` },
    status: 401,
  },
  {
    name: 'a body over 100 000 bytes',
    body: JSON.stringify(
      requestFor('updateUser', {
        input: { firstName: REFUSED_BODY.name, suffix2: REFUSED_BODY.phone.repeat(10_001) },
      }),
    ),
    headers: { 'router-authorization': ROUTER_SECRET },
    status: 413,
  },
  {
    name: 'a request from a foreign origin',
    body: JSON.stringify(requestFor('updateUser', { input: FULL_PATCH })),
    headers: { origin: 'https://evil.example', 'router-authorization': ROUTER_SECRET },
    status: 403,
  },
  {
    name: 'a batched body (refused by Apollo Server before its pipeline)',
    body: JSON.stringify([requestFor('updateUser', { input: FULL_PATCH })]),
    headers: { 'router-authorization': ROUTER_SECRET },
    status: 400,
  },
  {
    name: 'a body that is not JSON',
    body: `{"query": "{ user(userId: \\"${REFUSED_BODY.name}\\") }", "phone": ${REFUSED_BODY.phone}`,
    headers: { 'router-authorization': ROUTER_SECRET },
    status: 400,
  },
];

interface Outcome {
  name: string;
  requestId: string;
  errors: string[];
}

function describeErrors(response: GraphQLResponse): string[] {
  const errors: { extensions?: { code?: string; upstream?: { status: number } } }[] =
    response.body?.errors ?? [];
  return errors.map(({ extensions }) =>
    extensions?.upstream
      ? `${extensions.code} ← Avara ${extensions.upstream.status}`
      : String(extensions?.code),
  );
}

type LogLine = Record<string, unknown>;
const parse = (lines: readonly string[]): LogLine[] =>
  lines.map((line) => JSON.parse(line) as LogLine);

describe('log privacy', () => {
  describe('every path through the gateway', () => {
    const harnesses: Harness[] = [];
    const outcomes: Outcome[] = [];
    const refusals: { name: string; requestId: string | null; status: number }[] = [];
    /** What went into the gateway, came out of it, or went to Avara: the data that could leak. */
    const traffic: string[] = [];
    const answers: string[] = [];
    let logs = '';
    let logLines: LogLine[] = [];

    async function drive(harness: Harness, paths: readonly Path[], credentials = CREDENTIALS) {
      for (const path of paths) {
        for (const [credential, authorization] of credentials) {
          harness.demo.reset();
          if (path.fault) harness.demo.inject(path.fault, path.faultMatch);
          const headers = { 'router-authorization': ROUTER_SECRET, ...authorization };

          const response = await harness.graphql(path.request, headers);

          // What the caller sent, what Avara answered (the fault) and what the gateway answered.
          traffic.push(JSON.stringify({ headers, request: path.request, fault: path.fault }));
          traffic.push(response.text);
          traffic.push(...harness.demo.requests.map((r) => JSON.stringify([r.headers, r.rawBody])));
          answers.push(response.text);
          outcomes.push({
            name: `${path.name} ${credential}`,
            requestId: response.headers.get('x-request-id') ?? '(none)',
            errors: describeErrors(response),
          });
        }
      }
    }

    beforeAll(async () => {
      const main = await startHarness({ routerSecret: ROUTER_SECRET });
      const resource = await startHarness({ routerSecret: ROUTER_SECRET });
      const slow = await startHarness({ avaraTimeoutMs: 200, routerSecret: ROUTER_SECRET });
      const noCredential = await startHarness({
        avaraApiKey: undefined,
        routerSecret: ROUTER_SECRET,
      });
      const openCircuit = await startHarness({
        avaraBreakerMinAttempts: 1,
        avaraBreakerHalfOpenMs: 600_000,
        routerSecret: ROUTER_SECRET,
      });
      harnesses.push(main, resource, slow, noCredential, openCircuit);

      // Two gateways and demo APIs side by side: the paths spend most of their time waiting.
      await Promise.all([
        drive(main, MAIN_PATHS),
        drive(resource, RESOURCE_PATHS),
        drive(slow, TIMEOUT_PATHS),
      ]);
      await drive(noCredential, NO_CREDENTIAL_PATHS, [CREDENTIALS[1]]);
      await drive(openCircuit, OPEN_CIRCUIT_PATHS);
      for (const { name, body, headers } of HTTP_REFUSALS) {
        const response = await postGraphQL(main.gateway.url, body, headers);
        traffic.push(JSON.stringify(headers), body, response.text);
        refusals.push({
          name,
          requestId: response.headers.get('x-request-id'),
          status: response.status,
        });
      }

      logs = harnesses.flatMap((harness) => harness.logs).join('');
      logLines = parse(harnesses.flatMap((harness) => harness.logs));
    }, 60_000);
    afterAll(() => Promise.all(harnesses.map((harness) => harness.close())));

    describe('drives each path it claims to', () => {
      it.each(
        [...MAIN_PATHS, ...RESOURCE_PATHS, ...TIMEOUT_PATHS, ...OPEN_CIRCUIT_PATHS]
          .flatMap((path) => CREDENTIALS.map(([credential]) => [path, credential] as const))
          .concat(NO_CREDENTIAL_PATHS.map((path) => [path, CREDENTIALS[1][0]] as const))
          .map(([path, credential]) => [`${path.name} ${credential}`, path.errors] as const),
      )('%s', (name, errors) => {
        const outcome = outcomes.find((candidate) => candidate.name === name);
        expect(outcome?.errors).toStrictEqual(errors);
      });

      it('wrote exactly one operation line per operation, naming its request and error codes', () => {
        const operationLines = logLines.filter((line) => line.msg === 'operation');
        expect(operationLines).toHaveLength(outcomes.length);
        for (const { requestId, errors } of outcomes) {
          const lines = operationLines.filter((line) => line.requestId === requestId);
          expect(lines).toHaveLength(1);
          // Distinct codes and a count: the line does not grow with the number of errors.
          const codes = errors.map((error) => error.split(' ')[0]);
          expect(lines[0].errorCodes).toStrictEqual([...new Set(codes)]);
          expect(lines[0].errorCount).toBe(codes.length);
        }
      });

      it('warned about the clinicRole it did not know', () => {
        const warned = new Set(
          logLines
            .filter((line) => line.level === 40 && String(line.msg).includes('clinicRole'))
            .map((line) => line.requestId),
        );
        const meetingUnknownRole = outcomes.filter(
          (o) =>
            o.name.includes('does not know') &&
            SHOWS_ROLE.some((operation) => o.name.startsWith(`${operation} `)),
        );
        expect(meetingUnknownRole).toHaveLength(SHOWS_ROLE.length * CREDENTIALS.length);
        for (const { requestId } of meetingUnknownRole) expect(warned).toContain(requestId);
      });

      it('refused the HTTP-level requests with their status and a request id', () => {
        expect(refusals.map(({ name, status }) => [name, status])).toStrictEqual(
          HTTP_REFUSALS.map(({ name, status }) => [name, status]),
        );
        for (const { requestId } of refusals) expect(requestId).toBeTruthy();
      });
    });

    describe('keeps out of its log', () => {
      it.each(SECRETS)('%s', (_what, secret) => {
        expect(traffic.join('\n')).toContain(secret);
        expect(logs).not.toContain(secret);
      });

      it.each(SEEDED_PERSONAL_DATA)('%s (%s), though answers carry it', (_what, value) => {
        expect(answers.join('\n')).toContain(value);
        expect(logs).not.toContain(value);
      });

      it.each(SENT_PERSONAL_DATA)('%s (%s)', (_what, value) => {
        expect(traffic.join('\n')).toContain(value);
        expect(logs).not.toContain(value);
      });
    });
  });

  describe('an unexpected error (a bug of ours)', () => {
    const email = 'dr.johnson@hospital.org';
    const phoneNumber = '5551234567';
    const bugMessage = `boom at ${email} ${phoneNumber}`;
    const client: AvaraClient = createBuggyClient(bugMessage);
    const lines: string[] = [];
    let gateway: GatewayServer;

    beforeAll(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      gateway = await createServer(
        {
          ...loadConfig({}),
          port: 0,
          avaraApiKey: GATEWAY_API_KEY,
          routerSecret: ROUTER_SECRET,
          production: true,
        },
        { logger: createLogger('debug', sink), client },
      );
      await postGraphQL(gateway.url, requestFor('user'), {
        authorization: `Bearer ${CALLER_TOKEN}`,
        'router-authorization': ROUTER_SECRET,
        'x-request-id': 'trace-bug',
      });
    });
    afterAll(() => gateway.close());

    it('is logged once, under its request id', () => {
      expect(parse(lines).filter((line) => line.msg === 'unexpected error')).toStrictEqual([
        expect.objectContaining({ requestId: 'trace-bug' }),
      ]);
    });

    it.each(SECRETS)('does not log %s with it', (_what, secret) => {
      expect(lines.join('')).not.toContain(secret);
    });

    // The message of an unexpected error can quote anything; the log keeps only its hash.
    it.each([email, phoneNumber])('does not log the personal data in its message (%s)', (value) => {
      expect(lines.join('')).not.toContain(value);
    });
  });
});
