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
  let forms: string[] | undefined;
  let pattern: RegExp | undefined;
  return (text) => {
    forms ??= credentialForms(authorization);
    pattern ??= new RegExp(forms.map(escapeRegExp).join('|'), 'gi');
    return cutPartialTail(text.replace(pattern, REDACTED), forms);
  };
}

/** The whole header and its bare token, longest first (the whole header is cut as one piece). */
function credentialForms(authorization: string): string[] {
  const whole = authorization.trim();
  const token = whole.replace(/^\S+\s+/, '');
  return [...new Set([whole, token])]
    .filter((form) => form !== '')
    .sort((a, b) => b.length - a.length);
}

/** Shorter coincidences between a text's end and a credential's start reveal nothing useful. */
const MIN_PARTIAL_LENGTH = 4;
const CUT_MARK = '…';

/**
 * A kept upstream message is cut to a length (`src/avara/answers.ts`), and a caller whose input
 * Avara echoes before the credential decides where that cut falls: inside the credential, whose
 * beginning the full-form pattern does not see. The longest end of the text (before a trailing
 * `…`) that is a beginning of a credential form is cut out too. Linear: one prefix-function pass.
 */
function cutPartialTail(text: string, forms: readonly string[]): string {
  const end = text.endsWith(CUT_MARK) ? text.length - CUT_MARK.length : text.length;
  let longest = 0;
  for (const form of forms) longest = Math.max(longest, longestTailThatStarts(form, text, end));
  if (longest < MIN_PARTIAL_LENGTH) return text;
  return `${text.slice(0, end - longest)}${REDACTED}${text.slice(end)}`;
}

/** Length of the longest `text[end - k, end)` equal (ASCII case folded) to `form[0, k)`, k < |form|. */
function longestTailThatStarts(form: string, text: string, end: number): number {
  const start = Math.max(0, end - form.length + 1);
  // Knuth–Morris–Pratt: failure[i] is the longest proper border of form[0, i].
  const failure = new Array<number>(form.length).fill(0);
  for (let i = 1, k = 0; i < form.length; i++) {
    while (k > 0 && fold(form, i) !== fold(form, k)) k = failure[k - 1] ?? 0;
    if (fold(form, i) === fold(form, k)) k += 1;
    failure[i] = k;
  }
  let matched = 0;
  for (let i = start; i < end; i++) {
    while (matched > 0 && fold(text, i) !== fold(form, matched))
      matched = failure[matched - 1] ?? 0;
    if (fold(text, i) === fold(form, matched)) matched += 1;
    // A whole form here was already replaced; step back to its longest proper border.
    if (matched === form.length) matched = failure[matched - 1] ?? 0;
  }
  return matched;
}

/** The UTF-16 unit at `index`, ASCII letters folded to lower case. */
function fold(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  return unit >= 65 && unit <= 90 ? unit + 32 : unit;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
