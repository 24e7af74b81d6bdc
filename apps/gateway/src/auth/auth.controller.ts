import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@dg/platform';
import { ApiProblems } from '../openapi';
import type { UserEntity } from '../users/user.entity';
import { Allow, AnyRole, CurrentAccount, CurrentSession } from './access.decorators';
import {
  LoginDto,
  LoginResult,
  LoginResultDto,
  Me,
  MeDto,
  PasswordChangeDto,
  RefreshDto,
  RefreshInput,
} from './auth.dto';
import { AuthService, meOf } from './auth.service';
import { LoginThrottled } from './login-throttle';

/**
 * The refresh token also travels as an HttpOnly cookie for the portal (a SPA on the same origin):
 * script cannot read it, SameSite=Strict keeps other sites from sending it, and only the auth
 * routes receive it.
 */
export const REFRESH_COOKIE = 'dg_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

type CookieRequest = FastifyRequest & { cookies?: Record<string, string | undefined> };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with e-mail and password · เข้าสู่ระบบด้วยอีเมลและรหัสผ่าน',
    description:
      'Opens a session: a short-lived bearer access token and a single-use refresh token (body, and ' +
      'the HttpOnly cookie dg_refresh). Unknown e-mail, wrong password and inactive account all get ' +
      '401 INVALID_CREDENTIALS. Throttled per client address (LOGIN_RATE_LIMIT a minute) and per ' +
      'e-mail (after LOGIN_FREE_ATTEMPTS attempts without success, a growing wait of at most ' +
      'LOGIN_MAX_DELAY): 429 RATE_LIMITED with Retry-After.',
  })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE')
  login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    return this.withSession(reply, this.auth.login(body, req.ip));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew the access token · ต่ออายุโทเค็น',
    description:
      'Takes the refresh token (body `refreshToken`, or else the dg_refresh cookie, with `{}` or no body at all) and answers a new ' +
      'access token and a new refresh token; the one presented is spent. A spent refresh token ' +
      'presented again ends the whole session (401): log in again.',
  })
  @ApiBody({ type: RefreshDto, required: false })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'SERVICE_UNAVAILABLE')
  refresh(
    // Validated here, not by the global pipe: the portal posts no body at all, which the DTO's
    // object schema would refuse. A ZodError thrown here is a 400 VALIDATION_FAILED like any other.
    @Body() raw: unknown,
    @Req() req: CookieRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const body = RefreshInput.parse(raw ?? {});
    return this.withSession(reply, this.auth.refresh(body.refreshToken ?? req.cookies?.[REFRESH_COOKIE]));
  }

  @Post('logout')
  @Allow(AnyRole)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Log out: end this session · ออกจากระบบ',
    description: "Ends the access token's session: the token stops working at once, its refresh token too.",
  })
  @ApiNoContentResponse({ description: 'Session ended' })
  async logout(
    @CurrentAccount() account: UserEntity,
    @CurrentSession() sessionId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(account.id, sessionId);
    void reply.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
  }

  @Post('password')
  @Allow(AnyRole)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change my password · เปลี่ยนรหัสผ่านของฉัน',
    description:
      'Needs the current password. The new one: 12 characters at least, 72 bytes at most, not the ' +
      'e-mail, not a common (breached) password. Every session of the user ends, this one too; ' +
      'the answer is a new session, as from login.',
  })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems('VALIDATION_FAILED', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE')
  changePassword(
    @Body() body: PasswordChangeDto,
    @CurrentAccount() account: UserEntity,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    return this.withSession(reply, this.auth.changePassword(account, body, req.ip));
  }

  @Get('me')
  @Allow(AnyRole)
  @ApiOperation({ summary: 'Who am I: roles and agency · ข้อมูลผู้ใช้ที่เข้าสู่ระบบ บทบาท และหน่วยงาน' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentAccount() account: UserEntity): Me {
    return meOf(account);
  }

  /** Sets the refresh cookie from a new session, and Retry-After on a throttled attempt. */
  private async withSession(reply: FastifyReply, pending: Promise<LoginResult>): Promise<LoginResult> {
    try {
      const result = await pending;
      void reply.header('cache-control', 'no-store').setCookie(REFRESH_COOKIE, result.refreshToken, {
        path: REFRESH_COOKIE_PATH,
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge: result.refreshExpiresIn,
      });
      return result;
    } catch (e) {
      if (e instanceof LoginThrottled) void reply.header('retry-after', String(e.retryAfter));
      throw e;
    }
  }
}
