import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long password mixing three kinds of characters', () => {
    expect(passwordProblem('Xk7p-Qm3r-Tn8w', 'wang.fang', 10)).toBeNull();
    expect(passwordProblem('巡察办公室2026年abc', 'wang.fang', 10)).toBeNull();
  });

  it('names the first rule a password breaks', () => {
    expect(passwordProblem('Ab1-', 'wang.fang', 10)?.code).toBe('too-short');
    expect(passwordProblem('Ab1-'.repeat(40), 'wang.fang', 10)?.code).toBe('too-long');
    expect(passwordProblem('abcdefghijkl', 'wang.fang', 10)?.code).toBe('too-simple');
    expect(passwordProblem('abcdefgh1234', 'wang.fang', 10)?.code).toBe('too-simple');
    expect(passwordProblem('Wang.Fang-2026', 'wang.fang', 10)?.code).toBe('contains-user');
  });

  it('counts characters, not UTF-16 units, against the minimum', () => {
    expect(passwordProblem('𠀀𠀀𠀀𠀀Ab1', 'x', 8)?.code).toBe('too-short');
  });
});
