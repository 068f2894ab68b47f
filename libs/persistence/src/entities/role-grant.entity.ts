import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A role given to a person of the directory: pending a second administrator, granted, refused or revoked. */
@Entity({ name: 'role_grant' })
export class RoleGrantRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  sub!: string;

  @Column({ type: 'varchar', length: 64 })
  role!: string;

  /** pending, granted, refused or revoked. */
  @Column({ type: 'varchar', length: 16 })
  state!: 'pending' | 'granted' | 'refused' | 'revoked';

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 255 })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'decided_by', type: 'varchar', length: 255, nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
