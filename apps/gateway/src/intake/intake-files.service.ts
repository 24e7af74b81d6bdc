import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Rpc } from '@dg/contracts';
import type { FileFormat, RpcResponse } from '@dg/contracts';
import { CallContext, FileTransfer, ServiceClient } from '@dg/platform';
import { openDownload, putUpload, safeFileName } from '../http/transfer';
import type { Upload } from '../http/upload';

/** Evidence is checked, hashed and stored by the intake service while the gateway waits. */
export const EVIDENCE_RPC_TIMEOUT_MS = 60_000;
/** An export walks every answer of a cycle. */
export const EXPORT_RPC_TIMEOUT_MS = 120_000;

/**
 * What the gateway declares for an upload: nothing. The browser's type (and the name's extension)
 * are the client's claim; the intake service recognises the type from the bytes.
 */
export const UNTRUSTED_CONTENT_TYPE = 'application/octet-stream';

export interface ResponseKey {
  cycleId: string;
  agencyId: string;
}

/**
 * Moves evidence and exports between HTTP and the intake service through the platform's transfer
 * bucket, the same way as the registry's imports and exports: uploads are removed once the call is
 * over, downloads once they have been streamed.
 */
@Injectable()
export class IntakeFilesService {
  private readonly logger = new Logger('IntakeFiles');

  constructor(
    private readonly rpc: ServiceClient,
    private readonly files: FileTransfer,
  ) {}

  async uploadEvidence(
    key: ResponseKey,
    questionId: string,
    upload: Upload,
    ctx: CallContext,
  ): Promise<RpcResponse<typeof Rpc.EvidenceUpload>> {
    const objectName = `evidence-upload/${randomUUID()}`;
    const file = await putUpload(
      this.files,
      {
        objectName,
        // A label only: never a path, never used to decide the type.
        fileName: safeFileName(upload.fileName, 'evidence'),
        contentType: UNTRUSTED_CONTENT_TYPE,
      },
      upload.bytes,
    );
    try {
      const evidence = await this.rpc.call(
        Rpc.EvidenceUpload,
        { ...key, questionId, file },
        ctx,
        EVIDENCE_RPC_TIMEOUT_MS,
      );
      this.logger.log(
        {
          correlationId: ctx.correlationId,
          cycleId: key.cycleId,
          agencyId: key.agencyId,
          evidenceId: evidence.id,
          size: evidence.size,
          contentType: evidence.contentType,
        },
        'evidence uploaded',
      );
      return evidence;
    } finally {
      await this.files.delete(objectName);
    }
  }

  /** The evidence record and a stream of its bytes (deleted from the bucket once streamed). */
  async downloadEvidence(
    id: string,
    ctx: CallContext,
  ): Promise<{ file: RpcResponse<typeof Rpc.EvidenceGet>; stream: Readable }> {
    const file = await this.rpc.call(Rpc.EvidenceGet, { id }, ctx, EVIDENCE_RPC_TIMEOUT_MS);
    return { file, stream: await openDownload(this.files, file) };
  }

  /** Every answer of a cycle as a file, streamed (deleted from the bucket once streamed). */
  async exportResponses(
    cycleId: string,
    format: FileFormat,
    ctx: CallContext,
  ): Promise<{ file: RpcResponse<typeof Rpc.ResponseExport>; stream: Readable }> {
    const file = await this.rpc.call(Rpc.ResponseExport, { cycleId, format }, ctx, EXPORT_RPC_TIMEOUT_MS);
    return { file, stream: await openDownload(this.files, file) };
  }
}
