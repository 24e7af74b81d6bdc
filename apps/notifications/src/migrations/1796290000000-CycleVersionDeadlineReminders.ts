import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline changes reach notifications (`intake.cycle.updated`):
 * - `cycles.version`: the intake version of the dates held, so an update delivered late never
 *   overwrites a newer one. NULL for rows made from an `intake.cycle.opened` that carried none.
 * - Scheduled reminders belong to a deadline: `T-7` becomes `T-7-<deadline's day in Bangkok>`.
 *   Runs already recorded were counted from the deadline held now, so they take its day and are
 *   not sent again after the upgrade.
 */
export class CycleVersionDeadlineReminders1796290000000 implements MigrationInterface {
  name = 'CycleVersionDeadlineReminders1796290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycles ADD COLUMN version int`);
    await q.query(`
      UPDATE reminder_runs r
         SET label = r.label || '-' || to_char(c.closes_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD')
        FROM cycles c
       WHERE c.cycle_id = r.cycle_id AND r.label ~ '^T-[0-9]+$'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to one run per offset: keep those of the deadline held now, forget the others.
    await q.query(`
      DELETE FROM reminder_runs r USING cycles c
       WHERE c.cycle_id = r.cycle_id AND r.label ~ '^T-[0-9]+-[0-9]{4}-[0-9]{2}-[0-9]{2}$'
         AND right(r.label, 10) <> to_char(c.closes_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD')`);
    // A manual reminder may have been labelled T-n after the upgrade: it keeps its row.
    await q.query(`
      UPDATE reminder_runs r SET label = left(r.label, length(r.label) - 11)
       WHERE r.label ~ '^T-[0-9]+-[0-9]{4}-[0-9]{2}-[0-9]{2}$'
         AND NOT EXISTS (SELECT 1 FROM reminder_runs x
                          WHERE x.cycle_id = r.cycle_id AND x.label = left(r.label, length(r.label) - 11))`);
    await q.query(`DELETE FROM reminder_runs WHERE label ~ '^T-[0-9]+-[0-9]{4}-[0-9]{2}-[0-9]{2}$'`);
    await q.query(`ALTER TABLE cycles DROP COLUMN version`);
  }
}
