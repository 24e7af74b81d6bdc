import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Lang } from '../lib/dates';
import { en } from './en';
import { th } from './th';

/**
 * Thai first, English on request; the choice is kept in localStorage. Shared strings are the
 * `common` namespace (th.ts, en.ts); a page area adds its own namespace from its own folder with
 * `i18n.addResourceBundle(lang, ns, messages)` so its strings load with its code.
 */
export const LANG_KEY = 'dg.lang';
export const LANGS: readonly Lang[] = ['th', 'en'];

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === 'en' ? 'en' : 'th';
  } catch {
    return 'th';
  }
}

void i18n.use(initReactI18next).init({
  lng: storedLang(),
  fallbackLng: 'th',
  supportedLngs: LANGS as Lang[],
  defaultNS: 'common',
  ns: ['common'],
  resources: { th: { common: th }, en: { common: en } },
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

function applyLang(lang: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyLang(i18n.language);
i18n.on('languageChanged', applyLang);

export async function setLang(lang: Lang): Promise<void> {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await i18n.changeLanguage(lang);
}

/** The current language as the dates module takes it. */
export function useLang(): Lang {
  const { i18n: instance } = useTranslation();
  return instance.resolvedLanguage === 'en' ? 'en' : 'th';
}

export default i18n;
