import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, AnyRole, Ctx } from '../auth/access.decorators';
import { ApiUuidParam, ParseIdPipe } from '../http/params';
import { ApiProblems, ApiProblemsOf } from '../openapi';
import { QuestionnaireDefinitionDto, QuestionnaireRecordDto, QuestionnaireSummaryDto } from './intake.dto';

/**
 * Questionnaire definitions: data, never code. Stored once and never changed; a new year (or a
 * correction) is a new version. Validation of the definition is the intake service's
 * (`@dg/survey-model`); attaching one to a cycle is `PUT /cycles/:id/questionnaire`.
 */
@ApiTags('questionnaires')
@Controller('questionnaires')
export class QuestionnairesController {
  constructor(private readonly rpc: ServiceClient) {}

  @Post()
  @Allow('dga_admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Store a questionnaire definition · บันทึกแบบสำรวจ',
    description:
      'The body is the definition JSON itself (survey-model format), up to the 512 KiB JSON limit (413 PAYLOAD_TOO_LARGE beyond). It is validated ' +
      'by the intake service: errors come back as 422 QUESTIONNAIRE_INVALID with one `errors[]` entry per problem (`path`).',
  })
  @ApiBody({ type: QuestionnaireDefinitionDto })
  @ApiCreatedResponse({ type: QuestionnaireSummaryDto })
  @ApiProblemsOf(Rpc.QuestionnaireCreate)
  @ApiProblems('PAYLOAD_TOO_LARGE')
  create(@Body() definition: QuestionnaireDefinitionDto, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.QuestionnaireCreate, { definition }, ctx);
  }

  @Get(':id')
  @Allow(AnyRole)
  @ApiOperation({ summary: 'Get a questionnaire with its definition · ดูแบบสำรวจ' })
  @ApiUuidParam('id', 'questionnaire id')
  @ApiOkResponse({ type: QuestionnaireRecordDto })
  @ApiProblemsOf(Rpc.QuestionnaireGet)
  get(@Param('id', new ParseIdPipe('QUESTIONNAIRE_NOT_FOUND')) id: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.QuestionnaireGet, { id }, ctx);
  }
}
