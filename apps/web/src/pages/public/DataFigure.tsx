import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { CsvCell } from '@dg/contracts/csv';
import { useId, useState, type ReactNode } from 'react';
import { CsvLink } from './CsvLink';
import { usePublicText } from './text';
import { ScrollTable } from '../../components/ScrollTable';

export interface Column {
  label: string;
  /** Right-aligned figures. */
  numeric?: boolean;
}

export interface DataTableProps {
  caption: string;
  columns: Column[];
  /** Cells as shown; the first cell of each row heads it (`<th scope="row">`). */
  rows: ReactNode[][];
  /** The same rows as data for the CSV file (numbers as numbers, not formatted). */
  csvRows: CsvCell[][];
}

/** A table with its caption, column and row headers scoped, scrolling sideways on a narrow phone. */
export function DataTable({ caption, columns, rows }: Omit<DataTableProps, 'csvRows'>) {
  return (
    <ScrollTable minWidth={320} label={caption}>
      <Table striped withTableBorder highlightOnHover captionSide="top" verticalSpacing="xs">
        <caption style={{ textAlign: 'start', fontWeight: 700 }}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i} scope="col" style={c.numeric ? { textAlign: 'end' } : undefined}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((cells, r) => (
            <Table.Tr key={r}>
              {cells.map((cell, i) =>
                i === 0 ? (
                  <Table.Th key={i} scope="row" style={{ fontWeight: 400 }}>
                    {cell}
                  </Table.Th>
                ) : (
                  <Table.Td key={i} style={columns[i]?.numeric ? { textAlign: 'end', whiteSpace: 'nowrap' } : undefined}>
                    {cell}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/**
 * A chart with what it shows in words: a heading, the chart (an image to screen readers, with a
 * label), a button that shows the same figures as a table, and the CSV of that table beside it.
 */
export function DataFigure({
  title,
  description,
  chartLabel,
  chart,
  table,
  fileName,
  headingOrder = 2,
  tableShown = false,
  controls,
}: {
  title: string;
  description?: ReactNode;
  /** What the chart shows, for screen readers (the table has the figures). */
  chartLabel: string;
  chart: ReactNode;
  table: DataTableProps;
  fileName: string;
  headingOrder?: 2 | 3;
  tableShown?: boolean;
  /** Controls that change what the chart shows (placed above it). */
  controls?: ReactNode;
}) {
  const t = usePublicText();
  const id = useId();
  const [shown, setShown] = useState(tableShown);
  const csvRows = [table.columns.map((c) => c.label), ...table.csvRows];
  return (
    <Stack component="section" aria-labelledby={`${id}-h`} gap="sm">
      <Title order={headingOrder} id={`${id}-h`}>
        {title}
      </Title>
      {description && <Text>{description}</Text>}
      {controls}
      <figure role="group" aria-labelledby={`${id}-h`} style={{ margin: 0 }}>
        <div role="img" aria-label={chartLabel}>
          {chart}
        </div>
      </figure>
      <Group gap="md" className="no-print">
        <Button
          variant="light"
          size="compact-md"
          aria-expanded={shown}
          aria-controls={`${id}-t`}
          aria-label={`${shown ? t.hideTable : t.showTable}: ${title}`}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? t.hideTable : t.showTable}
        </Button>
        <CsvLink rows={csvRows} fileName={fileName} what={title} />
      </Group>
      <div id={`${id}-t`} hidden={!shown}>
        {shown && <DataTable caption={table.caption} columns={table.columns} rows={table.rows} />}
      </div>
    </Stack>
  );
}
