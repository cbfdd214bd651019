import { Link } from 'react-router';
import { useTranslation } from '../i18n/i18n.js';
import { useTitle } from '../ui/use-title.js';

export const NotFoundPage = () => {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <p>
        {t('notFound.body')} <Link to="/">{t('notFound.goHome')}</Link>.
      </p>
    </section>
  );
};
