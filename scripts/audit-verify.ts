import 'reflect-metadata';
import { describeDatabase, InvalidConfigError, loadConfig } from '@xuncha/config';
import { AuditRepository, createDataSource } from '@xuncha/persistence';

/**
 * `npm run audit:verify [-- --from-last-checkpoint]`: checks the audit trail's hash chain and
 * signed checkpoints in DATABASE_URL (or the embedded database), with AUDIT_HMAC_KEY. Exits 0
 * when the chain is whole, 1 naming the first broken link.
 */
async function main(args: string[]): Promise<number> {
  const config = loadConfig();
  const dataSource = await createDataSource(config.database).initialize();
  try {
    console.log(`Database: ${describeDatabase(config.database)}`);
    const verification = await new AuditRepository(dataSource, config).verify({ fromLastCheckpoint: args.includes('--from-last-checkpoint') });
    const span = verification.firstSeq === null ? 'no records' : `records ${verification.firstSeq}–${verification.lastSeq}`;
    if (verification.ok) {
      console.log(`审计记录完整：校验 ${verification.records} 条（${span}），${verification.checkpoints} 个签名检查点。 The audit trail is whole.`);
      return 0;
    }
    const broken = verification.broken!;
    console.error(`审计记录被篡改：第 ${broken.seq ?? '-'} 条（${broken.reason}）。 ${broken.message}`);
    return 1;
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
