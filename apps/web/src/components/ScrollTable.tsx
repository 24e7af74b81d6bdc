import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways when the screen is narrower than `minWidth` (a 360 px phone).
 * The scrolling box takes keyboard focus and is a named region, so a person without a mouse
 * can scroll it with the arrow keys and a screen reader says what it holds (WCAG 2.1.1;
 * axe: scrollable-region-focusable).
 */
export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label} className="scroll-table">
      {children}
    </Table.ScrollContainer>
  );
}
