import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications database. `deliveries` is the delivery log and the unit of work: one row per
 * (message, recipient, channel) with a deterministic id that is also the BullMQ job id, so the
 * same message is never queued or sent twice.
 */
export class NotificationsSchema1764500000001 implements MigrationInterface {
  name = 'NotificationsSchema1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE templates (
        key text PRIMARY KEY,
        version int NOT NULL,
        body jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE template_history (
        key text NOT NULL,
        version int NOT NULL,
        body jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, version)
      )`);
    await q.query(`
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        cycle_id text,
        kind text NOT NULL,
        template_key text NOT NULL,
        payload jsonb NOT NULL,
        queued int NOT NULL DEFAULT 0,
        skipped int NOT NULL DEFAULT 0,
        agencies_skipped int NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE campaign_attachments (
        campaign_id text NOT NULL REFERENCES campaigns (id),
        index int NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        PRIMARY KEY (campaign_id, index)
      )`);
    await q.query(`
      CREATE TABLE deliveries (
        id text PRIMARY KEY,
        campaign_id text REFERENCES campaigns (id),
        cycle_id text,
        agency_id uuid,
        agency_code text,
        contact_id uuid NOT NULL,
        channel text NOT NULL,
        template_key text NOT NULL,
        address text,
        variables jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
        skip_reason text,
        attempts int NOT NULL DEFAULT 0,
        provider_response text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX deliveries_log ON deliveries (cycle_id, agency_id, created_at DESC)`);
    await q.query(`CREATE INDEX deliveries_queued ON deliveries (updated_at) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX deliveries_contact ON deliveries (contact_id) WHERE status = 'queued'`);
    await q.query(`
      CREATE TABLE opt_outs (
        contact_id uuid NOT NULL,
        channel text NOT NULL,
        opted_out_at timestamptz NOT NULL DEFAULT now(),
        by text NOT NULL,
        PRIMARY KEY (contact_id, channel)
      )`);
    await q.query(
      `CREATE TABLE erased_contacts (contact_id uuid PRIMARY KEY, erased_at timestamptz NOT NULL)`,
    );
    // What notifications knows about contacts (no personal data): which agency, for permission checks.
    await q.query(`CREATE TABLE known_contacts (contact_id uuid PRIMARY KEY, agency_id uuid NOT NULL)`);
    // Projections of intake's events: cycles (for scheduled reminders) and who has submitted.
    await q.query(`
      CREATE TABLE cycles (
        cycle_id text PRIMARY KEY,
        year_be int NOT NULL,
        title_th text NOT NULL,
        title_en text NOT NULL,
        closes_at timestamptz NOT NULL,
        status text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE submitted_agencies (
        cycle_id text NOT NULL,
        agency_id uuid NOT NULL,
        submitted_at timestamptz NOT NULL,
        PRIMARY KEY (cycle_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE reminder_runs (
        cycle_id text NOT NULL,
        label text NOT NULL,
        campaign_id text,
        ran_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, label)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE reminder_runs, submitted_agencies, cycles, known_contacts, erased_contacts, opt_outs, deliveries,
         campaign_attachments, campaigns, template_history, templates`,
    );
  }
}
