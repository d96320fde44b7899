import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  chooseCredential,
  createCredentialRedactor,
  NO_CREDENTIAL,
} from '../../src/credentials.js';

const KEY = 'Bearer service-key';

describe('chooseCredential', () => {
  it.each([
    ['no header, a service key: the key', undefined, KEY, { kind: 'present', authorization: KEY }],
    [
      'no header, no key: refused',
      undefined,
      undefined,
      { kind: 'refused', reason: NO_CREDENTIAL },
    ],
    [
      'one header: forwarded unchanged',
      ['Bearer abc'],
      KEY,
      { kind: 'present', authorization: 'Bearer abc' },
    ],
    [
      'one header, no key: forwarded',
      ['Token x'],
      undefined,
      { kind: 'present', authorization: 'Token x' },
    ],
    [
      'an empty header: refused, never the key',
      [''],
      KEY,
      { kind: 'refused', reason: expect.stringContaining('empty') },
    ],
    [
      'a blank header: refused',
      [' \t'],
      KEY,
      { kind: 'refused', reason: expect.stringContaining('empty') },
    ],
    [
      'two headers: refused',
      ['Bearer a', 'Bearer b'],
      KEY,
      { kind: 'refused', reason: expect.stringContaining('one') },
    ],
    [
      'two equal headers: refused',
      ['Bearer a', 'Bearer a'],
      KEY,
      { kind: 'refused', reason: expect.stringContaining('one') },
    ],
  ] as const)('%s', (_case, sent, fallback, expected) => {
    expect(chooseCredential(sent, fallback)).toStrictEqual(expected);
  });
});

describe('createCredentialRedactor', () => {
  it.each([
    ['the whole header', 'Bearer sk_live_1', 'bad key Bearer sk_live_1', 'bad key [credential]'],
    ['the bare token', 'Bearer sk_live_1', 'bad key sk_live_1.', 'bad key [credential].'],
    [
      'any letter case',
      'Bearer sk_live_1',
      'BEARER SK_LIVE_1 / Sk_Live_1',
      '[credential] / [credential]',
    ],
    ['a header without a scheme', 'sk_live_1', 'x sk_live_1 x', 'x [credential] x'],
    [
      'regex characters in the token',
      'Bearer a.b*c+(d)',
      'got a.b*c+(d) and axbbc',
      'got [credential] and axbbc',
    ],
    ['nothing when absent', 'Bearer sk_live_1', 'phoneNumber is invalid', 'phoneNumber is invalid'],
    ['a token cut off at the end', 'Bearer sk_live_1', 'bad key sk_liv…', 'bad key [credential]…'],
    [
      'a header cut off at the end',
      'Bearer sk_live_1',
      'bad key Bearer sk',
      'bad key [credential]',
    ],
    ['a cut-off token in any case', 'Bearer sk_live_1', 'bad key SK_LI', 'bad key [credential]'],
    ['not an ending shorter than 4', 'Bearer sk_live_1', 'bad key sk_…', 'bad key sk_…'],
    ['not a beginning mid-text', 'Bearer sk_live_1', 'sk_live is bad', 'sk_live is bad'],
    [
      'a cut-off token after a whole one',
      'Bearer abab_x',
      'abab_x then ababab',
      '[credential] then ab[credential]',
    ],
  ])('cuts %s', (_case, authorization, text, expected) => {
    expect(createCredentialRedactor(authorization)(text)).toBe(expected);
  });

  it('never leaves 4 or more of its first characters at the end of a text cut short', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_.~+/-]{8,40}$/);
    fc.assert(
      fc.property(token, fc.string(), fc.nat(), fc.boolean(), (secret, before, at, marked) => {
        const kept = 4 + (at % (secret.length - 4));
        const text = `${before} ${secret.slice(0, kept)}${marked ? '…' : ''}`;
        const redacted = createCredentialRedactor(`Bearer ${secret}`)(text);
        expect(redacted.toLowerCase()).not.toContain(secret.slice(0, kept).toLowerCase());
      }),
    );
  });

  it('leaves every text alone when no credential was sent', () => {
    expect(createCredentialRedactor(undefined)('Bearer x')).toBe('Bearer x');
  });

  it('never leaves the token in the text, whatever surrounds it and however it is cased', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_.~+/-]{8,40}$/);
    fc.assert(
      fc.property(
        token,
        fc.array(fc.string(), { maxLength: 5 }),
        fc.boolean(),
        (secret, parts, withScheme) => {
          const text = parts.join(withScheme ? `Bearer ${secret}` : secret.toUpperCase());
          const redacted = createCredentialRedactor(`Bearer ${secret}`)(text);
          expect(redacted.toLowerCase()).not.toContain(secret.toLowerCase());
        },
      ),
    );
  });
});
