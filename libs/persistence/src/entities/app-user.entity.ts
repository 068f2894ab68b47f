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

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
