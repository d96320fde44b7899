/**
 * The demo API's state: users and invitations by id, in insertion order, plus which users have had
 * their access revoked (the user object has no field that shows it). `reset` puts the seed back.
 */
import { randomBytes } from 'node:crypto';
import type { AvaraInvitation, AvaraUser } from '../avara/types.js';

class Records<Item> {
  readonly #seed: readonly Item[];
  readonly #idOf: (item: Item) => string;
  #items = new Map<string, Item>();

  constructor(seed: readonly Item[], idOf: (item: Item) => string) {
    this.#seed = seed;
    this.#idOf = idOf;
    // Not `this.reset()`: a subclass's override would run before its own fields exist.
    this.#items = this.#seeded();
  }

  get(id: string): Item | undefined {
    return this.#items.get(id);
  }

  /** Adds an item, or replaces one in place, keeping its list position. */
  put(item: Item): void {
    this.#items.set(this.#idOf(item), item);
  }

  all(): Iterable<Item> {
    return this.#items.values();
  }

  reset(): void {
    this.#items = this.#seeded();
  }

  /** Holds exactly these items until the next `reset`. */
  replace(items: readonly Item[]): void {
    this.#items = new Map(items.map((item) => [this.#idOf(item), { ...item }]));
  }

  #seeded(): Map<string, Item> {
    return new Map(this.#seed.map((item) => [this.#idOf(item), { ...item }]));
  }
}

export class UserStore extends Records<AvaraUser> {
  #revoked = new Set<string>();

  constructor(seed: readonly AvaraUser[]) {
    super(seed, (user) => user.userId);
  }

  isRevoked(userId: string): boolean {
    return this.#revoked.has(userId);
  }

  setRevoked(userId: string, revoked: boolean): void {
    if (revoked) this.#revoked.add(userId);
    else this.#revoked.delete(userId);
  }

  override reset(): void {
    super.reset();
    this.#revoked.clear();
  }
}

export class InvitationStore extends Records<AvaraInvitation> {
  constructor(seed: readonly AvaraInvitation[]) {
    super(seed, (invitation) => invitation.invitationId);
  }
}

/** Everything the API routes read and change. */
export interface DemoStores {
  users: UserStore;
  invitations: InvitationStore;
}

/** `prefix` + 32 random lowercase hex characters, the shape of Avara's ids. */
export function newId(prefix: 'usr_' | 'inv_'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
