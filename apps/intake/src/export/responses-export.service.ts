import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { DomainError, FileFormat, StoredFile } from '@dg/contracts';
import { CallContext, FileTransfer } from '@dg/platform';
import { Questionnaire, questionIndex } from '@dg/survey-model';
import { requireRole } from '../access';
import { CycleEntity, ResponseEntity } from '../entities';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';

export const EXPORT_COLUMNS = [
  'cycle_id',
  'agency_code',
  'agency_name',
  'agency_group',
  'status',
  'submission',
  'question_id',
  'pillar',
  'indicator',
  'value',
] as const;

const BATCH = 200;

/** An answer as one cell: lists joined with "; ", repeating groups as JSON. */
export function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? value.join('; ') : JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

/**
 * Every answer of a cycle, one row per (agency, question), streamed: responses are read in
 * batches by agency code and written as they come, so 10,000 agencies x 150 answers never sit in
 * memory at once.
 */
@Injectable()
export class ResponsesExportService {
  constructor(
    private readonly ds: DataSource,
    private readonly files: FileTransfer,
    private readonly questionnaires: QuestionnairesService,
  ) {}

  async export(cycleId: string, format: FileFormat, ctx: CallContext): Promise<StoredFile> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    if (!(await this.ds.manager.findOne(CycleEntity, { where: { id: cycleId } }))) throw new DomainError('CYCLE_NOT_FOUND');
    const rows = this.rows(cycleId);
    const stream = format === 'csv' ? csvStream(rows) : xlsxStream(rows);
    return this.files.putStream(
      {
        objectName: `export/${randomUUID()}.${format}`,
        fileName: `responses-${cycleId}.${format}`,
        contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>,
    );
  }

  private async *rows(cycleId: string): AsyncGenerator<string[]> {
    const indexes = new Map<string, ReturnType<typeof questionIndex>>();
    let after = '';
    for (;;) {
      const batch = await this.ds.manager
        .createQueryBuilder(ResponseEntity, 'r')
        .where('r.cycle_id = :cycleId AND r.agency_code > :after', { cycleId, after })
        .orderBy('r.agency_code')
        .limit(BATCH)
        .getMany();
      if (batch.length === 0) return;
      for (const r of batch) {
        let index = indexes.get(r.questionnaireId);
        if (!index) {
          index = questionIndex((await this.questionnaires.definition(r.questionnaireId)) as Questionnaire);
          indexes.set(r.questionnaireId, index);
        }
        for (const [questionId, value] of Object.entries(r.answers)) {
          const where = index.get(questionId);
          yield [
            r.cycleId,
            r.agencyCode,
            r.agencyName,
            r.group,
            r.status,
            String(r.submissionCount),
            questionId,
            where?.pillarId ?? '',
            where?.indicatorId ?? '',
            cellOf(value),
          ];
        }
      }
      after = batch[batch.length - 1].agencyCode;
    }
  }
}

function csvStream(rows: AsyncGenerator<string[]>): Readable {
  async function* lines() {
    yield Buffer.from([0xef, 0xbb, 0xbf]); // BOM: Excel then reads Thai as UTF-8
    yield Buffer.from(stringify([[...EXPORT_COLUMNS]], { record_delimiter: '\r\n' }));
    let chunk: string[][] = [];
    for await (const row of rows) {
      chunk.push(row);
      if (chunk.length === 1000) {
        yield Buffer.from(stringify(chunk, { record_delimiter: '\r\n' }));
        chunk = [];
      }
    }
    if (chunk.length) yield Buffer.from(stringify(chunk, { record_delimiter: '\r\n' }));
  }
  return Readable.from(lines());
}

function xlsxStream(rows: AsyncGenerator<string[]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('answers');
  void (async () => {
    try {
      sheet.addRow([...EXPORT_COLUMNS]).commit();
      for await (const row of rows) sheet.addRow(row).commit();
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

