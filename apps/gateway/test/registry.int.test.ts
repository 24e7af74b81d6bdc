import { randomBytes } from 'node:crypto';
import { DomainError, Rpc } from '@dg/contracts';
import { FileTransfer } from '@dg/platform';
import { waitFor } from '@dg/platform/testing';
import { EXPORT_CSV } from './support/stand-in-registry';
import { TestGateway } from './support/gateway';

const MAX_UPLOAD = 64 * 1024;

/**
 * The registry routes, over real NATS to a stand-in registry (the real registry's end-to-end
 * tests live in apps/registry).
 */
describe('registry routes: HTTP to registry RPCs', () => {
  let gw: TestGateway;
  let admin: string;

  beforeAll(async () => {
    gw = await TestGateway.start({ env: { IMPORT_MAX_BYTES: String(MAX_UPLOAD) } });
    admin = await gw.adminToken();
  });

  afterAll(async () => {
    await gw?.close();
  });

  const transfer = () => gw.registryApp.get(FileTransfer);

  /** True once the object is gone from the transfer bucket. Opens it without reading: reading the
   * chunks of an object while it is being deleted can wait forever. */
  const gone = async (objectName: string) => {
    const stream = await transfer().stream(objectName);
    await stream?.cancel();
    return stream === null;
  };

  describe('reference lists and agencies', () => {
    it('serves ministries and provinces to any logged-in role', async () => {
      const { token } = await gw.userWithRoles(['committee']);
      const ministries = await gw.api('GET', '/ministries', { token });
      expect(ministries.status).toBe(200);
      expect(ministries.body.items[0]).toMatchObject({ id: 'MDES' });
      const provinces = await gw.api('GET', '/provinces', { token });
      expect(provinces.body.items[0]).toMatchObject({ code: 'TH-10', nameEn: 'Bangkok' });
      expect((await gw.api('GET', '/provinces')).status).toBe(401);
    });

    it('passes the correlation id and the actor to the registry, and echoes the id', async () => {
      const agency = gw.registry.addAgency({ code: 'DEP-CORR' });
      const res = await gw.api('GET', `/agencies/${agency.id}`, {
        token: admin,
        headers: { 'x-correlation-id': 'trace-me-2565' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(agency);
      expect(res.headers.get('x-correlation-id')).toBe('trace-me-2565');
      expect(res.headers.get('etag')).toBe('"1"');
      const call = gw.registry.lastCall(Rpc.AgencyGet)!;
      expect(call.ctx.correlationId).toBe('trace-me-2565');
      expect(call.ctx.actor).toMatchObject({
        email: 'admin@dga.or.th',
        roles: ['dga_admin'],
        agencyId: null,
      });

      // Without a header, the id the gateway made is the one the registry sees.
      const made = await gw.api('GET', `/agencies/${agency.id}`, { token: admin });
      expect(gw.registry.lastCall(Rpc.AgencyGet)!.ctx.correlationId).toBe(
        made.headers.get('x-correlation-id'),
      );
    });

    it('turns the registry’s domain errors into problem+json: another agency is 404 AGENCY_NOT_FOUND', async () => {
      const home = gw.registry.addAgency({ code: 'DEP-HOME' });
      const other = gw.registry.addAgency({ code: 'DEP-OTHER' });
      const { token } = await gw.userWithRoles(['coordinator'], home.id);
      expect((await gw.api('GET', `/agencies/${home.id}`, { token })).status).toBe(200);
      const res = await gw.api('GET', `/agencies/${other.id}`, { token });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'AGENCY_NOT_FOUND', status: 404 });
    });

    it('answers a non-UUID agency id with 404 without asking the registry', async () => {
      const before = gw.registry.calls.length;
      const res = await gw.api('GET', '/agencies/not-a-uuid', { token: admin });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('AGENCY_NOT_FOUND');
      expect(gw.registry.calls.length).toBe(before);
    });

    it('validates and forwards list filters', async () => {
      const res = await gw.api('GET', '/agencies?kind=department&q=DEP&page=2&pageSize=10', { token: admin });
      expect(res.status).toBe(200);
      expect(gw.registry.lastCall(Rpc.AgencyList)!.request).toEqual({
        kind: 'department',
        q: 'DEP',
        page: 2,
        pageSize: 10,
      });
      expect(res.body).toMatchObject({ page: 2, pageSize: 10 });

      const bad = await gw.api('GET', '/agencies?kind=ministry&pageSize=1000&parentId=x', { token: admin });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'kind',
        'pageSize',
        'parentId',
      ]);
    });

    it('creates an agency as dga_admin (201) and validates the body with the contract schema', async () => {
      const body = {
        code: 'DEP-777',
        nameTh: 'กรมตัวอย่าง',
        nameEn: 'Sample Department',
        kind: 'department',
        provinceCode: 'TH-10',
      };
      const res = await gw.api('POST', '/agencies', { token: admin, body });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ...body, orgType: 'government_agency', status: 'active', version: 1 });

      const again = await gw.api('POST', '/agencies', { token: admin, body });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('AGENCY_CODE_TAKEN');

      const bad = await gw.api('POST', '/agencies', {
        token: admin,
        body: { code: 'dep 1', nameTh: '', kind: 'ministry', provinceCode: 'Bangkok', surprise: true },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['code', 'nameTh', 'kind', 'provinceCode']));
      expect((bad.body.errors as { code: string }[]).some((e) => e.code === 'UNRECOGNIZED_KEYS')).toBe(true);
    });

    it('lets operators read but not write agencies', async () => {
      const { token } = await gw.userWithRoles(['operator']);
      expect((await gw.api('GET', '/agencies', { token })).status).toBe(200);
      const agency = gw.registry.addAgency({ code: 'DEP-RO' });
      const res = await gw.api('PATCH', `/agencies/${agency.id}`, {
        token,
        body: { nameTh: 'x', version: 1 },
      });
      expect(res.status).toBe(403);
    });

    it('patches with the body version or If-Match, and answers a stale one with 409 and currentVersion', async () => {
      const agency = gw.registry.addAgency({ code: 'DEP-PATCH' });
      const first = await gw.api('PATCH', `/agencies/${agency.id}`, {
        token: admin,
        body: { nameTh: 'ชื่อใหม่', version: 1 },
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ nameTh: 'ชื่อใหม่', version: 2 });
      expect(first.headers.get('etag')).toBe('"2"');

      const viaHeader = await gw.api('PATCH', `/agencies/${agency.id}`, {
        token: admin,
        headers: { 'if-match': first.headers.get('etag')! },
        body: { status: 'inactive' },
      });
      expect(viaHeader.status).toBe(200);
      expect(gw.registry.lastCall(Rpc.AgencyUpdate)!.request).toEqual({
        id: agency.id,
        patch: { status: 'inactive', version: 2 },
      });

      const stale = await gw.api('PATCH', `/agencies/${agency.id}`, {
        token: admin,
        body: { nameTh: 'x', version: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'AGENCY_VERSION_CONFLICT', currentVersion: 3 });

      const none = await gw.api('PATCH', `/agencies/${agency.id}`, { token: admin, body: { nameTh: 'x' } });
      expect(none.status).toBe(400);
      expect(none.body.errors).toEqual([expect.objectContaining({ path: 'version' })]);
    });
  });

  describe('contacts and cohorts', () => {
    it('lists, adds and erases contacts with the roles allowed', async () => {
      const agency = gw.registry.addAgency({ code: 'DEP-CONTACT' });
      const coordinator = await gw.userWithRoles(['coordinator'], agency.id);
      const approver = await gw.userWithRoles(['approver'], agency.id);

      const list = await gw.api('GET', `/agencies/${agency.id}/contacts`, { token: approver.token });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [] });

      const contact = {
        fullName: 'สมหญิง รักงาน',
        email: 'somying@example.go.th',
        purpose: 'ประสานงานการสำรวจ 2565',
        legalBasis: 'public_task',
      };
      const created = await gw.api('POST', `/agencies/${agency.id}/contacts`, {
        token: coordinator.token,
        body: contact,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...contact, agencyId: agency.id, erasedAt: null });
      expect(gw.registry.lastCall(Rpc.ContactCreate)!.request).toEqual({ agencyId: agency.id, contact });

      const noChannel = await gw.api('POST', `/agencies/${agency.id}/contacts`, {
        token: coordinator.token,
        body: { fullName: 'x', purpose: 'y', legalBasis: 'consent' },
      });
      expect(noChannel.status).toBe(400);
      expect(noChannel.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);

      expect(
        (await gw.api('POST', `/agencies/${agency.id}/contacts`, { token: approver.token, body: contact }))
          .status,
      ).toBe(403);

      const erased = await gw.api('DELETE', `/contacts/${created.body.id}`, { token: coordinator.token });
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({
        id: created.body.id,
        fullName: null,
        email: null,
        erasedAt: expect.any(String),
      });
      expect((await gw.api('DELETE', '/contacts/nope', { token: admin })).body.code).toBe(
        'CONTACT_NOT_FOUND',
      );
    });

    it('puts and reads a cycle cohort', async () => {
      const put = await gw.api('PUT', '/cycles/2565/cohort', {
        token: admin,
        body: {
          announcedCount: 1876,
          members: [{ agencyCode: 'DEP-001' }, { agencyCode: 'DEP-002', group: 'department' }],
        },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ cycleId: '2565', announcedCount: 1876, finalCount: 2 });

      const { token } = await gw.userWithRoles(['committee']);
      const get = await gw.api('GET', '/cycles/2565/cohort?pageSize=100', { token });
      expect(get.status).toBe(200);
      expect(gw.registry.lastCall(Rpc.CohortGet)!.request).toEqual({
        cycleId: '2565',
        page: 1,
        pageSize: 100,
      });

      const bad = await gw.api('PUT', '/cycles/2565/cohort', {
        token: admin,
        body: { members: [{ agencyCode: 'lower case' }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('members.0.agencyCode');
      expect((await gw.api('PUT', '/cycles/2565/cohort', { token, body: { members: [] } })).status).toBe(403);
    });
  });

  describe('import', () => {
    const upload = (bytes: Uint8Array, name = 'agencies.csv', field = 'file') => {
      const form = new FormData();
      form.append(field, new Blob([bytes]), name);
      return form;
    };

    it('puts the upload in the transfer bucket; the registry reads back exactly the bytes sent', async () => {
      const csv = Buffer.from(
        'code,nameTh,kind\nDEP-101,กรมหนึ่ง,department\nDEP-102,กรมสอง,department\n',
        'utf8',
      );
      const res = await gw.api('POST', '/agencies/import?dryRun=true', {
        token: admin,
        raw: upload(csv, 'หน่วยงาน.csv'),
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dryRun: true,
        format: 'csv',
        encoding: 'utf-8',
        rows: 2,
        created: 0,
        updated: 0,
        unchanged: 0,
      });

      const seen = gw.registry.lastImport!;
      expect(Buffer.from(seen.bytes!).equals(csv)).toBe(true);
      expect(seen.request.dryRun).toBe(true);
      expect(seen.request.file).toMatchObject({
        fileName: 'หน่วยงาน.csv',
        contentType: 'text/csv; charset=utf-8',
        size: csv.length,
      });
      expect(seen.request.file.objectName).toMatch(/^import\/[0-9a-f-]{36}\.csv$/);
      // Removed from the bucket once the call is over.
      expect(await gone(seen.request.file.objectName)).toBe(true);
    });

    it('recognises XLSX from its zip signature and carries binary bytes intact', async () => {
      const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(40_000)]);
      const res = await gw.api('POST', '/agencies/import', {
        token: admin,
        raw: upload(xlsx, 'registry.bin'),
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dryRun: false, format: 'xlsx' });
      const seen = gw.registry.lastImport!;
      expect(seen.request.file.objectName).toMatch(/\.xlsx$/);
      expect(seen.request.file.contentType).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(Buffer.from(seen.bytes!).equals(xlsx)).toBe(true);
    });

    it('refuses binary that is not a zip with 415, before anything reaches the registry', async () => {
      const before = gw.registry.seen(Rpc.AgencyImport).length;
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 3, 0, 0xff])]);
      const res = await gw.api('POST', '/agencies/import', {
        token: admin,
        raw: upload(pdf, 'agencies.csv'),
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(gw.registry.seen(Rpc.AgencyImport).length).toBe(before);
    });

    it('refuses a file over IMPORT_MAX_BYTES with 413', async () => {
      for (const size of [MAX_UPLOAD + 1000, MAX_UPLOAD * 4]) {
        const res = await gw.api('POST', '/agencies/import', {
          token: admin,
          raw: upload(Buffer.alloc(size, 'a')),
        });
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('refuses a request without a file, or with the file in another field, with 400', async () => {
      const json = await gw.api('POST', '/agencies/import', { token: admin, body: { file: 'x' } });
      expect(json.status).toBe(400);
      expect(json.body.errors).toEqual([expect.objectContaining({ path: 'file', code: 'REQUIRED' })]);
      const wrongField = await gw.api('POST', '/agencies/import', {
        token: admin,
        raw: upload(Buffer.from('a,b\n'), 'a.csv', 'upload'),
      });
      expect(wrongField.status).toBe(400);
      const onlyFields = new FormData();
      onlyFields.append('note', 'no file here');
      expect((await gw.api('POST', '/agencies/import', { token: admin, raw: onlyFields })).status).toBe(400);
      const noBoundary = await gw.api('POST', '/agencies/import', {
        token: admin,
        raw: 'x',
        headers: { 'content-type': 'multipart/form-data' },
      });
      expect(noBoundary.status).toBe(400);
      expect(noBoundary.body.code).toBe('VALIDATION_FAILED');
      const unterminated = await gw.api('POST', '/agencies/import', {
        token: admin,
        raw: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ncode\nDEP-1',
        headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      });
      expect(unterminated.status).toBe(400);
      const empty = await gw.api('POST', '/agencies/import', { token: admin, raw: upload(new Uint8Array()) });
      expect(empty.status).toBe(400);
      const badQuery = await gw.api('POST', '/agencies/import?dryRun=yes', {
        token: admin,
        raw: upload(Buffer.from('a\n')),
      });
      expect(badQuery.status).toBe(400);
    });

    it('lets the registry’s IMPORT_INVALID (422) flow through with every bad row', async () => {
      gw.registry.importErrors = new DomainError('IMPORT_INVALID', undefined, [
        { row: 2, column: 'kind', code: 'INVALID_KIND', message: 'unknown kind', messageTh: 'ประเภทไม่ถูกต้อง' },
        {
          row: 5,
          column: 'province_code',
          code: 'UNKNOWN_PROVINCE',
          message: 'unknown province',
          messageTh: 'ไม่พบจังหวัด',
        },
      ]);
      try {
        const res = await gw.api('POST', '/agencies/import', {
          token: admin,
          raw: upload(Buffer.from('code\nX\n')),
        });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          code: 'IMPORT_INVALID',
          errors: [
            { row: 2, column: 'kind', code: 'INVALID_KIND' },
            { row: 5, column: 'province_code', code: 'UNKNOWN_PROVINCE' },
          ],
        });
        expect(await gone(gw.registry.lastImport!.request.file.objectName)).toBe(true);
      } finally {
        gw.registry.importErrors = undefined;
      }
    });

    it('is for DGA admins only', async () => {
      const { token } = await gw.userWithRoles(['operator']);
      const res = await gw.api('POST', '/agencies/import', { token, raw: upload(Buffer.from('a\n')) });
      expect(res.status).toBe(403);
    });
  });

  describe('export', () => {
    it('streams the file the registry stored, as an attachment, then removes it', async () => {
      const { token } = await gw.userWithRoles(['operator']);
      const res = await gw.api('GET', '/agencies/export?format=csv', { token });
      expect(res.status).toBe(200);
      expect(res.text).toBe(EXPORT_CSV);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="agencies-2565.csv"; filename*=UTF-8''agencies-2565.csv`,
      );
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(gw.registry.lastCall(Rpc.AgencyExport)!.request).toEqual({ format: 'csv' });
      // Removed from the bucket once streamed.
      const objectName = gw.registry.lastExport!.objectName;
      await waitFor(() => gone(objectName), 5000);
    });

    it('is not captured by /agencies/:id, validates the format and refuses coordinators', async () => {
      const xlsx = await gw.api('GET', '/agencies/export?format=xlsx', { token: admin });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-disposition')).toContain('agencies-2565.xlsx');
      expect((await gw.api('GET', '/agencies/export?format=pdf', { token: admin })).status).toBe(400);
      const agency = gw.registry.addAgency({ code: 'DEP-EXP' });
      const { token } = await gw.userWithRoles(['coordinator'], agency.id);
      expect((await gw.api('GET', '/agencies/export', { token })).status).toBe(403);
    });
  });
});
