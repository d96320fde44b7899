/**
 * GraphQL-over-HTTP conformance: every server audit of the graphql-http package, run against the
 * real gateway (introspection on) over loopback HTTP. No audit may end in `error`; an audit may
 * end in `warn` (a SHOULD the server skips) or `notice` (a MAY it declines) only when it is listed
 * below with the answer the gateway gives and why that is acceptable. A listed audit that starts
 * passing fails too, so the tables say what the server does today.
 *
 * Spec: https://graphql.github.io/graphql-over-http/draft/
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { serverAudits, type AuditName, type AuditResult } from 'graphql-http';
import { startHarness, type Harness } from '../support/harness.js';

/** An audit the gateway does not pass, with what it answers instead. */
interface ExpectedDeviation {
  id: string;
  name: AuditName;
  /** The gateway's answer to the audit's request: HTTP status and the first error's `extensions.code`. */
  answered: { status: number; code: string };
  why: string;
}

/** SHOULDs the gateway does not follow (`warn`). */
const EXPECTED_WARNINGS: readonly ExpectedDeviation[] = [
  {
    id: '572B',
    name: 'SHOULD use 200 status code on document parsing failure when accepting application/json',
    answered: { status: 400, code: 'GRAPHQL_PARSE_FAILED' },
    why:
      'Apollo Server answers a document that does not parse (`{`) with 400 whatever the Accept ' +
      'header; the spec only recommends 200 for application/json, the body is still a GraphQL ' +
      'response (errors, no data), and 400 is what it asks for under ' +
      'application/graphql-response+json (audit 556A passes).',
  },
  {
    id: 'FDE2',
    name: 'SHOULD use 200 status code on document validation failure when accepting application/json',
    answered: { status: 400, code: 'GRAPHQL_PARSE_FAILED' },
    why:
      "The audit's document `{ 8f31… }` already fails to parse (a name cannot start with a digit), " +
      'and Apollo Server answers parse and validation failures alike with 400 whatever the Accept ' +
      'header: a SHOULD for application/json only, with the 400 the spec asks for under ' +
      'application/graphql-response+json (audit 74FF passes).',
  },
  {
    id: '7B9B',
    name: 'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
    answered: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
    why:
      "The audit's operation declares `$id` without using it, so it fails validation before any " +
      'coercion, and Apollo Server 5 answers request errors (validation, and coercion by default) ' +
      'with 400 whatever the Accept header: a SHOULD for application/json only, with the 400 the ' +
      'spec asks for under application/graphql-response+json (audit 86EE passes).',
  },
];

/** MAYs the gateway declines (`notice`): GET requests a browser could send cross-site unasked. */
const EXPECTED_NOTICES: readonly ExpectedDeviation[] = [
  {
    id: '5A70',
    name: 'MAY accept application/x-www-form-urlencoded formatted GET requests',
    answered: { status: 400, code: 'BAD_REQUEST' },
    why:
      "Apollo Server's CSRF prevention (on by default) refuses a GET without a content-type unless " +
      'it carries `apollo-require-preflight` or `x-apollo-operation-name`, since such a request ' +
      'needs no CORS preflight (in demo mode, or with CORS_ORIGINS=*, any page could send it); ' +
      'the router only POSTs.',
  },
  {
    id: 'D6D5',
    name: 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
    answered: { status: 400, code: 'BAD_REQUEST' },
    why: 'The same CSRF prevention refuses this GET before its variables are read (see 5A70).',
  },
  {
    id: '6A70',
    name: 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
    answered: { status: 400, code: 'BAD_REQUEST' },
    why: 'The same CSRF prevention refuses this GET before its variables are read (see 5A70).',
  },
];

let harness: Harness | undefined;

function gatewayUrl(): string {
  if (harness === undefined) throw new Error('the harness has not started');
  return harness.gateway.url;
}

// Built before the harness starts (Jest names tests at collection); each audit asks for the URL.
const audits = serverAudits({ url: gatewayUrl, fetchFn: fetch });

/** What an audit result shows: its status and, when it did not pass, why and what came back. */
async function observe(result: AuditResult) {
  if (result.status === 'ok') return { status: result.status };
  const { status, reason, response } = result;
  return { status, reason, response: { status: response.status, ...(await firstError(response)) } };
}

async function firstError(response: Response): Promise<{ code?: string; message: string }> {
  const text = await response.text().catch(() => '(body already read by the audit)');
  try {
    const body = JSON.parse(text) as {
      errors?: { message?: string; extensions?: { code?: string } }[];
    };
    const [error] = body.errors ?? [];
    return { code: error?.extensions?.code, message: error?.message ?? text };
  } catch {
    return { code: undefined, message: text };
  }
}

/** What the audit must show: `ok`, or exactly the listed deviation. */
function expectedObservation(id: string) {
  const warning = EXPECTED_WARNINGS.find((deviation) => deviation.id === id);
  const notice = EXPECTED_NOTICES.find((deviation) => deviation.id === id);
  const deviation = warning ?? notice;
  if (deviation === undefined) return { status: 'ok' };
  return {
    status: warning === undefined ? 'notice' : 'warn',
    reason: expect.any(String),
    response: { ...deviation.answered, message: expect.any(String) },
  };
}

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  beforeAll(async () => {
    harness = await startHarness({ introspection: true });
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe('expected deviations', () => {
    it('name current audits, by id and exact name, each listed once', () => {
      const listed = [...EXPECTED_WARNINGS, ...EXPECTED_NOTICES].map(({ id, name }) => ({
        id,
        name,
      }));
      const current = audits.map(({ id, name }) => ({ id, name }));

      expect(current).toEqual(expect.arrayContaining(listed));
      expect(new Set(listed.map(({ id }) => id)).size).toBe(listed.length);
    });

    it('list a warning only for a SHOULD and a notice only for a MAY', () => {
      expect(EXPECTED_WARNINGS.filter(({ name }) => !name.startsWith('SHOULD '))).toEqual([]);
      expect(EXPECTED_NOTICES.filter(({ name }) => !name.startsWith('MAY '))).toEqual([]);
    });
  });

  describe('each audit passes, or deviates exactly as listed', () => {
    it.each(audits)('$id $name', async (audit) => {
      const observed = await observe(await audit.fn());

      expect(observed).toStrictEqual(expectedObservation(audit.id));
    });
  });
});
