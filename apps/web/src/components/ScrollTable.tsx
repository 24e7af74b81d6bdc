import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways when the screen is narrower than `minWidth` (a 360 px phone).
 * The scrolling box takes keyboard focus and is a named region, so a person without a mouse
 * can scroll it with the arrow keys and a screen reader says what it holds (WCAG 2.1.1;
 * axe: scrollable-region-focusable).
 */
export function ScrollTable({
  label,
  minWidth,
  className,
  children,
}: {
  label: string;
  minWidth: number;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={label}
      className={className ? `scroll-table ${className}` : 'scroll-table'}
    >
      {children}
    </Table.ScrollContainer>
  );
}
