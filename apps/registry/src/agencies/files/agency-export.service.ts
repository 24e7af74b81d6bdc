import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FileFormat, StoredFile } from '@dg/contracts';
import { CallContext, FileTransfer, requireRole } from '@dg/platform';
import { AgenciesRepository } from '../agencies.repository';
import { writeAgencies } from './agency-file.writer';

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

@Injectable()
export class AgencyExportService {
  constructor(
    private readonly repo: AgenciesRepository,
    private readonly files: FileTransfer,
  ) {}

  async export(format: FileFormat, ctx: CallContext): Promise<StoredFile> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const bytes = await writeAgencies(await this.repo.exportRows(), format);
    const stamp = new Date().toISOString().slice(0, 10);
    return this.files.put(
      { objectName: `export/${randomUUID()}.${format}`, fileName: `agencies-${stamp}.${format}`, contentType: CONTENT_TYPES[format] },
      bytes,
    );
  }
}
