import 'i18next';
import type { Messages } from './th';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: { common: Messages };
  }
}
