import 'i18next';
import type { en } from './en.js';

// Keys are checked at compile time: `t('nav.fils')` is a type error, not a blank label.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}
