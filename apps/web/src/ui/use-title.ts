import { useEffect } from 'react';
import { t } from '../i18n/i18n.js';

/** The tab's title for this page, so a row of tabs (and history) tells pages apart. */
export const useTitle = (title: string | undefined) => {
  useEffect(() => {
    document.title = title ? `${title} – ${t('app.name')}` : t('app.name');
  }, [title]);
};
