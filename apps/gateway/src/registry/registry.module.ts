import { Module } from '@nestjs/common';
import { AgenciesController } from './agencies.controller';
import { AgencyFilesController } from './agency-files.controller';
import { AgencyFilesService } from './agency-files.service';
import { CohortsController } from './cohorts.controller';
import { ContactsController } from './contacts.controller';
import { ReferenceController } from './reference.controller';

/** HTTP in front of the registry service: each route becomes one `registry.*` RPC over NATS. */
@Module({
  // AgencyFilesController first: its static paths (/agencies/import, /agencies/export) are declared
  // before /agencies/:id (Fastify prefers static segments anyway, and :id only takes UUIDs).
  controllers: [
    AgencyFilesController,
    ReferenceController,
    AgenciesController,
    ContactsController,
    CohortsController,
  ],
  providers: [AgencyFilesService],
})
export class RegistryModule {}
