import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { DomainError, FileFormat, ResponsesExportFile, Role } from '@dg/contracts';
import { CallContext, CSV_UTF8_BOM, CsvCell, FileTransfer, hasRole, requireRole, toCsv } from '@dg/platform';
import {
  allQuestions,
  Answers,
  carriesPersonalData,
  isPersonalQuestion,
  personalDataPaths,
  questionIndex,
  Questionnaire,
  withoutPersonalData,
} from '@dg/survey-model';
import { CycleEntity, ResponseEntity } from '../entities';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { aboutSheet } from './export-notice';

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
  'personal_data',
] as const;

/**
 * Who gets the coordinators' names, e-mails and phone numbers in the export (PDPA: only those who
 * need them). DGA admins run the cycle and contact the agencies; operators verify one response at a
 * time, where they see its contacts, and get the export without them.
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['dga_admin'];

const BATCH = 200;

/** An answer as one cell: lists joined with "; ", repeating groups as JSON. */
export function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value))
    return value.every((v) => typeof v !== 'object') ? value.join('; ') : JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

/**
 * An answer as a CSV cell: a number stays a number (a negative value is not a formula), anything
 * else is text, which toCsv neutralises when a spreadsheet would run it.
 */
export function csvCellOf(value: unknown): CsvCell {
  return typeof value === 'number' ? value : cellOf(value);
}

interface ExportOptions {
  cycleId: string;
  /** Keep personal data (PDPA) in the file: only for PERSONAL_DATA_ROLES. */
  personal: boolean;
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

  async export(cycleId: string, format: FileFormat, ctx: CallContext): Promise<ResponsesExportFile> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const cycle = await this.ds.manager.findOne(CycleEntity, { where: { id: cycleId } });
    if (!cycle) throw new DomainError('CYCLE_NOT_FOUND');
    const options: ExportOptions = { cycleId, personal: hasRole(ctx.actor, ...PERSONAL_DATA_ROLES) };
    const questionnaire = cycle.questionnaireId
      ? await this.questionnaires.definition(cycle.questionnaireId)
      : null;
    const personalData = {
      included: options.personal,
      questions: questionnaire ? personalDataPaths(questionnaire) : [],
    };
    // CSV is long (one row per agency and question: any size, easy to load into analysis tools);
    // XLSX is wide (one row per agency, one column per question) because a sheet holds at most
    // 1,048,576 rows and 10,000 agencies x 150 answers would not fit, nor stream in bounded memory.
    const stream =
      format === 'csv'
        ? csvStream(this.rows(options))
        : this.wideXlsx(options, questionnaire, aboutSheet(cycleId, personalData));
    // The file's name says when it holds personal data, so it is recognised once saved.
    const name = `responses-${cycleId}${personalData.included ? '-personal-data' : ''}.${format}`;
    const file = await this.files.putStream(
      {
        objectName: `export/${randomUUID()}.${format}`,
        fileName: name,
        contentType:
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>,
    );
    if (personalData.included) await this.auditPersonalDataExport(cycleId, name, personalData.questions, ctx);
    return { ...file, personalData };
  }

  /**
   * PDPA: who took the people's personal data out of the platform, and when, is on the audit of
   * every response of the cycle (what an agency asking "who has our coordinator's phone?" reads).
   * One statement, after the file is written: an export that failed took nothing out. The export
   * is always the whole cycle; an export filtered to some agencies must audit those only.
   */
  private async auditPersonalDataExport(
    cycleId: string,
    fileName: string,
    questions: string[],
    ctx: CallContext,
  ): Promise<void> {
    await this.ds.query(
      `INSERT INTO response_audit (response_id, actor_id, correlation_id, action, changes)
       SELECT id, $2, $3, 'export.personal_data',
              jsonb_build_object('fileName', $4::text, 'personalDataQuestions', $5::jsonb)
         FROM responses WHERE cycle_id = $1`,
      [cycleId, ctx.actor.id, ctx.correlationId, fileName, JSON.stringify(questions)],
    );
  }

  private wideXlsx(options: ExportOptions, questionnaire: Questionnaire | null, about: string[][]): Readable {
    const questions = questionnaire
      ? allQuestions(questionnaire)
          .filter((q) => options.personal || !isPersonalQuestion(questionnaire, q.id))
          .map((q) => q.id)
      : [];
    const header = [...EXPORT_COLUMNS.slice(0, 6), ...questions];
    return xlsxStream(header, this.wideRows(options, questions), about);
  }

  private async *wideRows(options: ExportOptions, questions: string[]): AsyncGenerator<string[]> {
    for await (const { response: r, answers } of this.responses(options)) {
      yield [
        r.cycleId,
        r.agencyCode,
        r.agencyName,
        r.group,
        r.status,
        String(r.submissionCount),
        ...questions.map((q) => cellOf(answers[q])),
      ];
    }
  }

  /**
   * Responses of a cycle in agency-code order, read in batches (never all at once), each with the
   * answers this export may carry (without personal data unless the options keep it).
   */
  private async *responses(
    options: ExportOptions,
  ): AsyncGenerator<{ response: ResponseEntity; answers: Answers; questionnaire: Questionnaire }> {
    // A cycle's responses share one questionnaire or a few versions: read each definition once.
    const definitions = new Map<string, Questionnaire>();
    const definition = async (id: string) => {
      let q = definitions.get(id);
      if (!q) definitions.set(id, (q = await this.questionnaires.definition(id)));
      return q;
    };
    let after = '';
    for (;;) {
      const batch = await this.ds.manager
        .createQueryBuilder(ResponseEntity, 'r')
        .where('r.cycle_id = :cycleId AND r.agency_code > :after', { cycleId: options.cycleId, after })
        .orderBy('r.agency_code')
        .limit(BATCH)
        .getMany();
      if (batch.length === 0) return;
      for (const response of batch) {
        const questionnaire = await definition(response.questionnaireId);
        const answers = options.personal
          ? response.answers
          : withoutPersonalData(questionnaire, response.answers);
        yield { response, answers, questionnaire };
      }
      after = batch[batch.length - 1].agencyCode;
    }
  }

  private async *rows(options: ExportOptions): AsyncGenerator<CsvCell[]> {
    for await (const { response: r, answers, questionnaire } of this.responses(options)) {
      const index = questionIndex(questionnaire);
      for (const [questionId, value] of Object.entries(answers)) {
        const where = index.get(questionId);
        yield [
          r.cycleId,
          r.agencyCode,
          r.agencyName,
          r.group,
          r.status,
          r.submissionCount,
          questionId,
          where?.pillarId ?? '',
          where?.indicatorId ?? '',
          csvCellOf(value),
          options.personal && carriesPersonalData(questionnaire, questionId),
        ];
      }
    }
  }
}

function csvStream(rows: AsyncGenerator<CsvCell[]>): Readable {
  async function* lines() {
    yield Buffer.from(CSV_UTF8_BOM); // Excel then reads Thai as UTF-8
    yield Buffer.from(toCsv([[...EXPORT_COLUMNS]]));
    let chunk: CsvCell[][] = [];
    for await (const row of rows) {
      chunk.push(row);
      if (chunk.length === 1000) {
        yield Buffer.from(toCsv(chunk));
        chunk = [];
      }
    }
    if (chunk.length) yield Buffer.from(toCsv(chunk));
  }
  return Readable.from(lines());
}

/**
 * The wide sheet, then a sheet that says what the file holds. XLSX cells are typed: text is
 * written as text, never as a formula, so it needs no quote against formula injection.
 */
function xlsxStream(header: string[], rows: AsyncGenerator<string[]>, about: string[][]): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('responses');
  void (async () => {
    try {
      sheet.addRow(header).commit();
      let n = 0;
      for await (const row of rows) {
        sheet.addRow(row).commit();
        // Let the zip and the object store catch up instead of buffering the whole sheet.
        if (++n % 200 === 0)
          while (out.readableLength > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
      }
      sheet.commit();
      const notice = workbook.addWorksheet('about');
      for (const line of about) notice.addRow(line).commit();
      notice.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}
