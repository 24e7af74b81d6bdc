import { Injectable } from '@nestjs/common';
import { DomainError, Rpc, type Submission } from '@dg/contracts';
import { type CallContext, ServiceClient, systemContext } from '@dg/platform';
import { type Questionnaire, validateDefinition } from '@dg/survey-model';

/**
 * What scoring asks intake (it never reads intake's tables). Questionnaire versions are immutable,
 * so they are cached for the life of the process.
 */
@Injectable()
export class IntakeSource {
  private readonly questionnaires = new Map<string, Promise<Questionnaire>>();

  constructor(private readonly rpc: ServiceClient) {}

  submission(responseId: string, submission: number, ctx: CallContext): Promise<Submission> {
    return this.rpc.call(Rpc.SubmissionGet, { responseId, submission }, systemContext(ctx));
  }

  cycle(cycleId: string, ctx: CallContext) {
    return this.rpc.call(Rpc.CycleGet, { cycleId }, systemContext(ctx));
  }

  /** Whether intake lets the cycle's results be published (closed, every submission dealt with). */
  readiness(cycleId: string, ctx: CallContext) {
    return this.rpc.call(Rpc.CycleReadiness, { cycleId }, systemContext(ctx));
  }

  questionnaire(id: string, ctx: CallContext): Promise<Questionnaire> {
    let found = this.questionnaires.get(id);
    if (!found) {
      found = this.rpc.call(Rpc.QuestionnaireGet, { id }, systemContext(ctx)).then((record) => {
        const parsed = validateDefinition(record.definition);
        if (!parsed.ok)
          throw new DomainError('QUESTIONNAIRE_NOT_FOUND', `questionnaire ${id} no longer validates`);
        return parsed.questionnaire;
      });
      found.catch(() => this.questionnaires.delete(id));
      this.questionnaires.set(id, found);
    }
    return found;
  }
}
