import 'reflect-metadata';
import { hostname, userInfo } from 'node:os';
import { describeDatabase, InvalidConfigError, loadConfig } from '@xuncha/config';
import { AuditRepository, createDataSource, CredentialRepository, UserRepository } from '@xuncha/persistence';
import { hashPassword, temporaryPassword } from '../apps/api/src/auth/passwords';

/**
 * `npm run user:reset-password -- <user id>`: gives a person of the directory a temporary password
 * to change at the next login, unlocking the account and ending their sessions. For the first
 * security administrator, whom nobody can reset through the API yet, and for a locked-out one; it
 * needs the database's credentials and is recorded in the audit trail as a command-line act.
 */
async function main(args: string[]): Promise<number> {
  const sub = args.find((arg) => !arg.startsWith('--'));
  if (!sub) {
    console.error('用法 usage: npm run user:reset-password -- <user id>');
    return 2;
  }
  const config = loadConfig();
  const dataSource = await createDataSource(config.database).initialize();
  try {
    console.log(`Database: ${describeDatabase(config.database)}`);
    if (!(await new UserRepository(dataSource).find(sub))) {
      console.error(`目录中没有用户 ${sub}。 ${sub} is not in the directory: the system administrator adds people first (POST /users).`);
      return 1;
    }
    const actor = `(command line: ${userInfo().username}@${hostname()})`.slice(0, 255);
    const password = temporaryPassword();
    await new CredentialRepository(dataSource).setPassword({ sub, hash: await hashPassword(password), mustChange: true, by: actor, now: new Date(), reason: 'password-reset' });
    const audit = new AuditRepository(dataSource, config);
    await audit.append([{ actor, roles: [], action: 'reset password (command line)', object: `/users/${sub}`, result: 'success', status: null, source: null }]);
    await audit.idle();
    console.log(`${sub} 的临时密码（首次登录须修改）/ temporary password, to be changed at the next login:\n${password}`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof InvalidConfigError || error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
