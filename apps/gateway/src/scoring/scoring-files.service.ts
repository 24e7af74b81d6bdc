import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Rpc } from '@dg/contracts';
import type { RpcResponse } from '@dg/contracts';
import { CallContext, FileTransfer, ServiceClient } from '@dg/platform';
import { putUpload, safeFileName } from '../http/transfer';
import type { Upload } from '../http/upload';
import { CONTENT_TYPES, detectFormat } from '../registry/file-format';

/** An import reads a whole file of results (one row per agency): longer than the default 10 s. */
export const RESULTS_IMPORT_RPC_TIMEOUT_MS = 120_000;

/**
 * Hands an uploaded file of a cycle's previously published results to the scoring service, the
 * same way as the registry import: the format is recognised from the bytes (binary files that are
 * not XLSX are 415 here), the file goes into the platform's transfer bucket, the service gets its
 * `StoredFile`, and the object is removed as soon as the call is over.
 */
@Injectable()
export class ScoringFilesService {
  private readonly logger = new Logger('ScoringFiles');

  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: FileTransfer,
  ) {}

  async importResults(
    cycleId: string,
    upload: Upload,
    dryRun: boolean,
    ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.ResultsImport>> {
    const format = detectFormat(upload.bytes);
    const objectName = `results-import/${randomUUID()}.${format}`;
    const file = await putUpload(
      this.files,
      {
        objectName,
        fileName: safeFileName(upload.fileName, `results-${cycleId}.${format}`),
        contentType: CONTENT_TYPES[format],
      },
      upload.bytes,
    );
    try {
      const report = await this.rpc.call(
        Rpc.ResultsImport,
        { cycleId, file, dryRun },
        ctx,
        RESULTS_IMPORT_RPC_TIMEOUT_MS,
      );
      this.logger.log(
        { correlationId: ctx.correlationId, cycleId, dryRun, format, imported: report.imported },
        'previous results import',
      );
      return report;
    } finally {
      await this.files.delete(objectName);
    }
  }
}
