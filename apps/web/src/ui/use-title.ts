import { useEffect } from 'react';

/** The tab's title for this page, so a row of tabs (and history) tells pages apart. */
export const useTitle = (title: string | undefined) => {
  useEffect(() => {
    document.title = title ? `${title} – My File` : 'My File';
  }, [title]);
};
