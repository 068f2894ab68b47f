import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * That a person has read a notice of their feed (a task offered, a reminder fired, a letter
 * issued). The notices themselves are read from the tasks, timers and letters they are about;
 * only the reading is kept.
 */
@Entity({ name: 'notice_read' })
export class NoticeRead {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  sub!: string;

  /** The notice, e.g. "task:42", "reminder:clue-…:t7", "letter:<uuid>", "overdue:2026-12-03". */
  @PrimaryColumn({ name: 'notice_key', type: 'varchar', length: 400 })
  noticeKey!: string;

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt!: Date;
}
