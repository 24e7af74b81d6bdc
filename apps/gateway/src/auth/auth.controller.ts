import { RouteConfig } from '@nestjs/platform-fastify';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@dg/platform';
import { ApiProblems } from '../openapi';
import type { UserEntity } from '../users/user.entity';
import { Allow, AnyRole, CurrentAccount } from './access.decorators';
import { LoginDto, LoginResult, LoginResultDto, Me, MeDto } from './auth.dto';
import { AuthService, meOf } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @RouteConfig({ rateLimit: {} })
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with e-mail and password · เข้าสู่ระบบด้วยอีเมลและรหัสผ่าน',
    description:
      'Answers a bearer token. Unknown e-mail, wrong password and inactive account all get 401 INVALID_CREDENTIALS.',
  })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'RATE_LIMITED')
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.auth.login(body);
  }

  @Get('me')
  @Allow(AnyRole)
  @ApiOperation({ summary: 'Who am I: roles and agency · ข้อมูลผู้ใช้ที่เข้าสู่ระบบ บทบาท และหน่วยงาน' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentAccount() account: UserEntity): Me {
    return meOf(account);
  }
}
