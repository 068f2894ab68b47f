/** Why a new password is refused: a stable code, and the English message the API answers with. */
export interface PasswordProblem {
  code: 'too-short' | 'too-long' | 'too-simple' | 'contains-user' | 'unchanged';
  message: string;
}

/** Longest password accepted: argon2 takes any length, but nobody types more, and a bound keeps hashing cheap. */
export const PASSWORD_MAX_LENGTH = 128;

const CLASSES: Array<[string, RegExp]> = [
  ['upper-case letters', /\p{Lu}/u],
  ['lower-case letters', /\p{Ll}/u],
  ['digits', /\p{Nd}/u],
  ['symbols', /[^\p{Lu}\p{Ll}\p{Nd}\s]/u],
];

/**
 * The password policy (等级保护 2.0: 身份鉴别信息具有复杂度要求): at least `minLength`
 * characters, three of upper case, lower case, digits and symbols, and not the user id. Answers
 * the first rule broken, or null.
 */
export function passwordProblem(password: string, sub: string, minLength: number): PasswordProblem | null {
  const length = [...password].length;
  if (length < minLength) return { code: 'too-short', message: `the password needs at least ${minLength} characters` };
  if (length > PASSWORD_MAX_LENGTH) return { code: 'too-long', message: `the password may have at most ${PASSWORD_MAX_LENGTH} characters` };
  const mixed = CLASSES.filter(([, pattern]) => pattern.test(password)).length;
  if (mixed < 3) return { code: 'too-simple', message: `the password must mix three of ${CLASSES.map(([name]) => name).join(', ')}` };
  if (sub.length >= 3 && password.toLowerCase().includes(sub.toLowerCase())) return { code: 'contains-user', message: 'the password must not contain the user id' };
  return null;
}
