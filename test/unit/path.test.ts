import { describe, it, expect } from '@jest/globals';
import { encodePathSegment } from '../../src/avara/requests.js';

describe('encodePathSegment', () => {
  describe('characters kept as they are', () => {
    it.each([
      ['a plain user id', 'usr_1234567890abcdef1234567890abcdef'],
      ['unreserved characters', 'Az09-._~'],
      ['the sub-delims and : and @ of RFC 3986 pchar', ":@$&+,;=!'()*"],
      ['dots inside a segment', 'a.b..c'],
      ['three dots, which is no dot segment', '...'],
    ])('keeps %s unchanged', (_case, value) => {
      expect(encodePathSegment(value)).toBe(value);
    });

    it.each([':', '@', '$', '&', '+', ',', ';', '='])('keeps the pchar %p as is', (char) => {
      expect(encodePathSegment(`a${char}b`)).toBe(`a${char}b`);
    });
  });

  describe('characters percent-encoded', () => {
    it.each([
      ['a slash', 'a/b', 'a%2Fb'],
      ['a question mark', 'a?b', 'a%3Fb'],
      ['a hash', 'a#b', 'a%23b'],
      ['a percent sign', 'a%b', 'a%25b'],
      ['an already encoded sequence, which is encoded again', 'a%2Fb', 'a%252Fb'],
      ['an encoded pchar, which is encoded again', 'a%3Ab', 'a%253Ab'],
      ['a space', 'a b', 'a%20b'],
      ['a backslash', 'a\\b', 'a%5Cb'],
      ['a non-ASCII letter', 'é', '%C3%A9'],
      ['a non-BMP character', '😀', '%F0%9F%98%80'],
      ['a newline', 'a\nb', 'a%0Ab'],
      ['a path traversal', '../admin', '..%2Fadmin'],
    ])('encodes %s', (_case, value, encoded) => {
      expect(encodePathSegment(value)).toBe(encoded);
    });

    // URL parsers resolve `.`, `..` and their percent-encoded forms alike: no encoding is safe.
    it.each(['', '.', '..'])('refuses the segment %p, which would leave /users/', (value) => {
      expect(() => encodePathSegment(value)).toThrow(RangeError);
    });
  });

  describe('the encoded segment', () => {
    it.each(['usr_x', 'a/b', 'a?b#c', 'a%b', 'é ü', ':@$&+,;=', '../x'])(
      'decodes back to %p',
      (value) => {
        expect(decodeURIComponent(encodePathSegment(value))).toBe(value);
      },
    );

    it.each(['a/b', 'a?b', 'a#b', '../../x', '..\\x', 'a/../..'])(
      'stays a single segment of /users/ for %p once a URL is built from it',
      (value) => {
        const url = new URL(`https://avara.test/v1/viewer/users/${encodePathSegment(value)}`);
        const segments = url.pathname.split('/');

        expect(segments.slice(0, 4)).toEqual(['', 'v1', 'viewer', 'users']);
        expect(segments).toHaveLength(5);
        expect(segments[4]).not.toBe('');
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
      },
    );
  });
});
