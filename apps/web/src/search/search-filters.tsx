import { useState, type SyntheticEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from '../i18n/i18n.js';

const MiB = 1024 * 1024;

/** A day picked in the form (local midnight) as the API's ISO time, or nothing. */
const dayToIso = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : '');
const isoToDay = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};
const bytesToMiB = (bytes: string | null) => (bytes ? String(Number(bytes) / MiB) : '');
const mibToBytes = (mib: string) => (mib ? String(Math.round(Number(mib) * MiB)) : '');

/** Kind, modified range, size range and trash: kept in the URL with the query. */
export const SearchFilters = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState(params.get('kind') ?? '');
  const [after, setAfter] = useState(isoToDay(params.get('modifiedAfter')));
  const [before, setBefore] = useState(isoToDay(params.get('modifiedBefore')));
  const [minMiB, setMinMiB] = useState(bytesToMiB(params.get('minSize')));
  const [maxMiB, setMaxMiB] = useState(bytesToMiB(params.get('maxSize')));
  const [trash, setTrash] = useState(params.get('includeTrash') === 'true');

  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    const q = params.get('q');
    if (q) next.set('q', q);
    const inFolder = params.get('in');
    if (inFolder) next.set('in', inFolder);
    const set = (name: string, value: string) => {
      if (value) next.set(name, value);
    };
    set('kind', kind);
    set('modifiedAfter', dayToIso(after));
    // "Before" a day includes that day.
    set(
      'modifiedBefore',
      before ? new Date(new Date(`${before}T00:00:00`).getTime() + 86_400_000).toISOString() : '',
    );
    set('minSize', mibToBytes(minMiB));
    set('maxSize', mibToBytes(maxMiB));
    if (trash) next.set('includeTrash', 'true');
    setParams(next);
  };

  return (
    <form className="search-filters" aria-label={t('search.filters.label')} onSubmit={apply}>
      <label>
        {t('search.filters.kind')}{' '}
        <select value={kind} onChange={(event) => setKind(event.target.value)}>
          <option value="">{t('search.filters.filesAndFolders')}</option>
          <option value="file">{t('search.filters.files')}</option>
          <option value="folder">{t('search.filters.folders')}</option>
        </select>
      </label>
      <label>
        {t('search.filters.modifiedFrom')}{' '}
        <input type="date" value={after} onChange={(e) => setAfter(e.target.value)} />
      </label>
      <label>
        {t('search.filters.modifiedTo')}{' '}
        <input type="date" value={before} onChange={(e) => setBefore(e.target.value)} />
      </label>
      <label>
        {t('search.filters.sizeFrom')}{' '}
        <input
          type="number"
          min="0"
          step="any"
          inputMode="decimal"
          value={minMiB}
          onChange={(e) => setMinMiB(e.target.value)}
        />
      </label>
      <label>
        {t('search.filters.sizeTo')}{' '}
        <input
          type="number"
          min="0"
          step="any"
          inputMode="decimal"
          value={maxMiB}
          onChange={(e) => setMaxMiB(e.target.value)}
        />
      </label>
      <label>
        <input type="checkbox" checked={trash} onChange={(e) => setTrash(e.target.checked)} />{' '}
        {t('search.filters.includeTrash')}
      </label>
      <button type="submit" className="button">
        {t('search.filters.apply')}
      </button>
    </form>
  );
};
