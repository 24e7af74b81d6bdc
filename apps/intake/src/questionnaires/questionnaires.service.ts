import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@dg/contracts';
import { type CallContext, requireRole } from '@dg/platform';
import { allQuestions, Questionnaire, validateDefinition } from '@dg/survey-model';
import { QuestionnaireEntity } from '../entities';

export function toQuestionnaireSummary(e: QuestionnaireEntity) {
  const def = e.definition as Questionnaire;
  return {
    id: e.id,
    key: e.key,
    version: e.version,
    title: def.title,
    questionCount: e.questionCount,
    sample: def.sample ?? false,
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

/** Questionnaire definitions: validated, stored once, never changed (a correction is a new version). */
@Injectable()
export class QuestionnairesService {
  constructor(private readonly ds: DataSource) {}

  async create(definition: unknown, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin');
    const result = validateDefinition(definition);
    if (!result.ok) {
      throw new DomainError(
        'QUESTIONNAIRE_INVALID',
        undefined,
        result.problems.map((p) => ({ path: p.path, code: p.code, message: p.message, messageTh: p.messageTh })),
        { problemCount: result.problems.length },
      );
    }
    const q = result.questionnaire;
    const exists = await this.ds.manager.findOne(QuestionnaireEntity, { where: { key: q.id, version: q.version } });
    if (exists) throw versionExists(q.id, q.version);
    const entity: QuestionnaireEntity = {
      id: randomUUID(),
      key: q.id,
      version: q.version,
      definition: q,
      questionCount: allQuestions(q).length,
      createdBy: ctx.actor.id,
      createdAt: new Date(),
    };
    try {
      await this.ds.manager.insert(QuestionnaireEntity, entity);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw versionExists(q.id, q.version); // created meanwhile
      throw e;
    }
    return toQuestionnaireSummary(entity);
  }

  async get(id: string) {
    const e = await this.find(id);
    return { ...toQuestionnaireSummary(e), definition: e.definition };
  }

  /**
   * Stored questionnaires never change, so each is read once and kept. Callers inside a
   * transaction pass their manager: asking the pool for a second connection while holding one
   * can starve the pool under load (every holder waiting for another).
   */
  private readonly cache = new Map<string, QuestionnaireEntity>();

  async find(id: string, m: EntityManager = this.ds.manager): Promise<QuestionnaireEntity> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const e = await m.findOne(QuestionnaireEntity, { where: { id } });
    if (!e) throw new DomainError('QUESTIONNAIRE_NOT_FOUND');
    this.cache.set(id, e);
    return e;
  }

  async definition(id: string, m?: EntityManager): Promise<Questionnaire> {
    return (await this.find(id, m)).definition as Questionnaire;
  }
}

function versionExists(key: string, version: number): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `แบบสำรวจ ${key} ฉบับที่ ${version} มีอยู่แล้ว ให้เพิ่มเลขฉบับ (version ${version} of ${key} exists; raise the version)`,
    [{ path: 'version', code: 'VERSION_EXISTS', message: 'this key and version already exist' }],
  );
}
