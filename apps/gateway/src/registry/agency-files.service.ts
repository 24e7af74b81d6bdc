import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AgencyImportReport, FileFormat, Rpc, StoredFile } from '@dg/contracts';
import { CallContext, FileTransfer, ServiceClient } from '@dg/platform';
import { openDownload, putUpload, safeFileName } from '../http/transfer';
import type { Upload } from '../http/upload';
import { CONTENT_TYPES, detectFormat } from './file-format';

/** Imports and exports are slow (thousands of rows): they get longer than the default 10 s. */
export const FILE_RPC_TIMEOUT_MS = 120_000;

/**
 * Moves agency files between HTTP and the registry. Files travel through the platform's transfer
 * bucket (they exceed NATS's message size), never through the RPC payload, and are removed from
 * it as soon as the call is over.
 */
@Injectable()
export class AgencyFilesService {
  private readonly logger = new Logger('AgencyFiles');

  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: FileTransfer,
  ) {}

  async import(upload: Upload, dryRun: boolean, ctx: CallContext): Promise<AgencyImportReport> {
    const format = detectFormat(upload.bytes);
    const objectName = `import/${randomUUID()}.${format}`;
    const file = await putUpload(
      this.files,
      {
        objectName,
        fileName: safeFileName(upload.fileName, `agencies.${format}`),
        contentType: CONTENT_TYPES[format],
      },
      upload.bytes,
    );
    try {
      const report = await this.rpc.call(Rpc.AgencyImport, { file, dryRun }, ctx, FILE_RPC_TIMEOUT_MS);
      this.logger.log(
        { correlationId: ctx.correlationId, dryRun, rows: report.rows, format },
        'agency import',
      );
      return report;
    } finally {
      await this.files.delete(objectName);
    }
  }

  /** Asks the registry for the file, then hands back a stream of it; the object is deleted once the stream closes. */
  async export(format: FileFormat, ctx: CallContext): Promise<{ file: StoredFile; stream: Readable }> {
    const file = await this.rpc.call(Rpc.AgencyExport, { format }, ctx, FILE_RPC_TIMEOUT_MS);
    return { file, stream: await openDownload(this.files, file) };
  }
}
