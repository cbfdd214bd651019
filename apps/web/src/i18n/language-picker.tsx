import { changeLanguage, languageNames, languages, useTranslation, type Language } from './i18n.js';

/** Lists each language in itself, so a person who cannot read the current one still finds theirs. */
export const LanguagePicker = () => {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="language-picker"
      aria-label={t('app.language')}
      value={i18n.resolvedLanguage}
      onChange={(event) => void changeLanguage(event.target.value as Language)}
    >
      {languages.map((language) => (
        <option key={language} value={language} lang={language}>
          {languageNames[language]}
        </option>
      ))}
    </select>
  );
};
