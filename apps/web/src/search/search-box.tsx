import { useState, type SyntheticEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from '../i18n/i18n.js';

export const SearchBox = () => {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const navigate = useNavigate();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (q.trim()) void navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <input
        type="search"
        aria-label={t('search.box')}
        placeholder={t('search.box')}
        value={q}
        onChange={(event) => setQ(event.target.value)}
      />
    </form>
  );
};
