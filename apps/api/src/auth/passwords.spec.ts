import { passwordProblem } from '@xuncha/contracts';
import { hashPassword, temporaryPassword, verifyDecoy, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the same password', async () => {
    const stored = await hashPassword('Xk7p-Qm3r-Tn8w');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(stored, 'Xk7p-Qm3r-Tn8w')).resolves.toBe(true);
    await expect(verifyPassword(stored, 'Xk7p-Qm3r-Tn8W')).resolves.toBe(false);
    expect(await hashPassword('Xk7p-Qm3r-Tn8w')).not.toBe(stored);
  });

  it('verifies nothing against a malformed stored hash, and the decoy never passes', async () => {
    await expect(verifyPassword('not-a-hash', 'anything')).resolves.toBe(false);
    await expect(verifyDecoy('anything')).resolves.toBe(false);
  });

  it('makes temporary passwords that pass the policy and differ each time', () => {
    const made = Array.from({ length: 200 }, () => temporaryPassword());
    for (const password of made) {
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){3}$/);
      expect(passwordProblem(password, 'wang.fang', 12)).toBeNull();
    }
    expect(new Set(made).size).toBe(made.length);
  });
});
