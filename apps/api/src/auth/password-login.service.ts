import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { ConflictError, ForbiddenError, InvalidRequestError, isGuardedRole, isRole, NotFoundError, passwordProblem, TooManyRequestsError, UnauthenticatedError } from '@xuncha/contracts';
import type { CredentialRow } from '@xuncha/persistence';
import { CredentialRepository, UserRepository } from '@xuncha/persistence';
import { hashPassword, temporaryPassword, verifyDecoy, verifyPassword } from './passwords';
import { RateLimit } from './rate-limit';
import { TokensService } from './tokens.service';

/** What a login answers: a bearer token bound to a new session. */
export interface LoginResult {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** The session may only change the password until it is changed (a new or reset password). */
  must_change_password: boolean;
  /** The session ends after this many seconds without a call. */
  idle_timeout_seconds: number;
}

/** A signed-in caller as their session allows: from the directory, not the token. */
export interface SessionCaller {
  principal: Principal;
  mustChange: boolean;
  /** The person's unit in the directory, read with them. */
  unit: string | null;
}

const BAD_CREDENTIALS = 'the user name or the password is wrong';

/** A temporary password (a reset) signs in for this long; then the security administrator gives a new one. */
export const TEMPORARY_PASSWORD_HOURS = 72;


/**
 * Built-in password login, for offices without an identity provider (等级保护 2.0 身份鉴别):
 * argon2id hashes, a password policy, lockout after repeated failures, sessions that idle out
 * and are revoked by logout, and resets by the security administrator that force a change at the
 * next login.
 */
@Injectable()
export class PasswordLoginService {
  /** Guessing from one address, across names; generous, for an office behind one address. */
  private readonly byAddress = new RateLimit('login attempts', 120, 60_000);
  /** Guessing one name from many addresses (the lockout stops it too). */
  private readonly byUser = new RateLimit('login attempts for this user', 10, 60_000);

  constructor(
    private readonly credentials: CredentialRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, source: string | null, now = new Date()): Promise<LoginResult> {
    this.byAddress.take(source ?? 'unknown', now.getTime());
    this.byUser.take(username, now.getTime());
    const policy = this.config.auth.password;
    const credential = await this.credentials.find(username);
    const person = credential ? await this.users.find(username) : null;
    if (!credential || !person) {
      await verifyDecoy(password);
      throw new UnauthenticatedError(BAD_CREDENTIALS, { login: 'bad-credentials' });
    }
    // Every refusal takes a hash's time, so the answer's time tells nothing either.
    if (credential.lockedUntil && credential.lockedUntil > now) {
      await verifyDecoy(password);
      throw this.locked(credential.lockedUntil);
    }
    const attempt = await this.takeAttempt(username, password, now);
    if (attempt.mustChange && now.getTime() - attempt.changedAt.getTime() > TEMPORARY_PASSWORD_HOURS * 3_600_000) {
      throw new UnauthenticatedError(`the temporary password has expired after ${TEMPORARY_PASSWORD_HOURS} hours: the security administrator gives a new one`, { login: 'temporary-expired' });
    }
    const session = randomUUID();
    const ttl = this.config.auth.tokenTtlSeconds;
    const opened = await this.credentials.openSession({
      id: session,
      sub: username,
      now,
      expiresAt: new Date(now.getTime() + ttl * 1000),
      mustChange: attempt.mustChange,
      source,
    });
    // A failure at the same moment reached the limit: the lock wins.
    if (!opened) throw this.locked((await this.credentials.find(username))?.lockedUntil ?? now);
    const issued = this.tokens.issue(person, { session });
    return { ...issued, must_change_password: attempt.mustChange, idle_timeout_seconds: policy.idleMinutes * 60 };
  }

  /**
   * The caller of a session token, checked against its session: open, not idle, not expired. The
   * directory names who they are and their roles, so a role taken back counts at once.
   */
  async caller(sub: string, session: string, now = new Date()): Promise<SessionCaller> {
    const row = /^[0-9a-f-]{36}$/.test(session) ? await this.credentials.session(session) : null;
    if (!row || row.sub !== sub) throw new UnauthenticatedError('the login session is not known', { login: 'no-session' });
    if (row.revokedAt) throw new UnauthenticatedError(`the login session has ended (${row.revokedReason ?? 'revoked'})`, { login: 'revoked', cause: row.revokedReason });
    if (row.expiresAt <= now) throw new UnauthenticatedError('the login session has expired', { login: 'expired' });
    const idleMs = this.config.auth.password.idleMinutes * 60_000;
    if (now.getTime() - row.lastSeenAt.getTime() > idleMs) {
      throw new UnauthenticatedError(`the login session ended after ${this.config.auth.password.idleMinutes} minutes without use`, { login: 'idle' });
    }
    const person = await this.users.find(sub);
    if (!person) throw new UnauthenticatedError(`${sub} is no longer in the directory`, { login: 'no-user' });
    await this.credentials.touch(session, now);
    return { principal: { sub: person.sub, name: person.name, groups: person.groups, session }, mustChange: row.mustChange, unit: person.unit ?? null };
  }

  /** Ends the caller's session; a token of the identity provider has none here to end. */
  async logout(caller: Principal, now = new Date()): Promise<{ revoked: boolean }> {
    return { revoked: caller.session ? await this.credentials.revoke(caller.session, 'logout', now) : false };
  }

  /** The caller changes their own password; their other sessions end, this one may then do everything. */
  async change(caller: Principal, current: string, next: string, now = new Date()): Promise<void> {
    const credential = await this.credentials.find(caller.sub);
    if (!credential) throw new ConflictError(`${caller.sub} has no password here: they sign in through the identity provider`, { reason: 'no-password' });
    if (credential.lockedUntil && credential.lockedUntil > now) throw this.locked(credential.lockedUntil);
    let checked: CredentialRow;
    try {
      checked = await this.takeAttempt(caller.sub, current, now);
    } catch (error) {
      if (error instanceof UnauthenticatedError && (error.details as { login?: string }).login === 'bad-credentials') {
        throw new InvalidRequestError('currentPassword', 'currentPassword is not the current password');
      }
      throw error;
    }
    this.checkPolicy(caller.sub, next, 'newPassword');
    if (await verifyPassword(checked.hash, next)) throw new InvalidRequestError('newPassword', 'newPassword must differ from the current password', { rule: 'unchanged' });
    const changed = await this.credentials.setPassword({
      sub: caller.sub,
      hash: await hashPassword(next),
      mustChange: false,
      by: caller.sub,
      now,
      reason: 'password-changed',
      replacing: checked.hash,
      ...(caller.session ? { keep: caller.session } : {}),
    });
    if (!changed) throw new ConflictError('the password was reset meanwhile: sign in with the new one', { reason: 'password-reset' });
  }

  /**
   * The security administrator gives a person a temporary password (their first, or after a
   * forgotten one or a lock): it unlocks the account, ends their sessions, and must be changed at
   * the next login. Nobody resets their own.
   */
  async reset(caller: Principal, sub: string, now = new Date()): Promise<{ sub: string; temporaryPassword: string; mustChange: true }> {
    if (sub === caller.sub) throw new ForbiddenError('nobody resets their own password: they change it, or another administrator resets it', { reason: 'self-reset' });
    const person = await this.users.find(sub);
    if (!person) throw new NotFoundError('user', sub);
    // An administrator's account handed to another administrator would undo the separation of the three (三员分立).
    const guarded = person.groups.filter((group) => isRole(group) && isGuardedRole(group));
    if (guarded.length > 0) {
      throw new ForbiddenError(`${sub} holds ${guarded.join(', ')}: an administrator's password is reset from the command line (npm run user:reset-password), not by another administrator`, {
        reason: 'guarded-account',
      });
    }
    const password = temporaryPassword();
    await this.credentials.setPassword({ sub, hash: await hashPassword(password), mustChange: true, by: caller.sub, now, reason: 'password-reset' });
    return { sub, temporaryPassword: password, mustChange: true };
  }

  /**
   * Checks a password against the person's credential: the attempt is taken before the hash is
   * checked (so guesses at once cannot pass the lockout) and given back when it passes. Answers
   * the credential as it was checked.
   */
  private async takeAttempt(sub: string, password: string, now: Date): Promise<CredentialRow> {
    const policy = this.config.auth.password;
    const attempt = await this.credentials.takeAttempt(sub, policy.lockoutAttempts, now);
    if (!attempt) {
      await verifyDecoy(password);
      const latest = await this.credentials.find(sub);
      if (latest?.lockedUntil && latest.lockedUntil > now) throw this.locked(latest.lockedUntil);
      throw new TooManyRequestsError(`the last of ${policy.lockoutAttempts} attempts for this user is being checked: try again in a moment`, 1);
    }
    if (await verifyPassword(attempt.hash, password)) {
      await this.credentials.giveBack(sub);
      return attempt;
    }
    const lockedUntil = await this.credentials.recordFailure(sub, policy.lockoutAttempts, new Date(now.getTime() + policy.lockoutMinutes * 60_000));
    if (lockedUntil && lockedUntil > now) throw this.locked(lockedUntil);
    throw new UnauthenticatedError(BAD_CREDENTIALS, { login: 'bad-credentials' });
  }

  private checkPolicy(sub: string, password: string, field: string): void {
    const problem = passwordProblem(password, sub, this.config.auth.password.minLength);
    if (problem) throw new InvalidRequestError(field, `${field}: ${problem.message}`, { rule: problem.code });
  }

  private locked(until: Date): UnauthenticatedError {
    return new UnauthenticatedError(`the account is locked after ${this.config.auth.password.lockoutAttempts} failed logins, until ${until.toISOString()}`, {
      login: 'locked',
      lockedUntil: until.toISOString(),
    });
  }
}
