/**
 * The credential rules of the edge (contract: "Credentials"): the caller's one `Authorization`
 * header is forwarded; the service key stands in only for an absent header; an empty header or more
 * than one is refused, so a caller can never end up acting with the gateway's key by mistake, and a
 * proxy's extra header can never decide which credential is used.
 */

export type Credential =
  | { kind: 'present'; authorization: string }
  /** Nothing usable: the operation fails with `UNAUTHENTICATED` and nothing is sent. */
  | { kind: 'refused'; reason: string };

export const NO_CREDENTIAL = 'No credential: send an Authorization header';

/**
 * @param sent every `Authorization` header of the request, as Node keeps them apart
 *   (`req.headersDistinct`: `req.headers` would silently keep only the first)
 * @param fallback `Bearer $AVARA_API_KEY`, when the key is set
 */
export function chooseCredential(
  sent: readonly string[] | undefined,
  fallback: string | undefined,
): Credential {
  if (sent === undefined || sent.length === 0) {
    return fallback === undefined
      ? { kind: 'refused', reason: NO_CREDENTIAL }
      : { kind: 'present', authorization: fallback };
  }
  if (sent.length > 1) {
    return { kind: 'refused', reason: 'Send one Authorization header, not several' };
  }
  const [authorization = ''] = sent;
  if (authorization.trim() === '') {
    return { kind: 'refused', reason: 'The Authorization header is empty' };
  }
  return { kind: 'present', authorization };
}

const REDACTED = '[credential]';

/**
 * Cuts the credential out of a text that came from upstream (a 400/422 message may echo the
 * request): the whole header value and its bare token, in any letter case. Linear in the text:
 * each form is one literal pattern.
 */
export function createCredentialRedactor(
  authorization: string | undefined,
): (text: string) => string {
  if (authorization === undefined) return (text) => text;
  // Built on first use: most requests never meet an upstream message.
  let pattern: RegExp | undefined;
  return (text) => {
    pattern ??= credentialPattern(authorization);
    return text.replace(pattern, REDACTED);
  };
}

function credentialPattern(authorization: string): RegExp {
  const whole = authorization.trim();
  const token = whole.replace(/^\S+\s+/, '');
  // Longest first, so the whole header is cut as one piece rather than leaving its scheme.
  const forms = [...new Set([whole, token])]
    .filter((form) => form !== '')
    .sort((a, b) => b.length - a.length);
  return new RegExp(forms.map(escapeRegExp).join('|'), 'gi');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
