import {
  createTheme,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Sarabun for Thai and Latin alike. Thai stacks vowels and tone marks above and below the line, so
 * every line height is at least 1.6 (headings too) and nothing sets a fixed height on text.
 */
const FONT = 'Sarabun, "Noto Sans Thai", Tahoma, system-ui, sans-serif';

/** Mantine's palette with shade 9 of the light hues darkened, so white text on it passes 4.5:1. */
function darkened(name: 'green' | 'orange' | 'yellow' | 'lime', shade9: string): MantineColorsTuple {
  const tuple = [...DEFAULT_THEME.colors[name]];
  tuple[9] = shade9;
  return tuple as unknown as MantineColorsTuple;
}

/**
 * Colours every variant so that its text passes WCAG AA (4.5:1), whatever colour a page picks:
 * `light` (tinted background) gets dark text, text on white (subtle, outline) shade 9, `filled`
 * in another colour than the primary gets shade 9 (the primary keeps shade 8, which passes).
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (input.variant === 'light') return { ...colors, color: 'var(--mantine-color-dark-7)' };
  // Text on white (subtle, outline, transparent): Mantine caps these at shade 6, which is under
  // 4.5:1 for red, orange and green (a red "ลบ" button measured 3.3:1). Shade 9 passes for all.
  if (
    (input.variant === 'subtle' || input.variant === 'outline' || input.variant === 'transparent') &&
    parsed.isThemeColor &&
    parsed.color !== 'gray' &&
    parsed.color !== 'dark'
  ) {
    return { ...colors, color: `var(--mantine-color-${parsed.color}-9)` };
  }
  if ((input.variant ?? 'filled') === 'filled' && parsed.isThemeColor && parsed.shade === undefined) {
    if (parsed.color !== input.theme.primaryColor) {
      return { ...colors, background: `var(--mantine-color-${parsed.color}-9)`, hover: `var(--mantine-color-${parsed.color}-9)`, color: 'var(--mantine-color-white)' };
    }
  }
  return colors;
};

export const theme = createTheme({
  colors: {
    green: darkened('green', '#1e6b30'),
    orange: darkened('orange', '#a33b0a'),
    yellow: darkened('yellow', '#7a5c00'),
    lime: darkened('lime', '#4a6b0a'),
  },
  variantColorResolver,
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
    // A badge has a fixed height and clips its label: Thai marks above and below would be cut.
    Badge: {
      styles: {
        root: { height: 'auto', minHeight: 'var(--badge-height)', paddingBlock: '0.125rem', textTransform: 'none' },
        label: { lineHeight: 1.6, overflow: 'visible' },
      },
    },
  },
});

/**
 * Dimmed text at gray 7 (about 8:1 on white): Mantine's gray 6 is under AA contrast for body text.
 * Field errors (the message and the text in an invalid input) at red 9 (5.7:1): red 6 is 3.3:1.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});
