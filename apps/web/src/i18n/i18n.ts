import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de.js';
import { en } from './en.js';

export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];

/** Each language named in itself, as a picker lists them. */
export const languageNames: Record<Language, string> = { en: 'English', de: 'Deutsch' };

const STORAGE_KEY = 'myfile.language';

const isLanguage = (value: string | null | undefined): value is Language =>
  (languages as readonly (string | null | undefined)[]).includes(value);

/** The language picked before on this browser, else the first of the browser's that we have. */
export const initialLanguage = (): Language => {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage refused (private mode, blocked cookies): fall back to the browser's languages.
  }
  const wanted = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
};

const showLanguage = (language: string) => {
  document.documentElement.lang = language;
};

// The catalogs ship in the bundle (a few kilobytes each), so initialising is synchronous:
// the first render already has its words and no page flashes keys.
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: languages,
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;" in names.
  interpolation: { escapeValue: false },
  returnNull: false,
});
showLanguage(i18next.language);
i18next.on('languageChanged', showLanguage);

/** Switches the whole app and remembers the choice for this browser. */
export const changeLanguage = async (language: Language) => {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch itself still works for this visit.
  }
  await i18next.changeLanguage(language);
};

export const currentLanguage = (): Language =>
  isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : 'en';

/** For strings made outside components (toasts, errors): read at the moment they are shown. */
export const t = i18next.t.bind(i18next);

export { Trans, useTranslation } from 'react-i18next';
