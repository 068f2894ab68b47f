import { randomInt } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the parameters OWASP recommends (19 MiB, two passes, one lane). The hash string
 * names its parameters, so stronger ones later still verify the hashes made with these.
 */
const ARGON2ID = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** Whether the password is the one hashed; a malformed stored hash verifies nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A hash of no one's password, verified when the user is unknown, so an unknown name takes as
 * long as a wrong password and the answer's time does not tell which names exist.
 */
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(`decoy-${randomInt(1e9)}`);
  await verifyPassword(await decoy, password);
  return false;
}

/** Characters of temporary passwords: no 0/O, 1/l/I, so they can be read out over the telephone. */
const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789'];

/** A temporary password of four groups of four, mixing upper case, lower case and digits (and the dashes, symbols). */
export function temporaryPassword(): string {
  const all = ALPHABETS.join('');
  const characters = Array.from({ length: 16 }, (_, index) => {
    const alphabet = index < ALPHABETS.length ? ALPHABETS[index]! : all;
    return alphabet[randomInt(alphabet.length)]!;
  });
  // The three guaranteed classes are moved to random places.
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other]!, characters[index]!];
  }
  return [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join('')).join('-');
}
