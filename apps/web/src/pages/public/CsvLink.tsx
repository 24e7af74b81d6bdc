import { Anchor } from '@mantine/core';
import { CSV_BOM_TEXT, toCsv, type CsvCell } from '@dg/contracts/csv';
import { useEffect, useMemo } from 'react';
import { usePublicText } from './text';

/**
 * The CSV file of a table: the platform's own writer (`toCsv` from the contracts: every text cell
 * that a spreadsheet would run as a formula gets a leading quote), UTF-8 with a byte order mark so
 * Thai Excel opens it as UTF-8.
 */
export function csvBlob(rows: readonly (readonly CsvCell[])[]): Blob {
  return new Blob([CSV_BOM_TEXT + toCsv(rows)], { type: 'text/csv;charset=utf-8' });
}

/**
 * A link that downloads `rows` as `fileName`. The accessible name says which table it is
 * ("ดาวน์โหลด CSV: <what>"); the visible text stays short.
 */
export function CsvLink({ rows, fileName, what }: { rows: readonly (readonly CsvCell[])[]; fileName: string; what: string }) {
  const t = usePublicText();
  // Keyed by the text, not the rows' identity: a parent's new array with the same cells keeps the URL.
  const text = toCsv(rows);
  const href = useMemo(() => URL.createObjectURL(new Blob([CSV_BOM_TEXT + text], { type: 'text/csv;charset=utf-8' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <Anchor href={href} download={fileName} aria-label={`${t.csv}: ${what}`} type="text/csv">
      {t.csv}
    </Anchor>
  );
}
