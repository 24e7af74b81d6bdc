import { Pagination } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The page numbers under a server-paged list: first, previous, next and last named in the
 * reader's language (Mantine names them in English), the current page marked for screen readers.
 */
export function ListPagination({
  total,
  value,
  onChange,
  label,
}: {
  total: number;
  value: number;
  onChange: (page: number) => void;
  /** What the page numbers are of ("เลือกหน้าผลการค้นหา"). */
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Pagination
      total={total}
      value={value}
      onChange={onChange}
      getControlProps={(control) => ({
        'aria-label': t(`app.pager.${control as 'first' | 'previous' | 'next' | 'last'}`),
      })}
      getItemProps={(p) => ({ 'aria-label': `${p}`, 'aria-current': p === value ? 'page' : undefined })}
      aria-label={label}
      withEdges
      siblings={1}
    />
  );
}
