import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person of the directory tasks are assigned to (seeded with demo users in embedded mode). */
@Entity({ name: 'app_user' })
export class AppUser {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  sub!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  groups!: string[];

  /** The unit of the directory the person belongs to (org_unit.id); null when none is named. */
  @Column({ name: 'unit_id', type: 'varchar', length: 64, nullable: true })
  unitId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
