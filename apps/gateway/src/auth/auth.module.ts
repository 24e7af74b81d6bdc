import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { TokenService } from './token.service';

/**
 * Login, tokens, and the one access guard that every route of the app goes through (APP_GUARD).
 * `Authenticator` is exported for the queue dashboard, whose plain Fastify routes the guard never sees.
 */
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        secret: config.jwt.secret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, Authenticator, TokenService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [Authenticator],
})
export class AuthModule {}
