import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { UserEntity } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { LoginThrottle } from './login-throttle';
import { RefreshTokenEntity, SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

/**
 * Login, sessions, tokens, login throttling, and the one access guard that every route of the app
 * goes through (APP_GUARD). `Authenticator` and `LoginThrottle` are exported for the queue
 * dashboard, whose plain Fastify routes the guard never sees.
 */
@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([SessionEntity, RefreshTokenEntity, UserEntity]),
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
  providers: [
    AuthService,
    Authenticator,
    TokenService,
    SessionsRepository,
    LoginThrottle,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [Authenticator, LoginThrottle],
})
export class AuthModule {}
