import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { DomainError, FileFormat, StoredFile } from '@dg/contracts';
import { CallContext, FileTransfer, requireRole } from '@dg/platform';
import { allQuestions, questionIndex } from '@dg/survey-model';
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
    // CSV is long (one row per agency and question: any size, easy to load into analysis tools);
    // XLSX is wide (one row per agency, one column per question) because a sheet holds at most
    // 1,048,576 rows and 10,000 agencies x 150 answers would not fit, nor stream in bounded memory.
    const stream = format === 'csv' ? csvStream(this.rows(cycleId)) : await this.wideXlsx(cycleId);
    return this.files.putStream(
      {
        objectName: `export/${randomUUID()}.${format}`,
        fileName: `responses-${cycleId}.${format}`,
        contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>,
    );
  }

  private async wideXlsx(cycleId: string): Promise<Readable> {
    const cycle = await this.ds.manager.findOneOrFail(CycleEntity, { where: { id: cycleId } });
    const questions = cycle.questionnaireId
      ? allQuestions(await this.questionnaires.definition(cycle.questionnaireId)).map((q) => q.id)
      : [];
    const header = [...EXPORT_COLUMNS.slice(0, 6), ...questions];
    return xlsxStream(header, this.wideRows(cycleId, questions));
  }

  private async *wideRows(cycleId: string, questions: string[]): AsyncGenerator<string[]> {
    for await (const r of this.responses(cycleId)) {
      yield [r.cycleId, r.agencyCode, r.agencyName, r.group, r.status, String(r.submissionCount), ...questions.map((q) => cellOf(r.answers[q]))];
    }
  }

  /** Responses of a cycle in agency-code order, read in batches (never all at once). */
  private async *responses(cycleId: string): AsyncGenerator<ResponseEntity> {
    let after = '';
    for (;;) {
      const batch = await this.ds.manager
        .createQueryBuilder(ResponseEntity, 'r')
        .where('r.cycle_id = :cycleId AND r.agency_code > :after', { cycleId, after })
        .orderBy('r.agency_code')
        .limit(BATCH)
        .getMany();
      if (batch.length === 0) return;
      yield* batch;
      after = batch[batch.length - 1].agencyCode;
    }
  }

  private async *rows(cycleId: string): AsyncGenerator<string[]> {
    const indexes = new Map<string, ReturnType<typeof questionIndex>>();
    for await (const r of this.responses(cycleId)) {
      let index = indexes.get(r.questionnaireId);
      if (!index) {
        index = questionIndex(await this.questionnaires.definition(r.questionnaireId));
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

function xlsxStream(header: string[], rows: AsyncGenerator<string[]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('responses');
  void (async () => {
    try {
      sheet.addRow(header).commit();
      let n = 0;
      for await (const row of rows) {
        sheet.addRow(row).commit();
        // Let the zip and the object store catch up instead of buffering the whole sheet.
        if (++n % 200 === 0) while (out.readableLength > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
      }
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}
