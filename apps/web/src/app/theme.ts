import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * Sarabun for Thai and Latin alike. Thai stacks vowels and tone marks above and below the line, so
 * every line height is at least 1.6 (headings too) and nothing sets a fixed height on text.
 */
const FONT = 'Sarabun, "Noto Sans Thai", Tahoma, system-ui, sans-serif';

export const theme = createTheme({
  fontFamily: FONT,
  headings: {
    fontFamily: FONT,
    fontWeight: '700',
    sizes: {
      h1: { fontSize: '1.75rem', lineHeight: '1.6' },
      h2: { fontSize: '1.375rem', lineHeight: '1.6' },
      h3: { fontSize: '1.125rem', lineHeight: '1.6' },
      h4: { fontSize: '1rem', lineHeight: '1.6' },
    },
  },
  lineHeights: { xs: '1.6', sm: '1.6', md: '1.7', lg: '1.7', xl: '1.7' },
  fontSizes: { xs: '0.875rem', sm: '0.9375rem', md: '1rem', lg: '1.125rem', xl: '1.25rem' },
  primaryColor: 'blue',
  // Shade 8 keeps white text on filled buttons above 4.5:1 (shade 6 is 3.6:1, under WCAG AA).
  primaryShade: 8,
  focusRing: 'auto',
  defaultRadius: 'sm',
  components: {
    // Inputs grow with their text instead of clipping tall Thai glyphs.
    Input: { styles: { input: { lineHeight: 1.6, minHeight: '2.5rem', height: 'auto' } } },
  },
});

/** Dimmed text at gray 7 (about 8:1 on white): Mantine's gray 6 is under AA contrast for body text. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
