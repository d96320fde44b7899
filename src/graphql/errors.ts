/**
 * The one edge where failures become GraphQL errors with the contract's `extensions.code`.
 * Resolvers and the Avara client throw domain errors; `formatError` turns them into codes here.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AvaraError } from '../avara/errors.js';
import { codeForUncodedRefusal, hideVariableValue, stripSuggestions } from './client-mistakes.js';
import { InputError } from './validation.js';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_ERROR',
] as const;
export type GatewayErrorCode = (typeof ERROR_CODES)[number];

/** Upstream statuses with a code of their own; any other is `UPSTREAM_ERROR`. */
const CODES_BY_STATUS: Readonly<Record<number, GatewayErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'UPSTREAM_TIMEOUT',
  409: 'CONFLICT',
  422: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
  502: 'UPSTREAM_UNAVAILABLE',
  503: 'UPSTREAM_UNAVAILABLE',
  504: 'UPSTREAM_UNAVAILABLE',
};

/** What a client is told for each code; no URL, header or upstream body ever goes in. */
const MESSAGES: Readonly<Record<GatewayErrorCode, string>> = {
  BAD_USER_INPUT: 'Avara rejected the input',
  UNAUTHENTICATED: 'Avara did not accept the credential',
  FORBIDDEN: 'The credential is not allowed to do this',
  NOT_FOUND: 'No user has this userId',
  CONFLICT: 'The user was changed concurrently; read it again and retry',
  RATE_LIMITED: 'Too many requests to Avara; retry later',
  UPSTREAM_TIMEOUT: 'Avara did not answer in time',
  UPSTREAM_UNAVAILABLE: 'Avara is unavailable',
  UPSTREAM_ERROR: 'Avara failed to answer as documented',
};

/**
 * Where the default message would name the wrong thing: the resource or cause an operation's
 * error is about, by the operation's root field.
 */
const MESSAGES_BY_FIELD: Readonly<Record<string, Partial<Record<GatewayErrorCode, string>>>> = {
  inviteUser: { CONFLICT: 'A user with this email address already exists' },
  updateInvitation: {
    NOT_FOUND: 'No invitation has this invitationId',
    CONFLICT: 'The invitation was changed concurrently; read it again and retry',
  },
  revokeInvitation: { NOT_FOUND: 'No invitation matches the given invitationId or userId' },
};

/** The message for a code, in the words of the operation it failed. */
export function messageFor(code: GatewayErrorCode, rootField: string | undefined): string {
  return (rootField !== undefined && MESSAGES_BY_FIELD[rootField]?.[code]) || MESSAGES[code];
}

/** Raised before anything is sent when a request brings no credential and none is configured. */
export class MissingCredentialError extends Error {
  override readonly name = 'MissingCredentialError';

  constructor(message = 'No credential: send an Authorization header') {
    super(message);
  }
}

export function codeForAvaraError({
  kind,
  status,
}: Pick<AvaraError, 'kind' | 'status'>): GatewayErrorCode {
  switch (kind) {
    case 'timeout':
      return 'UPSTREAM_TIMEOUT';
    case 'connection':
    case 'refused':
      return 'UPSTREAM_UNAVAILABLE';
    case 'malformed':
      return 'UPSTREAM_ERROR';
    case 'status':
      return (status !== undefined && CODES_BY_STATUS[status]) || 'UPSTREAM_ERROR';
  }
}

/**
 * Whether an error is a bug rather than something the contract names: neither a domain error nor
 * a GraphQLError that carries its own code (Apollo's parse and validation errors, our limits).
 */
export function isUnexpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (
    original instanceof AvaraError ||
    original instanceof InputError ||
    original instanceof MissingCredentialError
  ) {
    return false;
  }
  if (original instanceof GraphQLError) {
    const code = original.extensions.code;
    if (code === undefined && codeForUncodedRefusal(original.message) !== undefined) return false;
    return code === undefined || code === 'INTERNAL_SERVER_ERROR';
  }
  return true;
}

export interface FormatErrorOptions {
  /** Hide the messages of unexpected errors (they are logged in full by the operation log). */
  production: boolean;
  /** Cut "Did you mean …" schema suggestions out of every message. @default production */
  stripSuggestions?: boolean;
}

/**
 * Apollo Server's `formatError`: maps domain errors to codes, gives Apollo's uncoded refusals
 * their code, masks the unexpected and, in production, strips schema suggestions and the caller's
 * values from variable-coercion messages.
 */
export function createFormatError({
  production,
  stripSuggestions: strip = production,
}: FormatErrorOptions) {
  const format = createCodeMapping({ production });
  if (!strip && !production) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    let { message } = result;
    if (production) message = hideVariableValue(message, reasonOf(error));
    if (strip) message = stripSuggestions(message);
    return message === result.message ? result : { ...result, message };
  };
}

/** The message of the error a GraphQL error wraps (a coercion error's own reason), if any. */
function reasonOf(error: unknown): string | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof Error && original !== error ? original.message : undefined;
}

function createCodeMapping({ production }: { production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AvaraError) {
      const rootField = typeof formatted.path?.[0] === 'string' ? formatted.path[0] : undefined;
      return withCode(formatted, fromAvaraError(original, rootField));
    }
    if (original instanceof InputError) {
      return withCode(formatted, {
        message: original.message,
        extensions: { code: 'BAD_USER_INPUT', fieldErrors: original.fieldErrors },
      });
    }
    if (original instanceof MissingCredentialError) {
      return withCode(formatted, {
        message: original.message,
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const refusalCode =
      original instanceof GraphQLError ? codeForUncodedRefusal(original.message) : undefined;
    if (refusalCode !== undefined) {
      return withCode(formatted, { message: formatted.message, extensions: { code: refusalCode } });
    }
    return production
      ? withCode(formatted, {
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        })
      : formatted;
  };
}

function fromAvaraError(
  error: AvaraError,
  rootField: string | undefined,
): Pick<GraphQLFormattedError, 'message' | 'extensions'> {
  const code = codeForAvaraError(error);
  const keepsUpstreamMessage = code === 'BAD_USER_INPUT' && error.upstreamMessage !== undefined;
  const message = messageFor(code, rootField);
  return {
    message: keepsUpstreamMessage ? `${message}: ${error.upstreamMessage}` : message,
    extensions: {
      code,
      ...(error.status !== undefined && {
        upstream: { status: error.status, requestId: error.requestId ?? null },
      }),
      ...(code === 'RATE_LIMITED' &&
        error.retryAfterMs !== undefined && {
          retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000),
        }),
    },
  };
}

/** Replaces message and extensions, keeping `locations` and `path` (and nothing else). */
function withCode(
  { locations, path }: GraphQLFormattedError,
  { message, extensions }: Pick<GraphQLFormattedError, 'message' | 'extensions'>,
): GraphQLFormattedError {
  return { message, ...(locations && { locations }), ...(path && { path }), extensions };
}
