import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ZodValidationPipe } from 'nestjs-zod';
import { PlatformModule } from '@dg/platform';
import { AuthModule } from './auth/auth.module';
import { AwardsModule } from './awards/awards.module';
import { GATEWAY_CONFIG, GatewayConfig } from './config';
import { gatewayDataSourceOptions } from './database';
import { CallContextInterceptor } from './http/context.interceptor';
import { HealthViewModule } from './health/health.module';
import { GatewayMetricsPort } from './http/metrics-port';
import { QueryParamsInterceptor } from './http/query-params';
import { IntakeModule } from './intake/intake.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RegistryModule } from './registry/registry.module';
import { ScoringModule } from './scoring/scoring.module';
import { UsersModule } from './users/users.module';

@Global()
@Module({})
class ConfigModule {
  static of(config: GatewayConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}

/**
 * The gateway: auth and users (its own `gateway` database), and HTTP routes that become NATS RPCs
 * to the services. Every route goes through AccessGuard (APP_GUARD, in AuthModule) and every
 * body, query and param through the contracts' zod schemas (APP_PIPE); a query parameter the
 * route's schema does not name is refused (QueryParamsInterceptor).
 */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.of(config),
        PlatformModule.forRoot({
          service: 'gateway',
          logLevel: config.logLevel,
          nats: config.nats,
          outbox: false,
          // The gateway's port is public: metrics go on METRICS_PORT (GatewayMetricsPort).
          metricsRoute: false,
        }),
        TypeOrmModule.forRoot(gatewayDataSourceOptions(config.databaseUrl, config.databasePoolSize)),
        AuthModule,
        UsersModule,
        RegistryModule,
        IntakeModule,
        ScoringModule,
        NotificationsModule,
        AwardsModule,
        HealthViewModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: CallContextInterceptor },
        { provide: APP_INTERCEPTOR, useClass: QueryParamsInterceptor },
        GatewayMetricsPort,
      ],
    };
  }
}
