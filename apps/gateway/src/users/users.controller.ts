import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiIfMatch, ApiUuidParam, expectedVersion, ParseIdPipe } from '../http/params';
import { ApiProblems } from '../openapi';
import { UserCreateDto, UserDto, UserListQueryDto, UserPageDto, UserPatchDto, UserView } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Allow('dga_admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({
    summary: 'List users · รายชื่อผู้ใช้',
    description: 'Filter by role, agencyId, active, q (e-mail or name).',
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems('VALIDATION_FAILED')
  list(@Query() query: UserListQueryDto) {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user · ดูข้อมูลผู้ใช้' })
  @ApiUuidParam()
  @ApiOkResponse({ type: UserDto })
  @ApiProblems('USER_NOT_FOUND')
  get(@Param('id', new ParseIdPipe('USER_NOT_FOUND')) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a user · สร้างผู้ใช้',
    description:
      'coordinator and approver need the agencyId they act for (checked against the registry); ' +
      'other roles carry none, and the two kinds are not mixed. Passwords: at least 10 characters.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems('VALIDATION_FAILED', 'EMAIL_TAKEN', 'SERVICE_UNAVAILABLE')
  create(@Body() body: UserCreateDto, @Ctx() ctx: CallContext): Promise<UserView> {
    return this.users.create(body, ctx);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user (name, roles, agency, active, password) · แก้ไขผู้ใช้',
    description:
      'Send the version last read (body `version` or `If-Match`); a stale one is 409 with `currentVersion`.',
  })
  @ApiUuidParam()
  @ApiIfMatch()
  @ApiOkResponse({ type: UserDto })
  @ApiProblems('VALIDATION_FAILED', 'USER_NOT_FOUND', 'USER_VERSION_CONFLICT', 'SERVICE_UNAVAILABLE')
  update(
    @Param('id', new ParseIdPipe('USER_NOT_FOUND')) id: string,
    @Body() body: UserPatchDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CallContext,
  ): Promise<UserView> {
    const { version, ...patch } = body;
    return this.users.update(id, expectedVersion(version, ifMatch), patch, ctx);
  }
}
