import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Streams } from '@dg/contracts';
import { dataSourceOptions, InboxEntry, natsOptionsOf, OutboxEvent, PlatformModule } from '@dg/platform';
import { AgenciesMessages } from './agencies/agencies.messages';
import { AgenciesRepository } from './agencies/agencies.repository';
import { AgenciesService } from './agencies/agencies.service';
import { AgencyExportService } from './agencies/files/agency-export.service';
import { AgencyImportService } from './agencies/files/agency-import.service';
import { CohortsMessages } from './cohorts/cohorts.messages';
import { CohortsRepository } from './cohorts/cohorts.repository';
import { CohortsService } from './cohorts/cohorts.service';
import type { RegistryConfig } from './config';
import { ContactsMessages } from './contacts/contacts.messages';
import { ContactsRepository } from './contacts/contacts.repository';
import { ContactsService } from './contacts/contacts.service';
import {
  AgencyEntity,
  AuditEntry,
  CohortEntity,
  CohortMemberEntity,
  ContactEntity,
  MinistryEntity,
  ProvinceEntity,
} from './entities';
import { registryMigrations } from './migrations';
import { ReferenceMessages } from './reference/reference.messages';
import { RegistryMetrics } from './registry.metrics';

export const registryEntities = [
  MinistryEntity,
  ProvinceEntity,
  AgencyEntity,
  ContactEntity,
  CohortEntity,
  CohortMemberEntity,
  AuditEntry,
  OutboxEvent,
  InboxEntry,
];

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: config.DATABASE_URL,
            entities: registryEntities,
            migrations: registryMigrations,
            poolSize: config.DATABASE_POOL_SIZE,
          }),
        ),
        PlatformModule.forRoot({
          service: 'registry',
          logLevel: config.LOG_LEVEL,
          nats: natsOptionsOf(config),
          streams: [Streams.REGISTRY],
        }),
      ],
      controllers: [ReferenceMessages, AgenciesMessages, ContactsMessages, CohortsMessages],
      providers: [
        RegistryMetrics,
        AgenciesRepository,
        AgenciesService,
        AgencyImportService,
        AgencyExportService,
        ContactsRepository,
        ContactsService,
        CohortsRepository,
        CohortsService,
      ],
    };
  }
}
