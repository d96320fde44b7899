import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AVARA_CURSOR_PATTERN, MAX_AVARA_CURSOR_LENGTH } from '../../src/avara/types.js';
import {
  decodeCursor,
  encodeCursor,
  filterDigest,
  type EdgePosition,
  type ListName,
} from '../../src/graphql/cursor.js';
import { MAX_LENGTHS } from '../../src/graphql/validation.js';

const USER_ID = 'usr_1234567890abcdef1234567890abcdef';
const INVITATION_ID = 'inv_1234567890abcdef1234567890abcdef';
const DIGEST = filterDigest({});
const POSITION: EdgePosition = {
  avaraCursor: 'eyJvZmZzZXQiOjIwfQ==',
  limit: 20,
  index: 3,
  id: USER_ID,
};

const refusal = (message: string | RegExp) => ({
  fieldError: { field: 'after', message: expect.stringMatching(message) },
});

describe('edge cursors', () => {
  describe('round trip', () => {
    it.each([
      ['a first-page edge', { ...POSITION, avaraCursor: null, index: 0 }],
      [
        "an edge of a later page, Avara's cursor with + / =",
        { ...POSITION, avaraCursor: 'a+b/c==' },
      ],
      ['the last index of a full page', { ...POSITION, limit: 100, index: 99 }],
    ])('decodes %s to the position it was made from', (_case, position) => {
      const cursor = encodeCursor('users', DIGEST, position);

      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, 'users', DIGEST)).toEqual({ position });
    });

    it('is stateless: the same position gives the same cursor on any process', () => {
      expect(encodeCursor('users', DIGEST, POSITION)).toBe(encodeCursor('users', DIGEST, POSITION));
    });
  });

  describe('refusals, on the field after', () => {
    const users = encodeCursor('users', DIGEST, POSITION);

    it.each([
      ['random text', 'not a cursor'],
      ["Avara's own cursor", 'eyJvZmZzZXQiOjIwfQ=='],
      ['base64url of something else', Buffer.from('{"offset":20}').toString('base64url')],
      ['the empty string', ''],
      ['a cursor with junk appended', `${users}AA`],
      [
        'a cursor of another version',
        Buffer.from(JSON.stringify([2, 'users', DIGEST, null, 20, 0, USER_ID])).toString(
          'base64url',
        ),
      ],
      [
        'an index past a page',
        Buffer.from(JSON.stringify([1, 'users', DIGEST, null, 20, 100, USER_ID])).toString(
          'base64url',
        ),
      ],
      [
        'a limit over 100',
        Buffer.from(JSON.stringify([1, 'users', DIGEST, null, 101, 0, USER_ID])).toString(
          'base64url',
        ),
      ],
      [
        'an id of the wrong kind',
        encodeCursor('users', DIGEST, { ...POSITION, id: INVITATION_ID }),
      ],
    ])('refuses %s', (_case, text) => {
      expect(decodeCursor(text, 'users', DIGEST)).toEqual(refusal(/not a cursor this gateway/));
    });

    it('refuses a cursor of another list', () => {
      const invitations = encodeCursor('invitations', DIGEST, { ...POSITION, id: INVITATION_ID });

      expect(decodeCursor(invitations, 'users', DIGEST)).toEqual(
        refusal(/of invitations, not of users/),
      );
    });

    it('refuses a cursor made for another filter', () => {
      expect(decodeCursor(users, 'users', filterDigest({ level: 'admin' }))).toEqual(
        refusal(/another filter/),
      );
    });

    it('refuses a cursor over 2048 characters before decoding it', () => {
      expect(decodeCursor('A'.repeat(2049), 'users', DIGEST)).toEqual(refusal(/at most 2048/));
    });

    it('never throws and never accepts what it did not make, whatever the text', () => {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 300 }),
          fc.constantFrom<ListName>('users', 'invitations'),
          (text, list) => {
            const decoded = decodeCursor(text, list, DIGEST);
            if ('position' in decoded) {
              expect(encodeCursor(list, DIGEST, decoded.position)).toBe(text);
            }
          },
        ),
      );
    });

    it('never accepts a changed cursor: every one-character edit is refused or names the same position', () => {
      fc.assert(
        fc.property(fc.nat(users.length - 1), fc.constantFrom(...'ABCabc012_-'), (at, char) => {
          const edited = `${users.slice(0, at)}${char}${users.slice(at + 1)}`;
          const decoded = decodeCursor(edited, 'users', DIGEST);
          if (edited !== users)
            expect('position' in decoded && decoded.position).not.toEqual(POSITION);
        }),
      );
    });
  });

  describe('size', () => {
    it("stays within the 2048 characters 'after' accepts, whatever Avara's cursor (property)", () => {
      const avaraCursor = fc.stringMatching(AVARA_CURSOR_PATTERN, {
        maxLength: MAX_AVARA_CURSOR_LENGTH,
      });
      fc.assert(
        fc.property(
          avaraCursor,
          fc.constantFrom<ListName>('users', 'invitations'),
          (cursor, list) => {
            const longest = cursor.padEnd(MAX_AVARA_CURSOR_LENGTH, '~');
            const text = encodeCursor(list, filterDigest({ status: ['sent'] }), {
              avaraCursor: longest,
              limit: 100,
              index: 99,
              id: list === 'users' ? USER_ID : INVITATION_ID,
            });
            expect(text.length).toBeLessThanOrEqual(MAX_LENGTHS.cursor);
            expect(decodeCursor(text, list, filterDigest({ status: ['sent'] }))).toHaveProperty(
              'position',
            );
          },
        ),
      );
    });
  });

  describe('filterDigest', () => {
    it('does not depend on the order of keys or on absent ones', () => {
      expect(filterDigest({ level: 'admin', email: 'a@b' })).toBe(
        filterDigest({ email: 'a@b', level: 'admin', lastName: undefined }),
      );
    });

    it.each([
      [{}, { level: 'admin' }],
      [{ level: 'admin' }, { level: 'member' }],
      [{ status: ['sent'] }, { status: ['sent', 'revoked'] }],
      [{ firstName: 'a' }, { lastName: 'a' }],
    ])('tells %p from %p', (a, b) => {
      expect(filterDigest(a)).not.toBe(filterDigest(b));
    });
  });
});
