import { Module } from '@nestjs/common';
import { PublicResultsController } from './public-results.controller';
import { ScoringFilesService } from './scoring-files.service';
import { ScoringController } from './scoring.controller';

/** HTTP in front of the scoring service: each route becomes one `scoring.*` RPC over NATS. */
@Module({
  controllers: [ScoringController, PublicResultsController],
  providers: [ScoringFilesService],
})
export class ScoringModule {}
