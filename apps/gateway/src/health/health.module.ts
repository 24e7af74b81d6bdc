import { Module } from '@nestjs/common';
import { ServicesHealthController } from './services-health.controller';

/** The operators' aggregate readiness view (GET /api/v1/health/services). */
@Module({ controllers: [ServicesHealthController] })
export class HealthViewModule {}
