import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ActorNames } from './actor-names';
import { CyclesController } from './cycles.controller';
import { IntakeFilesService } from './intake-files.service';
import { QuestionnairesController } from './questionnaires.controller';
import { ResponseFilesController } from './response-files.controller';
import { ResponsesController } from './responses.controller';

/** HTTP in front of the intake service: each route becomes one `intake.*` RPC over NATS. */
@Module({
  // ResponseFilesController first: /cycles/:id/responses/export is declared before
  // /cycles/:id/responses/:agencyId (Fastify prefers static segments anyway, and :agencyId only
  // takes UUIDs).
  controllers: [ResponseFilesController, CyclesController, QuestionnairesController, ResponsesController],
  imports: [UsersModule],
  providers: [IntakeFilesService, ActorNames],
})
export class IntakeModule {}
