import type { AppConfig } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import type { UserRepository } from '@xuncha/persistence';
import { CallersService } from './callers.service';
import type { PasswordLoginService, SessionCaller } from './password-login.service';
import type { TokensService } from './tokens.service';

const DIRECTORY: Record<string, Principal> = {
  'zhao.qiang': { sub: 'zhao.qiang', name: '赵强', groups: ['inspected-unit'], unit: 'district-education-bureau' },
  'wang.fang': { sub: 'wang.fang', name: '王芳', groups: ['inspection-office'], unit: null },
};

function callers(claimed: Principal, provider: boolean, providerRoles: 'directory' | 'token' = 'directory'): CallersService {
  const tokens = { verifyToken: () => Promise.resolve({ principal: { ...claimed }, provider }) } as unknown as TokensService;
  const users = { find: (sub: string) => Promise.resolve(DIRECTORY[sub] ?? null) } as unknown as UserRepository;
  const logins = {
    caller: (sub: string, session: string): Promise<SessionCaller> =>
      Promise.resolve({ principal: { sub, name: DIRECTORY[sub]!.name, groups: DIRECTORY[sub]!.groups, session }, mustChange: session === 'fresh-from-reset', unit: DIRECTORY[sub]!.unit ?? null }),
  } as unknown as PasswordLoginService;
  return new CallersService(tokens, users, logins, { auth: { providerRoles } } as AppConfig);
}

describe('CallersService', () => {
  it("takes a password session's caller and roles from the directory, not from the token", async () => {
    const caller = await callers({ sub: 'wang.fang', name: '王芳', groups: ['process-admin'], session: 'a-session' }, false).authenticate('Bearer x');
    expect(caller).toEqual({ principal: { sub: 'wang.fang', name: '王芳', groups: ['inspection-office'], session: 'a-session' }, mustChangePassword: false });
    expect((await callers({ sub: 'wang.fang', name: '王芳', groups: [], session: 'fresh-from-reset' }, false).authenticate('Bearer x')).mustChangePassword).toBe(true);
  });

  it("takes a provider token's roles from the directory, and refuses someone the directory does not know", async () => {
    const claimed: Principal = { sub: 'wang.fang', name: 'W', groups: ['security-admin'] };
    expect((await callers(claimed, true).authenticate('Bearer x')).principal).toEqual({ sub: 'wang.fang', name: '王芳', groups: ['inspection-office'] });
    await expect(callers({ sub: 'stranger', name: 'S', groups: ['inspection-office'] }, true).authenticate('Bearer x')).rejects.toMatchObject({ details: { reason: 'not-in-directory' } });
    // Told to, the provider's claims are taken as they are.
    expect((await callers(claimed, true, 'token').authenticate('Bearer x')).principal).toEqual(claimed);
  });

  it("takes the claims of the server's own tokens as they are", async () => {
    const claimed: Principal = { sub: 'stranger', name: 'S', groups: ['commission-case-office'] };
    expect((await callers(claimed, false).authenticate('Bearer x')).principal).toEqual(claimed);
  });

  it('confines the people of an inspected unit to the unit the directory names, whatever the token says', async () => {
    const claimed: Principal = { sub: 'zhao.qiang', name: '赵强', groups: ['inspected-unit'], unit: 'another-unit' };
    expect((await callers(claimed, false).authenticate('Bearer x')).principal).toMatchObject({ unit: 'district-education-bureau' });
    expect((await callers({ sub: 'nobody', name: '某人', groups: ['inspected-unit'] }, false).authenticate('Bearer x')).principal).toMatchObject({ unit: null });
    expect((await callers({ sub: 'wang.fang', name: '王芳', groups: ['inspection-office'] }, false).authenticate('Bearer x')).principal).not.toHaveProperty('unit');
  });
});
