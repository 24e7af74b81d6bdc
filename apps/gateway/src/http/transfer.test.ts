import { safeContentType } from './transfer';

describe('safeContentType', () => {
  it('keeps well-formed media types, with parameters', () => {
    expect(safeContentType('application/pdf')).toBe('application/pdf');
    expect(safeContentType('text/csv; charset=utf-8')).toBe('text/csv; charset=utf-8');
    expect(safeContentType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('falls back to application/octet-stream for anything that could break or bend a header', () => {
    for (const bad of [
      undefined,
      '',
      'pdf',
      'text/html\r\nset-cookie: a=b',
      'text/html; x="a b"',
      '*/*',
      'a/b/c',
    ]) {
      expect(safeContentType(bad)).toBe('application/octet-stream');
    }
  });
});
