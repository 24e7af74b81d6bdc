import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Streams } from '@dg/contracts';
import { dataSourceOptions, InboxEntry, natsOptionsOf, OutboxEvent, PlatformModule } from '@dg/platform';
import { INTAKE_CONFIG, type IntakeConfig } from './config';
import { CycleCloser } from './cycles/cycle-closer';
import { CyclesService } from './cycles/cycles.service';
import {
  CycleEntity,
  EvidenceEntity,
  QuestionnaireEntity,
  ResponseAuditEntity,
  ResponseEntity,
  ResponseVersionEntity,
} from './entities';
import { EvidenceService } from './evidence/evidence.service';
import { EVIDENCE_STORAGE, LocalDirectoryStorage } from './evidence/storage';
import { ResponsesExportService } from './export/responses-export.service';
import { IntakeMessages } from './intake.messages';
import { IntakeMetrics } from './intake.metrics';
import { intakeMigrations } from './migrations';
import { QuestionnairesService } from './questionnaires/questionnaires.service';
import { ResponsesService } from './responses/responses.service';

export const intakeEntities = [
  QuestionnaireEntity,
  CycleEntity,
  ResponseEntity,
  ResponseVersionEntity,
  ResponseAuditEntity,
  EvidenceEntity,
  OutboxEvent,
  InboxEntry,
];

@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: intakeEntities,
            migrations: intakeMigrations,
            poolSize: config.DATABASE_POOL_SIZE,
          }),
        ),
        PlatformModule.forRoot({
          service: 'intake',
          logLevel: config.LOG_LEVEL,
          nats: natsOptionsOf(config),
          streams: [Streams.INTAKE],
        }),
      ],
      controllers: [IntakeMessages],
      providers: [
        { provide: INTAKE_CONFIG, useValue: config },
        { provide: EVIDENCE_STORAGE, useValue: new LocalDirectoryStorage(config.EVIDENCE_DIR) },
        IntakeMetrics,
        QuestionnairesService,
        CyclesService,
        CycleCloser,
        ResponsesService,
        EvidenceService,
        ResponsesExportService,
      ],
    };
  }
}
