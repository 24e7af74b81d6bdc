import { useLayoutEffect, useRef } from 'react';

/**
 * Puts the keyboard focus back where it was when a dialog opened, once it closes (WCAG 2.4.3). A
 * dialog that mounts already open (a deferred one, lib/deferred.tsx) misses Mantine's own focus
 * return, which records the focus on the render before opening. The focus is read as the opening
 * commits, before the dialog's focus trap moves it (the trap waits a frame); if that element is
 * gone by the close (the file just deleted), the focus stays where the dialog leaves it.
 */
export function useReturnFocus(open: boolean): void {
  const returnTo = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (!open) return;
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      const target = returnTo.current;
      returnTo.current = null;
      if (target) requestAnimationFrame(() => target.isConnected && target.focus());
    };
  }, [open]);
}
