import { MigrationInterface, QueryRunner } from 'typeorm';
import ministries from '../reference/ministries.json';
import provinces from '../reference/provinces.json';

/** The 20 ministries and 77 provinces (ISO 3166-2:TH). Later corrections come as new migrations. */
export class ReferenceData1764100000002 implements MigrationInterface {
  name = 'ReferenceData1764100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO ministries (id, name_th, name_en) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [ministries.map((m) => m.code), ministries.map((m) => m.nameTh), ministries.map((m) => m.nameEn)],
    );
    await q.query(
      `INSERT INTO provinces (code, name_th, name_en, region)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        provinces.map((p) => p.code),
        provinces.map((p) => p.nameTh),
        provinces.map((p) => p.nameEn),
        provinces.map((p) => p.region),
      ],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM provinces`);
    await q.query(`DELETE FROM ministries`);
  }
}
