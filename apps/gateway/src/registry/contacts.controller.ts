import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Rpc } from '@dg/contracts';
import { ServiceClient } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';
import { ApiUuidParam, ParseIdPipe } from '../http/params';
import { ApiProblemsOf } from '../openapi';
import { ContactCreateDto, ContactDto, ContactListDto } from './registry.dto';

/** Contact people of an agency: personal data under the PDPA, kept with a purpose and a legal basis. */
@ApiTags('registry')
@Controller()
export class ContactsController {
  constructor(private readonly rpc: ServiceClient) {}

  @Get('agencies/:id/contacts')
  @Allow('dga_admin', 'operator', 'coordinator', 'approver')
  @ApiOperation({ summary: "An agency's contact people · ผู้ประสานงานของหน่วยงาน" })
  @ApiUuidParam('id', 'agency id')
  @ApiOkResponse({ type: ContactListDto })
  @ApiProblemsOf(Rpc.ContactList)
  list(@Param('id', new ParseIdPipe('AGENCY_NOT_FOUND')) agencyId: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ContactList, { agencyId }, ctx);
  }

  @Post('agencies/:id/contacts')
  @Allow('dga_admin', 'coordinator')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Add a contact person (with purpose and legal basis) · เพิ่มผู้ประสานงาน พร้อมวัตถุประสงค์และฐานทางกฎหมาย',
  })
  @ApiUuidParam('id', 'agency id')
  @ApiCreatedResponse({ type: ContactDto })
  @ApiProblemsOf(Rpc.ContactCreate)
  create(
    @Param('id', new ParseIdPipe('AGENCY_NOT_FOUND')) agencyId: string,
    @Body() contact: ContactCreateDto,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.call(Rpc.ContactCreate, { agencyId, contact }, ctx);
  }

  @Delete('contacts/:id')
  @Allow('dga_admin', 'coordinator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a contact person (PDPA) · ลบข้อมูลส่วนบุคคลของผู้ประสานงาน (PDPA)',
    description: 'Personal fields are erased; the answer is the tombstone (erasedAt set).',
  })
  @ApiUuidParam('id', 'contact id')
  @ApiOkResponse({ type: ContactDto })
  @ApiProblemsOf(Rpc.ContactErase)
  erase(@Param('id', new ParseIdPipe('CONTACT_NOT_FOUND')) id: string, @Ctx() ctx: CallContext) {
    return this.rpc.call(Rpc.ContactErase, { id }, ctx);
  }
}
